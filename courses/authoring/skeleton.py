"""Skeletons of new modules (``cluster-excellence new case|instrument NAME``).

A skeleton is a complete, valid module folder with placeholder text in every course
language; it passes ``validate`` once its name is added to a course's ``modules``.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Literal

from ruamel.yaml import YAML

from clusterexcellence.engine.fields import ID_PATTERN

from ..exceptions import ModuleNameError, SkeletonExistsError

Kind = Literal["case", "instrument"]
_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120">'
    '<rect x="10" y="40" width="60" height="70" fill="#4a78b5"/>'
    '<rect x="90" y="20" width="60" height="90" fill="#4a78b5"/>'
    '<text x="10" y="20" font-size="14">TODO: replace this figure</text></svg>\n'
)


def _text(what: str, langs: list[str]) -> dict[str, str]:
    return {lang: f"TODO: {what} ({lang})" for lang in langs}


def new_module(kind: Kind, name: str, folder: Path, *, languages: list[str]) -> Path:
    """Write a skeleton module ``folder/name`` and return its path.

    Raises
    ------
    ModuleNameError
        When ``name`` is not a lowercase kebab-case id.
    SkeletonExistsError
        When ``folder/name`` already exists (nothing is overwritten).
    """
    if not re.match(ID_PATTERN, name):
        raise ModuleNameError(
            f"module name {name!r} is not a lowercase kebab-case id (like my-case)"
        )
    target = Path(folder) / name
    if target.exists():
        raise SkeletonExistsError(f"{target} already exists; choose another name or folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target.parent))
    try:
        files = _case(name, languages) if kind == "case" else _instrument(name, languages)
        for rel, content in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, dict):
                yaml = YAML()
                yaml.width = 100
                yaml.indent(mapping=2, sequence=4, offset=2)
                with path.open("w", encoding="utf-8") as fh:
                    yaml.dump(content, fh)
            else:
                path.write_text(content, encoding="utf-8")
        tmp.rename(target)  # all files or none
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _option(oid: str, score: float, nxt: str, langs: list[str]) -> dict:
    return {
        "id": oid,
        "text": _text(f"option {oid}", langs),
        "score": score,
        "feedback": _text(f"why option {oid} is strong or weak", langs),
        "consequence": _text(f"what happens after option {oid}", langs),
        "next": nxt,
    }


def _point(pid: str, options: list[dict], langs: list[str]) -> dict:
    return {
        "id": pid,
        "title": _text(f"title of {pid}", langs),
        "prompt": _text("the decision to take", langs),
        "graded": True,
        "competencies": ["strategy.priority-setting"],
        "options": options,
    }


def _case(name: str, langs: list[str]) -> dict[str, object]:
    module = {
        "kind": "case",
        "id": name,
        "title": _text("case title", langs),
        "summary": _text("two-sentence summary", langs),
        "learning_objectives": [_text("what learners will be able to do", langs)],
        "competencies": ["strategy.priority-setting"],
        "duration_minutes": 60,
        "protagonist": {"name": "TODO Name", "role": _text("role and organisation", langs)},
        "sections": [
            {"id": "context", "title": _text("section title", langs), "file": "sections/context"}
        ],
        "exhibits": [
            {
                "id": "key-figures",
                "kind": "table",
                "title": _text("table title", langs),
                "caption": _text("what the table shows, source and unit", langs),
                "file": "exhibits/key-figures",
            },
            {
                "id": "chart",
                "kind": "figure",
                "file": "exhibits/chart.svg",
                "alt": _text("what the figure shows, for screen readers", langs),
                "caption": _text("figure caption", langs),
            },
        ],
        "decisions": {
            "start": "first-decision",
            "points": [
                _point(
                    "first-decision",
                    [
                        _option("a", 1.0, "second-decision", langs),
                        _option("b", 0.3, "recovery", langs),
                    ],
                    langs,
                ),
                _point(
                    "recovery",
                    [_option("a", 1.0, "second-decision", langs), _option("b", 0.2, "end", langs)],
                    langs,
                ),
                _point(
                    "second-decision",
                    [_option("a", 1.0, "end", langs), _option("b", 0.4, "end", langs)],
                    langs,
                ),
            ],
        },
        "reflections": [
            {
                "id": "lessons",
                "prompt": _text("reflection question", langs),
                "model_answer": _text("model answer", langs),
            }
        ],
        "debrief": {"file": "debrief"},
    }
    files: dict[str, object] = {"module.yaml": module, "exhibits/chart.svg": _SVG}
    for lang in langs:
        files[f"sections/context.{lang}.md"] = f"TODO: the narrative ({lang}), in Markdown.\n"
        files[f"debrief.{lang}.md"] = f"TODO: the teaching note ({lang}), in Markdown.\n"
        files[f"exhibits/key-figures.{lang}.csv"] = (
            "Year,Members,Budget (EUR)\n2024,80,450000\n2025,95,520000\n"
        )
    return files


def _instrument(name: str, langs: list[str]) -> dict[str, object]:
    likert = {
        "id": "sr-priority-setting-1",
        "type": "likert",
        "prompt": _text("a behaviour to rate", langs),
        "points": 4,
        "labels": [_text(f"anchor {k}", langs) for k in range(1, 5)],
        "dimensions": {"strategy.priority-setting": 1},
    }
    situational = {
        "id": "sjt-priority-setting-1",
        "type": "situational",
        "scenario": _text("the dilemma", langs),
        "prompt": _text("What do you do first?", langs),
        "options": [
            {
                "id": "a",
                "text": _text("option a", langs),
                "score": 1.0,
                "rationale": _text("why", langs),
            },
            {
                "id": "b",
                "text": _text("option b", langs),
                "score": 0.3,
                "rationale": _text("why", langs),
            },
        ],
        "dimensions": {"strategy.priority-setting": 1},
    }
    module = {
        "kind": "instrument",
        "id": name,
        "version": 1,
        "title": _text("instrument title", langs),
        "description": _text("what it measures and how long it takes", langs),
        "min_coverage": 0.5,
        "levels": [
            {"id": lid, "min": cut, "title": _text(lid, langs)}
            for lid, cut in (
                ("foundation", 0.0),
                ("developing", 0.4),
                ("proficient", 0.6),
                ("expert", 0.8),
            )
        ],
        "dimensions": [
            {
                "id": "strategy",
                "title": _text("area", langs),
                "children": [
                    {"id": "strategy.priority-setting", "title": _text("competency", langs)}
                ],
            }
        ],
        "items": [likert, situational],
    }
    return {"module.yaml": module}
