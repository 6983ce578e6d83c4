"""Texts that follow the learner's path through a case: variant choice and its checks.

A decision point's ``prompt`` and an option's ``feedback`` and ``consequence`` are either
a translatable text or a list of :class:`~.models.TextVariant`: the first variant whose
``when`` holds on the path so far is shown, the last one (without ``when``) is the
default. :func:`text_for` makes that choice; every channel that renders a case (the
preview, the learner player's bundle) calls it, or mirrors it exactly.

Each text may declare ``requires``, the steps it assumes happened. :func:`path_text_problems`
walks every path of a case (a DAG: tens to a few thousand paths) and reports, at the
text, any text shown on a path that does not satisfy its ``requires``, any variant that
no path shows, and conditions or requirements that name unknown points or options, or
points that cannot come before the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .exceptions import ContentProblem
from .loader import LoadedModule
from .models import END, CaseModule, PathCondition, PathText, TextVariant

#: A path so far: the (point id, option id) choices made, in order.
Path = Sequence[tuple[str, str]]
FORMAT_HINT = "see 'Path-dependent text' in docs/content-format.md"


def variant_index(text: PathText | None, path: Path) -> int | None:
    """Index of the variant of ``text`` shown after ``path``; None for a plain text.

    >>> from clusterexcellence.courses.models import TextVariant, PathCondition
    >>> text = [TextVariant(when=PathCondition(chose={"p1": ["b"]}), text={"en": "B"}),
    ...         TextVariant(text={"en": "other"})]
    >>> variant_index(text, [("p1", "b")]), variant_index(text, [("p1", "a")])
    (0, 1)
    """
    if not isinstance(text, list | tuple):
        return None
    for k, variant in enumerate(text):
        if variant.when is None or any(condition_holds(c, path) for c in variant.conditions):
            return k
    return len(text) - 1  # unreachable for validated content: the last has no `when`


def text_for(text: PathText | None, path: Path) -> dict[str, str] | None:
    """The translatable text to show after ``path``: the first variant whose ``when`` holds.

    Parameters
    ----------
    text : PathText or None
        A prompt, feedback or consequence: a text (returned as is) or a list of variants.
    path : sequence of (point id, option id)
        The choices made *before* the point that carries the text (an option's feedback
        and consequence: before its point; the option chosen is implied).

    >>> text_for({"en": "plain"}, [])
    {'en': 'plain'}
    """
    k = variant_index(text, path)
    return text if k is None else text[k].text


def default_text(text: PathText | None) -> dict[str, str] | None:
    """The text shown when no condition holds: the text itself, or the last variant's."""
    return text[-1].text if isinstance(text, list | tuple) else text


def condition_holds(when: PathCondition, path: Path) -> bool:
    """Whether every condition of ``when`` holds on ``path``."""
    chosen = dict(path)
    return (
        all(chosen.get(point) in options for point, options in when.chose.items())
        and all(point in chosen for point in when.visited)
        and not any(point in chosen for point in when.not_visited)
    )


def unmet_requirements(requires: Sequence[str], path: Path) -> list[str]:
    """The entries of ``requires`` that ``path`` does not satisfy, as written.

    Every entry must hold: ``point`` when the path visited it, ``point.option`` when it
    chose that option there, and ``a.x | b.y`` when one of its alternatives holds.

    >>> unmet_requirements(["p1.b | p1.c", "p2"], [("p1", "c")])
    ['p2']
    """
    chosen = dict(path)
    return [req for req in requires if not any(_holds(s, chosen) for s in alternatives(req))]


def alternatives(requirement: str) -> list[str]:
    """The steps of one ``requires`` entry: ``"a.x | b"`` → ``["a.x", "b"]``."""
    return [step.strip() for step in requirement.split("|")]


def _holds(step: str, chosen: dict[str, str]) -> bool:
    point, _, option = step.partition(".")
    return point in chosen and (not option or chosen[point] == option)


def case_paths(case: CaseModule) -> Iterator[list[tuple[str, str]]]:
    """Every path from ``start`` to ``end`` of a valid (acyclic) case, as its choices."""
    points = {p.id: p for p in case.decisions.points}

    def walk(pid: str, prefix: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
        for option in points[pid].options:
            step = [*prefix, (pid, option.id)]
            if option.next == END:
                yield step
            else:
                yield from walk(option.next, step)

    yield from walk(case.decisions.start, [])


def format_path(path: Path, point: str | None = None) -> str:
    """A path as the preview's ``?path=`` value, ``p1:a,p2:c``, then ``→ point``."""
    steps = ",".join(f"{p}:{o}" for p, o in path) or "(start)"
    return f"{steps} → {point}" if point else steps


def _texts(case: CaseModule) -> list[tuple[tuple, PathText, str, str | None]]:
    """``(loc, text, point id, option id)`` of every prompt (option None), feedback and
    consequence of a case."""
    out = []
    for i, point in enumerate(case.decisions.points):
        base = ("decisions", "points", i)
        out.append(((*base, "prompt"), point.prompt, point.id, None))
        for j, option in enumerate(point.options):
            for key in ("feedback", "consequence"):
                value = getattr(option, key)
                if value is not None:
                    out.append(((*base, "options", j, key), value, point.id, option.id))
    return out


def _variants(loc: tuple, text: PathText) -> list[tuple[tuple, TextVariant]]:
    return [((*loc, k), v) for k, v in enumerate(text)] if isinstance(text, list) else []


def _before(case: CaseModule) -> dict[str, set[str]]:
    """Point id → the points that come before it on some path (its ancestors)."""
    parents: dict[str, set[str]] = {p.id: set() for p in case.decisions.points}
    for point in case.decisions.points:
        for option in point.options:
            if option.next in parents:
                parents[option.next].add(point.id)
    memo: dict[str, set[str]] = {}

    def up(pid: str) -> set[str]:
        if pid not in memo:
            memo[pid] = set()
            for parent in parents[pid]:
                memo[pid] |= {parent, *up(parent)}
        return memo[pid]

    return {pid: up(pid) for pid in parents}


def naming_problems(module: LoadedModule) -> Iterator[ContentProblem]:
    """Conditions and requirements naming unknown points or options, or later points."""
    case: CaseModule = module.model
    src = module.source
    options = {p.id: {o.id for o in p.options} for p in case.decisions.points}
    before = _before(case)

    def check_point(loc: tuple, pid: str, owner: str, what: str) -> bool:
        if pid not in options:
            msg = f"{what} names {pid!r}, which is no decision point of this case"
            problems.append(src.problem(loc, msg, "use a decision point id"))
            return False
        if pid not in before[owner]:
            problems.append(
                src.problem(
                    loc,
                    f"{what} names {pid!r}, which comes before {owner!r} on no path",
                    f"name a point that can come before {owner!r}",
                )
            )
            return False
        return True

    def check_option(loc: tuple, pid: str, oid: str, what: str) -> None:
        if oid not in options[pid]:
            problems.append(
                src.problem(
                    loc,
                    f"{what} names option {oid!r}, which {pid!r} does not have",
                    f"use one of {', '.join(sorted(options[pid]))}",
                )
            )

    problems: list[ContentProblem] = []
    for loc, text, owner, _ in _texts(case):
        for vloc, variant in _variants(loc, text):
            for c, when in enumerate(variant.conditions):
                wloc = (*vloc, "when") if not isinstance(variant.when, list) else (*vloc, "when", c)
                for pid, oids in when.chose.items():
                    where = (*wloc, "chose", pid)
                    if check_point(where, pid, owner, "'when'"):
                        for k, oid in enumerate(oids):
                            check_option((*where, k), pid, oid, "'when'")
                for key in ("visited", "not_visited"):
                    for k, pid in enumerate(getattr(when, key)):
                        check_point((*wloc, key, k), pid, owner, "'when'")
            for k, req in enumerate(variant.requires):
                for step in alternatives(req):
                    pid, _, oid = step.partition(".")
                    where = (*vloc, "requires", k)
                    if check_point(where, pid, owner, "'requires'") and oid:
                        check_option(where, pid, oid, "'requires'")
    yield from problems


def walk_problems(module: LoadedModule) -> Iterator[ContentProblem]:
    """Texts shown on a path that lacks a step they require, and variants no path shows."""
    case: CaseModule = module.model
    src = module.source
    texts: dict[tuple[str, str | None], list[tuple[tuple, PathText]]] = {}
    for loc, text, pid, oid in _texts(case):
        texts.setdefault((pid, oid), []).append((loc, text))
    shown: set[tuple] = set()
    unmet: dict[tuple, list] = {}  # variant loc → [first failing path, its unmet, count]
    for path in case_paths(case):
        for i, (pid, oid) in enumerate(path):
            prefix = path[:i]
            for loc, text in texts[(pid, None)] + texts.get((pid, oid), []):
                k = variant_index(text, prefix)
                vloc = loc if k is None else (*loc, k)
                shown.add(vloc)
                missing = [] if k is None else unmet_requirements(text[k].requires, prefix)
                if missing:
                    step = pid if loc[-1] == "prompt" else f"{pid}:{oid}"
                    unmet.setdefault(vloc, [format_path(prefix, step), missing, 0])[2] += 1
    for vloc, (where, missing, count) in unmet.items():
        others = f" (and {count - 1} other path(s))" if count > 1 else ""
        yield src.problem(
            (*vloc, "requires"),
            f"text requires {', '.join(missing)}, which the path {where} did not take{others}",
            "give this text a variant for that path (a 'when' before it), or restructure the graph",
        )
    for loc, text, owner, _ in _texts(case):
        for vloc, _variant in _variants(loc, text)[:-1]:
            if vloc not in shown:
                yield src.problem(
                    (*vloc, "when"),
                    f"variant {vloc[-1] + 1} is shown on no path through {owner!r}",
                    "no path meets its 'when' before an earlier variant matches: "
                    "fix the condition, reorder the variants or remove it",
                )


def path_text_problems(module: LoadedModule) -> list[ContentProblem]:
    """Every problem of the path-dependent texts of a case with a sound decision graph."""
    problems = list(naming_problems(module))
    if not problems:  # walk only texts whose references are sound
        problems += walk_problems(module)
    return problems
