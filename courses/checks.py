"""Cross-reference checks: ids, competencies, module references and translations.

Each function takes loaded, structurally valid models and returns located problems;
:mod:`.validate` runs them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from clusterexcellence.engine import Instrument
from clusterexcellence.engine.exceptions import format_loc

from .exceptions import ContentProblem
from .loader import Content, LoadedModule
from .models import CaseModule, Framework
from .source import YamlSource
from .texts import iter_texts


def duplicate_problems(
    source: YamlSource, pairs: Iterable[tuple[str, tuple]], what: str
) -> Iterator[ContentProblem]:
    """A problem for every id of ``(id, loc)`` pairs seen before."""
    seen: dict[str, tuple] = {}
    for key, loc in pairs:
        if key in seen:
            line, _ = source.position(seen[key])
            yield source.problem(
                loc, f"duplicate {what} id {key!r} (first on line {line})", "give each a unique id"
            )
        else:
            seen[key] = loc


def translation_problems(
    source: YamlSource, model, languages: list[str], owner: str
) -> Iterator[ContentProblem]:
    """Every text of ``model`` missing one of ``languages`` (or empty in it)."""
    langs = ", ".join(languages)
    for loc, text in iter_texts(model):
        for lang in languages:
            if not text.get(lang, "").strip():
                yield source.problem(
                    loc,
                    f"missing {lang!r} translation of {format_loc(loc)}",
                    f"add a '{lang}:' entry; {owner} languages are {langs}",
                )


def framework_problems(source: YamlSource, fw: Framework) -> Iterator[ContentProblem]:
    level_ids = [lv.id for lv in fw.levels]
    yield from duplicate_problems(
        source, [(lv.id, ("levels", i, "id")) for i, lv in enumerate(fw.levels)], "level"
    )
    yield from duplicate_problems(
        source, [(a.id, ("areas", i, "id")) for i, a in enumerate(fw.areas)], "area"
    )
    comps = [
        (c.id, ("areas", i, "competencies", j, "id"))
        for i, a in enumerate(fw.areas)
        for j, c in enumerate(a.competencies)
    ]
    yield from duplicate_problems(source, comps, "competency")
    for i, area in enumerate(fw.areas):
        for j, comp in enumerate(area.competencies):
            loc = ("areas", i, "competencies", j)
            if not comp.id.startswith(f"{area.id}."):
                yield source.problem(
                    (*loc, "id"),
                    f"competency {comp.id!r} is not in area {area.id!r}",
                    f"name it '{area.id}.<competency>'",
                )
            missing = [lv for lv in level_ids if lv not in comp.descriptors]
            if missing:
                yield source.problem(
                    (*loc, "descriptors"),
                    f"no descriptor for level(s) {', '.join(missing)} of {comp.id!r}",
                    "add one descriptor per framework level",
                )
            for key in comp.descriptors:
                if key not in level_ids:
                    yield source.problem(
                        (*loc, "descriptors", key),
                        f"unknown level {key!r} in the descriptors of {comp.id!r}",
                        f"use one of {', '.join(level_ids)}",
                    )
    yield from translation_problems(source, fw, list(fw.languages), "the framework's")


def competency_problems(module: LoadedModule, known: set[str]) -> Iterator[ContentProblem]:
    """Unknown competency ids in a case."""
    case, source = module.model, module.source
    refs = [(c, ("competencies", i)) for i, c in enumerate(case.competencies)]
    for i, point in enumerate(case.decisions.points):
        refs += [
            (c, ("decisions", "points", i, "competencies", j))
            for j, c in enumerate(point.competencies)
        ]
    for cid, loc in refs:
        if cid not in known:
            yield source.problem(
                loc, f"unknown competency {cid!r}", _suggest(cid, known, "competency")
            )


def module_ref_problems(module: LoadedModule, known: set[str]) -> Iterator[ContentProblem]:
    """Unknown module ids in an instrument's dimensions and label indicators."""
    ins: Instrument = module.model
    refs = []
    for dim, _, loc in ins.iter_dimensions():
        refs += [(m, (*loc, "modules", j)) for j, m in enumerate(dim.modules)]
    if ins.label is not None:
        for i, ind in enumerate(ins.label.indicators):
            refs += [
                (m, ("label", "indicators", i, "modules", j)) for j, m in enumerate(ind.modules)
            ]
    for mid, loc in refs:
        if mid not in known:
            yield module.source.problem(
                loc, f"unknown module id {mid!r}", _suggest(mid, known, "module")
            )


def case_id_problems(module: LoadedModule) -> Iterator[ContentProblem]:
    """Duplicate ids inside a case (sections, exhibits, points, options, reflections)."""
    case: CaseModule = module.model
    src = module.source
    for key, what in (
        ("sections", "section"),
        ("exhibits", "exhibit"),
        ("reflections", "reflection"),
    ):
        yield from duplicate_problems(
            src, [(x.id, (key, i, "id")) for i, x in enumerate(getattr(case, key))], what
        )
    pts = case.decisions.points
    base = ("decisions", "points")
    yield from duplicate_problems(
        src, [(p.id, (*base, i, "id")) for i, p in enumerate(pts)], "decision point"
    )
    for i, p in enumerate(pts):
        yield from duplicate_problems(
            src, [(o.id, (*base, i, "options", j, "id")) for j, o in enumerate(p.options)], "option"
        )


def content_id_problems(content: Content) -> Iterator[ContentProblem]:
    """Duplicate framework, course and module ids across the content root."""
    seen: dict[tuple[str, str], ContentProblem] = {}
    entries = [(fw.id, "framework", src) for src, fw in content.frameworks]
    entries += [(c.model.id, "course", c.source) for c in content.courses if c.model]
    entries += [(m.model.id, "module", m.source) for m in content.modules() if m.model]
    for key, what, src in entries:
        here = src.problem(("id",), "")
        first = seen.get((what, key))
        if first is None:
            seen[(what, key)] = here
        else:
            yield src.problem(
                ("id",),
                f"duplicate {what} id {key!r} (also in {first.file}:{first.line})",
                f"{what} ids must be unique across the content",
            )
    for course in content.courses:
        if course.model:
            yield from duplicate_problems(
                course.source,
                [(m, ("modules", i)) for i, m in enumerate(course.model.modules)],
                "module",
            )


def _suggest(value: str, known: set[str], what: str) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    if not known:
        return f"no {what} ids are defined"
    shown = ", ".join(sorted(known)[:8]) + (", ..." if len(known) > 8 else "")
    return f"use a known {what} id: {shown}"
