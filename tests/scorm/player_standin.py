"""Stand-in for ``clusterexcellence.player.site`` while the player's site builder is absent.

It has the interface the packages are built against (``app_files``, ``module_files``,
``module_info``) and gives files of the same kinds: the player's static files under
``player/``, a launch page that loads them from ``../player/`` with the module's data
inline, and the module's figures under ``media/``. ``conftest.py`` installs it only when
the real module cannot be imported.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from clusterexcellence.courses.loader import Content
from clusterexcellence.courses.models import CaseModule, FigureExhibit

STATIC = Path(__file__).resolve().parents[2] / "player" / "static"


def app_files() -> dict[str, bytes]:
    return {
        f"player/{p.relative_to(STATIC).as_posix()}": p.read_bytes()
        for p in sorted(STATIC.rglob("*"))
        if p.is_file() and p.name != "package.json"
    }


def _module(content: Content, course_id: str, module_id: str):
    for course in content.courses:
        if course.model is not None and course.model.id == course_id:
            for m in course.modules:
                if m.id == module_id:
                    return m
    raise KeyError(f"{course_id}/{module_id}")


def module_info(content: Content, course_id: str, module_id: str, lang: str) -> dict:
    model = _module(content, course_id, module_id).model
    if isinstance(model, CaseModule):
        return {
            "id": module_id,
            "title": model.title[lang],
            "summary": model.summary[lang],
            "lang": lang,
            "duration_minutes": model.duration_minutes,
            "mastery_score": 0.6,
        }
    description = (model.description or model.title)[lang]
    return {
        "id": module_id,
        "title": model.title[lang],
        "summary": description,
        "lang": lang,
        "duration_minutes": 45,
        "mastery_score": None,
    }


def module_files(
    content: Content, course_id: str, module_id: str, lang: str, *, host: str
) -> dict[str, bytes]:
    loaded = _module(content, course_id, module_id)
    info = module_info(content, course_id, module_id, lang)
    files: dict[str, bytes] = {}
    model = loaded.model
    if isinstance(model, CaseModule):
        for exhibit in model.exhibits:
            if isinstance(exhibit, FigureExhibit):
                path = loaded.folder / exhibit.file
                files[f"media/{path.name}"] = path.read_bytes()
    bundle = json.dumps(
        {"module": info, "source": loaded.source.data if loaded.source else None},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    page = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(info['title'])}</title>"
        '<link rel="stylesheet" href="../player/css/player.css"></head><body>'
        f'<script type="application/json" id="bundle">{bundle.replace("</", "<\\/")}</script>'
        f'<script type="module" src="../player/js/hosts/{host}.js"></script></body></html>'
    )
    files["index.html"] = page.encode()
    return files
