"""The catalogue of a content tree: every course and module with its figures.

What a training provider reads before importing, and what authors check: words of
narrative per language, exhibits, decision points, items by type, indicators by kind and
the languages in which a module is complete.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from clusterexcellence.engine import Instrument

from .decisions import path_lengths
from .exceptions import ContentError
from .exhibits import markdown_path, narrative_files, read_markdown, table_path
from .loader import Content, LoadedModule
from .models import CaseModule, TableExhibit
from .texts import iter_texts

_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(text: str) -> int:
    """Words of a text (hyphenated and elided words count once).

    >>> count_words("L'après-subvention: 60 % of the budget")
    5
    """
    return len(_WORD.findall(text))


def catalog(content: Content) -> dict[str, Any]:
    """Figures of every course and module of ``content`` (JSON-ready)."""
    return {
        "root": str(content.root),
        "problems": len(content.problems),
        "courses": [
            {
                "id": c.model.id if c.model else c.folder.name,
                "folder": c.folder.name,
                "title": dict(c.model.title) if c.model else {},
                "languages": list(c.model.languages) if c.model else [],
                "modules": [module_figures(m) for m in c.modules],
            }
            for c in content.courses
        ],
    }


def module_figures(module: LoadedModule) -> dict[str, Any]:
    """Figures of one module (``valid: false`` and nothing else when it did not load)."""
    out: dict[str, Any] = {"id": module.id, "folder": module.folder.name, "kind": module.kind}
    if module.model is None:
        return {**out, "valid": False}
    out["valid"] = True
    out["title"] = dict(module.model.title)
    if isinstance(module.model, CaseModule):
        out.update(_case_figures(module))
    else:
        out.update(_instrument_figures(module.model, module.languages))
    out["languages_complete"] = [lang for lang in module.languages if _complete(module, lang)]
    return out


def _case_figures(module: LoadedModule) -> dict[str, Any]:
    case: CaseModule = module.model
    words, debrief = {}, {}
    for lang in module.languages:
        words[lang] = sum(_file_words(module.folder, s.file, lang) for s in case.sections)
        debrief[lang] = _file_words(module.folder, case.debrief.file, lang)
    shortest, longest = path_lengths(case)
    graded = [p for p in case.decisions.points if p.graded]
    return {
        "words": words,
        "debrief_words": debrief,
        "sections": len(case.sections),
        "exhibits": len(case.exhibits),
        "exhibits_by_kind": dict(Counter(e.kind for e in case.exhibits)),
        "decision_points": len(case.decisions.points),
        "graded_points": len(graded),
        "branching_points": sum(
            len({o.next for o in p.options}) > 1 for p in case.decisions.points
        ),
        "path_length": {"min": shortest, "max": longest},
        "items_by_type": {"single_choice": len(graded)} if graded else {},
        "indicators": {},
        "reflections": len(case.reflections),
        "competencies": list(case.competencies),
        "duration_minutes": case.duration_minutes,
    }


def _instrument_figures(ins: Instrument, languages: list[str]) -> dict[str, Any]:
    texts = list(iter_texts(ins))
    words = {lang: sum(count_words(t.get(lang, "")) for _, t in texts) for lang in languages}
    indicators = {}
    if ins.label is not None:
        indicators = {
            "label_indicators": len(ins.label.indicators),
            "minimum_requirements": len(ins.label.minimum_requirements),
            "label_levels": len(ins.label.levels),
        }
    return {
        "words": words,
        "items": len(ins.items),
        "items_by_type": dict(Counter(it.type for it in ins.items)),
        "dimensions": sum(1 for _ in ins.iter_dimensions()),
        "profile_fields": len(ins.profile),
        "indicators": indicators,
    }


def _file_words(folder: Path, stem: str, lang: str) -> int:
    path = markdown_path(folder, stem, lang)
    if not path.is_file():
        return 0
    try:
        return count_words(read_markdown(path))
    except ContentError:  # too large or unreadable: validate reports it
        return 0


def _complete(module: LoadedModule, lang: str) -> bool:
    if any(not t.get(lang, "").strip() for _, t in iter_texts(module.model)):
        return False
    if not isinstance(module.model, CaseModule):
        return True
    case = module.model
    files = [markdown_path(module.folder, stem, lang) for _, stem in narrative_files(case)]
    files += [
        table_path(module.folder, e, lang) for e in case.exhibits if isinstance(e, TableExhibit)
    ]
    return all(f.is_file() for f in files)
