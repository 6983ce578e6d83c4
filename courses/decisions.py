"""Decision graphs of case studies: structural checks and compilation to an instrument.

A case's decision points form a directed graph: each option's ``next`` names another
point or ``end``. The graph must be a DAG in which every point is reachable from
``start`` and every point reaches ``end`` (so every path a learner takes finishes).

Graded points compile into an engine :class:`~clusterexcellence.engine.Instrument`, so
that a case is scored by the engine like any other instrument:

- one ``single_choice`` item per graded point (item id = point id), its options with the
  case's option scores (the engine normalises by the best option);
- one **top-level dimension per competency** the graded points train (id = competency
  id, title from the framework), each item linked with weight 1 to each competency of
  its point; the overall score is the mean over the competencies a learner met;
- ``min_coverage`` is tiny, because a learner's path visits only some points: a
  competency is scored from the points visited and is missing only when none was.

Path-dependent prompts and feedback (:mod:`.pathtext`) enter the instrument as their
default text: scoring never depends on them, and a case channel renders the variant for
the learner's path with :func:`~.pathtext.text_for`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from clusterexcellence.engine import (
    CompiledInstrument,
    Instrument,
    InstrumentError,
    Problem,
    RespondentResult,
    compile_instrument,
    load_instrument,
    score_answers,
)

from .models import END, CaseModule
from .pathtext import default_text

#: Coverage under which a case's competency score is missing: any visited point counts.
CASE_MIN_COVERAGE = 0.01


def graph_problems(case: CaseModule) -> Iterator[Problem]:
    """Yield every problem of the decision graph, located in the case's YAML."""
    points = case.decisions.points
    index = {p.id: i for i, p in enumerate(points)}
    base = ("decisions", "points")
    if case.decisions.start not in index:
        yield Problem(
            ("decisions", "start"), f"start point {case.decisions.start!r} does not exist"
        )
    edges: dict[str, list[str]] = {p.id: [] for p in points}
    for i, point in enumerate(points):
        for j, opt in enumerate(point.options):
            if opt.next != END and opt.next not in index:
                yield Problem(
                    (*base, i, "options", j, "next"),
                    f"next {opt.next!r} of option {opt.id!r} in {point.id!r} is no decision point",
                )
            else:
                edges[point.id].append(opt.next)
    if case.decisions.start not in index:
        return
    reachable = _reach(case.decisions.start, edges)
    for i, point in enumerate(points):
        if point.id not in reachable:
            yield Problem((*base, i, "id"), f"decision point {point.id!r} cannot be reached")
    finishing = _finishing(edges)
    for i, point in enumerate(points):
        if point.id in reachable and point.id not in finishing:
            yield Problem(
                (*base, i, "id"),
                f"no path from decision point {point.id!r} reaches 'end' (a loop with no way out)",
            )
    for src, j, dst, cycle in _back_edges(case.decisions.start, edges, points):
        yield Problem(
            (*base, index[src], "options", j, "next"),
            f"next {dst!r} of {src!r} closes a loop: {' → '.join(cycle)}",
        )


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen and nxt in edges:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _finishing(edges: dict[str, list[str]]) -> set[str]:
    """Points from which some path reaches ``end``."""
    done = {END}
    changed = True
    while changed:
        changed = False
        for src, targets in edges.items():
            if src not in done and any(t in done for t in targets):
                done.add(src)
                changed = True
    return done - {END}


def _back_edges(start, edges, points) -> Iterator[tuple[str, int, str, list[str]]]:
    """Options whose ``next`` closes a cycle, found by depth-first search from every point."""
    options = {p.id: [o.next for o in p.options] for p in points}
    state: dict[str, int] = {}  # 1 on the stack, 2 finished
    stack: list[str] = []

    def visit(node: str) -> Iterator[tuple[str, int, str, list[str]]]:
        state[node] = 1
        stack.append(node)
        for j, nxt in enumerate(options[node]):
            if nxt not in edges:
                continue
            if state.get(nxt) == 1:
                yield node, j, nxt, [*stack[stack.index(nxt) :], nxt]
            elif nxt not in state:
                yield from visit(nxt)
        stack.pop()
        state[node] = 2

    for node in [start, *options]:
        if node in options and node not in state:
            yield from visit(node)


def path_lengths(case: CaseModule) -> tuple[int, int]:
    """Fewest and most decision points on a path from ``start`` to ``end`` (a DAG)."""
    by_id = {p.id: p for p in case.decisions.points}
    memo: dict[str, tuple[int, int]] = {}

    def walk(pid: str) -> tuple[int, int]:
        if pid == END:
            return 0, 0
        if pid not in memo:
            spans = [walk(o.next) for o in by_id[pid].options]
            memo[pid] = (1 + min(s[0] for s in spans), 1 + max(s[1] for s in spans))
        return memo[pid]

    return walk(case.decisions.start)


def case_instrument(
    case: CaseModule, competency_titles: dict[str, dict] | None = None
) -> Instrument:
    """The engine instrument scoring the graded decision points of ``case``.

    Parameters
    ----------
    case : CaseModule
        A case whose decision points are structurally valid.
    competency_titles : dict, optional
        Competency id → translatable title (from the framework); the id otherwise.

    Raises
    ------
    InstrumentError
        With problems located in the case's YAML (``decisions.points[i]...``).
    """
    titles = competency_titles or {}
    graded = [(i, p) for i, p in enumerate(case.decisions.points) if p.graded]
    competencies = list(dict.fromkeys(c for _, p in graded for c in p.competencies))
    langs = list(case.title)
    data = {
        "id": case.id,
        "title": case.title,
        "description": case.summary,
        "min_coverage": CASE_MIN_COVERAGE,
        "dimensions": [
            {"id": c, "title": titles.get(c) or dict.fromkeys(langs, c)} for c in competencies
        ],
        "items": [
            {
                "id": p.id,
                "type": "single_choice",
                "prompt": default_text(p.prompt),
                "options": [
                    {
                        "id": o.id,
                        "text": o.text,
                        "score": o.score,
                        "feedback": default_text(o.feedback),
                    }
                    for o in p.options
                ],
                "dimensions": dict.fromkeys(p.competencies, 1),
            }
            for _, p in graded
        ],
    }
    try:
        return load_instrument(data, source=f"case {case.id!r}")
    except InstrumentError as exc:
        rows = [i for i, _ in graded]
        raise InstrumentError(
            [Problem(_case_loc(p.loc, rows), p.msg) for p in exc.problems], source=exc.source
        ) from exc


def _case_loc(loc: tuple, rows: list[int]) -> tuple:
    """Map an instrument location back to the case: ``items[k]`` → ``decisions.points[i]``."""
    if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int) and loc[1] < len(rows):
        return ("decisions", "points", rows[loc[1]], *loc[2:])
    if loc and loc[0] == "dimensions":
        return ("competencies",)
    return ("decisions",)


def case_result(
    case: CaseModule, path: Iterable[tuple[str, str]], *, compiled: CompiledInstrument | None = None
) -> RespondentResult:
    """The engine's result of the choices on ``path`` through ``case``.

    Parameters
    ----------
    case : CaseModule
        A case whose decision points are valid.
    path : iterable of (point id, option id)
        The choices made, in order; unvisited points are unanswered, and pairs that name
        no graded point or no option of it are ignored (a path may come from a URL).
    compiled : CompiledInstrument, optional
        ``compile_instrument(case_instrument(case))``, when the caller keeps it.

    Returns
    -------
    RespondentResult
        Item scores by point id, a score per competency (the dimensions) and overall.
    """
    if compiled is None:
        compiled = compile_instrument(case_instrument(case))
    answers = {}
    for point_id, option_id in path:
        j = compiled.columns.get(point_id)
        if j is not None and option_id in compiled.instrument.items[j].option_ids:
            answers[point_id] = option_id
    return score_answers(compiled, [answers])[0]
