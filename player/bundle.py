"""Module bundles: what the learner player needs to render one module in one language.

A bundle is JSON (documented key by key in ``docs/player.md``, schema in
``player/schemas/bundle.schema.json``): the module's content rendered to sanitised HTML
by the content's Markdown pipeline, the UI strings of the language, the peer quantiles
of the result charts, and, for hosts that score in the browser, the answer keys.
"""

from __future__ import annotations

import csv
import json
import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from clusterexcellence.courses.decisions import case_instrument
from clusterexcellence.courses.exceptions import ContentError
from clusterexcellence.courses.exhibits import markdown_path, read_markdown, read_table, table_path
from clusterexcellence.courses.loader import Content, LoadedCourse, LoadedModule
from clusterexcellence.courses.markdown import plain_text, render
from clusterexcellence.courses.models import CaseModule, FigureExhibit, PathText, TableExhibit
from clusterexcellence.courses.population.bundled import reference_for
from clusterexcellence.courses.texts import pick
from clusterexcellence.engine import Instrument, scoring_spec
from clusterexcellence.engine.benchmark import DEFAULT_K, Withheld, distribution
from clusterexcellence.engine.reference import DIMENSION_PREFIX, OVERALL

from .exceptions import BundleError

FORMAT = "clusterexcellence.player-bundle"
VERSION = 1
#: Quantiles of the peer groups in a bundle (``peers.quantiles``).
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)
#: Where a bundle's media files sit, relative to the launch page.
MEDIA_DIR = "media"
#: Profile field whose answer picks the learner's own portfolio group.
PORTFOLIO_FIELD = "portfolio"
#: The excellence group of the label self-assessment's peers: gold-labelled organisations.
EXCELLENCE_FILTER = {"label": "gold"}


@dataclass
class Bundle:
    """A bundle and the module files its HTML refers to (``media/...`` → file on disk)."""

    data: dict[str, Any]
    media: dict[str, Path] = field(default_factory=dict)

    def json(self) -> str:
        """The bundle as compact JSON text (deterministic: keys in a fixed order)."""
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def find_module(
    content: Content, course_id: str, module_id: str
) -> tuple[LoadedCourse, LoadedModule]:
    """The course ``course_id`` and its module ``module_id`` (module id or folder name).

    Raises
    ------
    BundleError
        When either is unknown or did not load.
    """
    for course in content.courses:
        if course.model is not None and course.model.id == course_id:
            break
    else:
        raise BundleError(f"no course {course_id!r}")
    for module in course.modules:
        if module_id in (module.id, module.folder.name):
            if module.model is None:
                raise BundleError(f"module {module_id!r} of course {course_id!r} is invalid")
            return course, module
    raise BundleError(f"course {course_id!r} has no module {module_id!r}")


def build_bundle(
    content: Content, course_id: str, module_id: str, lang: str, *, keys: bool = True
) -> Bundle:
    """The bundle of one module in one language.

    Parameters
    ----------
    content : Content
        Validated content (``validate_content(root).content`` without problems).
    course_id, module_id : str
        The course, and a module of it (its id or its folder name).
    lang : str
        A language of the course.
    keys : bool
        Include the answer keys (scoring spec, option scores and feedback): for hosts that
        score in the browser (SCORM, cmi5, preview). ``False`` for a host that scores on a
        server: then the bundle holds nothing that gives an answer away.

    Raises
    ------
    BundleError
        Unknown course, module or language.
    """
    course, module = find_module(content, course_id, module_id)
    if lang not in course.model.languages:
        langs = ", ".join(course.model.languages)
        raise BundleError(f"course {course_id!r} is not in {lang!r} (it is in {langs})")
    writer = _Writer(module, lang)
    model = module.model
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "module": _module_info(course, module, lang),
        "ui": ui_strings(lang),
        "case": None,
        "instrument": None,
        "peers": None,
        "modules": _catalogue(content, lang),
        "keys": None,
    }
    if isinstance(model, CaseModule):
        titles = _competency_titles(content)
        data["case"] = _case(writer, model, titles)
        instrument = case_instrument(model, titles)
        if keys:
            data["keys"] = {
                "spec": scoring_spec(instrument),
                "decisions": _decisions(writer, model),
            }
    else:
        data["instrument"] = _instrument(writer, model)
        data["peers"] = peers(model, lang)
        if keys:
            data["keys"] = {"spec": scoring_spec(model), "decisions": None}
    return Bundle(data, writer.media)


def module_info(content: Content, course_id: str, module_id: str, lang: str) -> dict[str, Any]:
    """What a package manifest says of a module: the bundle's ``module`` object."""
    course, module = find_module(content, course_id, module_id)
    return _module_info(course, module, lang)


def _module_info(course: LoadedCourse, module: LoadedModule, lang: str) -> dict[str, Any]:
    model = module.model
    is_case = isinstance(model, CaseModule)
    if is_case:
        variant, summary, duration = "case", model.summary, model.duration_minutes
        mastery = model.mastery_score
        version = 1
    else:
        variant = "label" if model.label is not None else "self-test"
        summary, duration, mastery = model.description, model.duration_minutes, None
        version = model.version
    return {
        "id": model.id,
        "folder": module.folder.name,
        "course": course.model.id,
        "kind": "case" if is_case else "instrument",
        "variant": variant,
        "lang": lang,
        "languages": [x for x in module.languages if x in course.model.languages],
        "title": pick(model.title, lang),
        "summary": plain_text(pick(summary, lang)),
        "duration_minutes": duration,
        "instrument": {"id": model.id, "version": version},
        "mastery_score": mastery,
    }


# ----------------------------------------------------------------------------- text


class _Writer:
    """Renders a module's texts in one language and records the files they point at."""

    def __init__(self, module: LoadedModule, lang: str) -> None:
        self.module = module
        self.lang = lang
        self.media: dict[str, Path] = {}

    def text(self, text: dict[str, str] | None) -> str:
        """A translatable plain text (titles, names): as is; the app escapes it."""
        return pick(text, self.lang)

    def html(
        self, text: dict[str, str] | None, *, inline: bool = False, base: str = ""
    ) -> str | None:
        """A translatable Markdown text as sanitised HTML (``None`` stays ``None``)."""
        if text is None:
            return None
        return render(pick(text, self.lang), inline=inline, url=lambda u: self._media(u, base))

    def path_text(self, text: PathText | None) -> list[dict[str, Any]] | None:
        """A path text (``docs/player.md``): its variants, each rendered; ``None`` stays."""
        if text is None:
            return None
        if not isinstance(text, list | tuple):
            return [{"when": None, "html": self.html(text)}]
        return [
            {
                "when": [c.model_dump(mode="json") for c in v.conditions] or None,
                "html": self.html(v.text),
            }
            for v in text
        ]

    def markdown_file(self, stem: str) -> str:
        """A Markdown file of the module (``stem.<lang>.md``) as sanitised HTML."""
        path = markdown_path(self.module.folder, stem, self.lang)
        try:
            text = read_markdown(path)
        except ContentError as exc:
            raise BundleError(str(exc)) from exc
        base = posixpath.dirname(stem)
        return render(text, url=lambda u: self._media(u, base))

    def _media(self, url: str, base: str) -> str:
        """The bundle URL of a file of the module that a text refers to."""
        rel = posixpath.normpath(posixpath.join(base, url.split("#", 1)[0].split("?", 1)[0]))
        path = self.module.folder / PurePosixPath(rel)
        if rel.startswith("../") or not path.is_file():
            return url  # validation reports it; the bundle does not invent a file
        return self.add_file(rel)

    def add_file(self, rel: str) -> str:
        target = f"{MEDIA_DIR}/{rel}"
        self.media[target] = self.module.folder / PurePosixPath(rel)
        return target


# ----------------------------------------------------------------------------- case


def _case(w: _Writer, case: CaseModule, titles: dict[str, dict]) -> dict[str, Any]:
    return {
        "protagonist": {"name": case.protagonist.name, "role": w.text(case.protagonist.role)},
        "learning_objectives": [w.html(o, inline=True) for o in case.learning_objectives],
        "sections": [
            {"id": s.id, "title": w.text(s.title), "html": w.markdown_file(s.file)}
            for s in case.sections
        ],
        "exhibits": [_exhibit(w, ex) for ex in case.exhibits],
        "start": case.decisions.start,
        "points": [
            {
                "id": p.id,
                "title": w.text(p.title),
                "prompt": w.path_text(p.prompt),
                "graded": p.graded,
                "competencies": list(p.competencies),
                "options": [{"id": o.id, "html": w.html(o.text, inline=True)} for o in p.options],
            }
            for p in case.decisions.points
        ],
        "debrief": w.markdown_file(case.debrief.file),
        "reflections": [
            {"id": r.id, "prompt": w.html(r.prompt), "model_answer": w.html(r.model_answer)}
            for r in case.reflections
        ],
        "competencies": [{"id": c, "title": w.text(titles.get(c)) or c} for c in case.competencies],
    }


def _exhibit(w: _Writer, ex: TableExhibit | FigureExhibit) -> dict[str, Any]:
    title = w.text(ex.title) if ex.title else ""
    caption = w.html(ex.caption)
    if isinstance(ex, FigureExhibit):
        return {
            "id": ex.id,
            "kind": "figure",
            "title": title,
            "caption": caption,
            "src": w.add_file(ex.file),
            "alt": w.text(ex.alt),
        }
    path = table_path(w.module.folder, ex, w.lang)
    try:
        rows = read_table(path)
    except (ContentError, csv.Error) as exc:
        raise BundleError(f"{path}: {exc}") from exc
    return {
        "id": ex.id,
        "kind": "table",
        "title": title,
        "caption": caption,
        "html": table_html(title, rows),
    }


def table_html(title: str, rows: list[list[str]]) -> str:
    """An accessible HTML table: the title as its caption, the first row as column headers.

    >>> html = table_html("Budget", [["Year"], ["2025"]])
    >>> html[:60]
    '<table><caption>Budget</caption><thead><tr><th scope="col">'
    >>> html[60:]
    'Year</th></tr></thead><tbody><tr><td>2025</td></tr></tbody></table>'
    """
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in rows[0]) if rows else ""
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    caption = f"<caption>{escape(title)}</caption>" if title else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _decisions(w: _Writer, case: CaseModule) -> dict[str, dict[str, Any]]:
    out = {}
    for p in case.decisions.points:
        best = max(o.score for o in p.options)
        out[p.id] = {
            o.id: {
                "score": (o.score / best) if p.graded else None,
                "next": o.next,
                "feedback": w.path_text(o.feedback),
                "consequence": w.path_text(o.consequence),
            }
            for o in p.options
        }
    return out


def _competency_titles(content: Content) -> dict[str, dict]:
    return {
        c.id: dict(c.title)
        for _, framework in content.frameworks
        for area in framework.areas
        for c in area.competencies
    }


# ----------------------------------------------------------------------- instrument


def _instrument(w: _Writer, ins: Instrument) -> dict[str, Any]:
    section_of: dict[str, str] = {}
    for top in ins.dimensions:
        for d in _walk(top):
            section_of[d.id] = top.id
    items_by_section: dict[str, list[str]] = {top.id: [] for top in ins.dimensions}
    for it in ins.items:
        items_by_section[section_of[next(iter(it.dimensions))]].append(it.id)
    label = ins.label
    return {
        "id": ins.id,
        "version": ins.version,
        "description": w.html(ins.description),
        "levels": [
            {
                "id": lv.id,
                "title": w.text(lv.title),
                "description": w.html(lv.description),
                "min": lv.min,
            }
            for lv in ins.levels
        ],
        "dimensions": [_dimension(w, d) for d in ins.dimensions],
        "sections": [
            {"id": top.id, "title": w.text(top.title), "items": items_by_section[top.id]}
            for top in ins.dimensions
            if items_by_section[top.id]
        ],
        "items": [_item(w, it) for it in ins.items],
        "profile": [
            {
                "id": f.id,
                "type": f.type,
                "label": w.text(f.label),
                "help": w.html(f.help),
                "unit": w.text(f.unit) if f.unit else None,
                "choices": [{"id": c.id, "label": w.text(c.label)} for c in f.choices],
                "required": f.required,
                "min": f.min,
                "max": f.max,
            }
            for f in ins.profile
        ],
        "label": None
        if label is None
        else {
            "disclaimer": w.html(label.disclaimer),
            "indicators": [
                {
                    "id": r.id,
                    "item": r.item,
                    "title": w.text(r.title),
                    "evidence": w.html(r.evidence),
                    "points": r.points,
                    "modules": list(r.modules),
                }
                for r in label.indicators
            ],
            "requirements": [
                {
                    "id": r.id,
                    "item": r.item,
                    "title": w.text(r.title),
                    "description": w.html(r.description),
                    "levels": list(r.levels),
                }
                for r in label.minimum_requirements
            ],
            "levels": [
                {
                    "id": lv.id,
                    "title": w.text(lv.title),
                    "description": w.html(lv.description),
                    "min_ratio": lv.min_ratio,
                    "min_coverage": lv.min_coverage,
                    "valid_months": lv.valid_months,
                }
                for lv in label.levels
            ],
        },
    }


def _walk(d):
    yield d
    for child in d.children:
        yield from _walk(child)


def _dimension(w: _Writer, d) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": w.text(d.title),
        "description": w.html(d.description),
        "modules": list(d.modules),
        "children": [_dimension(w, c) for c in d.children],
    }


def _item(w: _Writer, it) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": it.id,
        "type": it.type,
        "prompt": w.html(it.prompt, inline=True),
        "help": w.html(it.help),
    }
    match it.type:
        case "likert":
            out["points"] = it.points
            out["labels"] = [w.text(lab) for lab in it.labels]
        case "single_choice" | "situational" | "multiple_choice":
            out["options"] = [{"id": o.id, "html": w.html(o.text, inline=True)} for o in it.options]
            if it.type == "situational":
                out["scenario"] = w.html(it.scenario)
        case "numeric":
            out["unit"] = w.text(it.unit) if it.unit else None
            out.update(min=it.min, max=it.max, integer=it.integer)
        case "boolean":
            pass
        case other:  # pragma: no cover - a new item type must be added here
            raise BundleError(f"item {it.id!r}: the player has no view of type {other!r}")
    return out


# ------------------------------------------------------------------------ peers


def peers(ins: Instrument, lang: str, *, k: int = DEFAULT_K) -> dict[str, Any] | None:
    """Peer quantiles of the instrument's bundled reference data (None: it has none).

    ``overall`` and each top-level dimension, for the group of all peers and, for a label
    self-assessment, one group per portfolio and the excellence group (gold-labelled).
    """
    reference = reference_for(ins.id)
    if reference is None:
        return None
    groups: list[tuple[str, str, dict[str, str]]] = [("all", _ui(lang, "peers_all"), {})]
    if ins.label is not None:
        for fld in ins.profile:
            if fld.id == PORTFOLIO_FIELD:
                groups += [
                    (f"portfolio:{c.id}", pick(c.label, lang), {PORTFOLIO_FIELD: c.id})
                    for c in fld.choices
                ]
        groups.append(("excellence", _ui(lang, "peers_excellence"), dict(EXCELLENCE_FILTER)))
    names = [OVERALL] + [f"{DIMENSION_PREFIX}{d.id}" for d in ins.dimensions]
    out = []
    for gid, title, criteria in groups:
        subset = reference.where(**criteria) if criteria else reference
        entry: dict[str, Any] = {"id": gid, "title": title, "filter": criteria, "n": len(subset)}
        measures = {}
        for name in names:
            if name not in reference.measures:
                continue
            d = distribution(subset.values(name), k=k)
            if isinstance(d, Withheld):
                measures = None
                break
            key = name.removeprefix(DIMENSION_PREFIX)
            measures[key] = [round(x, 4) for x in (d.p10, d.q1, d.median, d.q3, d.p90)]
        entry["measures"] = measures
        out.append(entry)
    meta = reference.metadata
    return {
        "source": meta.get("notice", ""),
        "synthetic": bool(meta.get("synthetic", False)),
        "k": k,
        "quantiles": list(QUANTILES),
        "groups": out,
    }


# ------------------------------------------------------------------- catalogue, UI


def _catalogue(content: Content, lang: str) -> dict[str, dict[str, str]]:
    return {
        m.id: {"title": pick(m.model.title, lang), "course": c.model.id}
        for c in content.courses
        if c.model is not None
        for m in c.modules
        if m.model is not None
    }


STRINGS = resources.files("clusterexcellence.player") / "strings"


@lru_cache(maxsize=8)
def ui_strings(lang: str) -> dict[str, str]:
    """The player's UI strings in ``lang`` (English for a language it has no strings in)."""
    path = STRINGS / f"{lang}.json"
    if not path.is_file():
        path = STRINGS / "en.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _ui(lang: str, key: str) -> str:
    strings = ui_strings(lang)
    return strings.get(key) or ui_strings("en").get(key, key)
