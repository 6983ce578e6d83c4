"""Answers in and scores out: natural values and CSV cells → the coded array that scoring
takes, and scored batches → the scores CSV.

Both layouts are documented in ``docs/csv-formats.md``. Responses: a header row
``respondent_id`` then item ids (any order, any subset; an absent item is unanswered).
Cells: a likert point; an option id; option ids joined by ``|`` for multiple choice; a
number with ``.`` as the decimal mark; ``true``/``false`` (also ``yes``/``no``,
``1``/``0``) for booleans. An empty cell is unanswered; surrounding spaces are ignored.
Every error names the file and the line; a file with an error produces no output.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .compile import CompiledInstrument
from .exceptions import AnswerError, ResponseError, format_position
from .files import atomic_output, csv_records
from .items import MULTI_SEPARATOR, Item
from .scoring import ScoreResult, score

ID_COLUMN = "respondent_id"
Invalid = Literal["raise", "missing"]


def encode_answer(item: Item, value: Any) -> float:
    """Code one natural answer (see :mod:`~clusterexcellence.engine.items`).

    Parameters
    ----------
    item : Item
    value
        A natural answer: CSV cell text, form field, or JSON value.

    Returns
    -------
    float
        The answer's code, NaN when unanswered.

    ``None`` and blank text are unanswered (NaN). Raises :class:`AnswerError` with a
    short reason when the value cannot be read (NaN and infinities included); range
    checks are left to :func:`~clusterexcellence.engine.scoring.score`.

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> q1, q2, q3 = tiny_instrument().items
    >>> encode_answer(q1, " 4 "), encode_answer(q2, "yes"), encode_answer(q3, "no")
    (4.0, 2.0, 0.0)
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return math.nan
    return item.encode(value)


def encode_rows(
    compiled: CompiledInstrument,
    rows: Iterable[dict[str, Any]],
    *,
    invalid: Invalid = "raise",
    first_row: int = 0,
    respondent_ids: list | None = None,
) -> np.ndarray:
    """Code answer mappings (item id → natural value) into an array.

    Parameters
    ----------
    compiled : CompiledInstrument
        The instrument, ``m`` items.
    rows : iterable of n mappings
        Item id → natural answer; a missing key or None is unanswered.
    invalid : {"raise", "missing"}
        An unreadable answer raises :class:`ResponseError` or is unanswered.
    first_row, respondent_ids
        How errors name a row: ``respondent_ids[r]``, else ``first_row + r``.

    Returns
    -------
    ndarray of shape (n, m)
        Answer codes, NaN where unanswered.

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> from clusterexcellence.engine.compile import compile_instrument
    >>> encode_rows(compile_instrument(tiny_instrument()), [{"q2": "some", "q3": True}])
    array([[nan,  1.,  1.]])
    """
    items = compiled.instrument.items
    rows = list(rows)
    X = np.full((len(rows), compiled.n_items), np.nan)
    for r, row in enumerate(rows):
        who = respondent_ids[r] if respondent_ids is not None else first_row + r
        for key, value in row.items():
            j = compiled.columns.get(key)
            if j is None:
                raise ResponseError(
                    f"respondent {who!r}: unknown item {key!r}", respondent=who, item=key
                )
            try:
                X[r, j] = encode_answer(items[j], value)
            except AnswerError as err:
                if invalid == "missing":
                    continue
                raise ResponseError(
                    f"respondent {who!r}, item {key!r}: {err}", respondent=who, item=key
                ) from None
    return X


# ------------------------------------------------------------------ responses CSV


@dataclass(frozen=True, eq=False)
class ResponseBatch:
    """Consecutive records of a responses CSV: ``n`` respondents."""

    ids: list[str]  # (n,) respondent ids
    lines: list[int]  # (n,) line of each record in the file
    answers: np.ndarray  # (n, m) coded answers, NaN where unanswered

    def line_of(self, respondent: object) -> int | None:
        """The line of a respondent of this batch (ids are unique in a file)."""
        try:
            return self.lines[self.ids.index(respondent)]
        except ValueError:
            return None


def _fail(path: Path, line: int, message: str, **where) -> ResponseError:
    return ResponseError(
        f"{format_position(path, line)}: {message}", path=str(path), line=line, **where
    )


def iter_csv_batches(
    path: Path,
    compiled: CompiledInstrument,
    *,
    invalid: Invalid = "raise",
    batch_rows: int = 50_000,
) -> Iterator[ResponseBatch]:
    """Read a responses CSV in batches.

    Parameters
    ----------
    path : Path
        The responses CSV (``docs/csv-formats.md``).
    compiled : CompiledInstrument
        The instrument, ``m`` items.
    invalid : {"raise", "missing"}
        An unreadable answer raises, or is unanswered.
    batch_rows : int
        Records per batch.

    Yields
    ------
    ResponseBatch
        Respondent ids and lines (n,) and coded answers (n, m).

    Refused, each with ``file:line``: a first column other than ``respondent_id``; an
    unknown or repeated item column (a typo would silently drop answers); a record with
    another number of cells than the header; an empty or repeated respondent id; an
    unreadable answer (unless ``invalid="missing"``: then it is unanswered). Blank lines
    are skipped.
    """
    path = Path(path)
    records = csv_records(path)
    first = next(records, None)
    if first is None:
        return
    _, header = first
    header = [h.strip() for h in header]
    if not header or header[0] != ID_COLUMN:
        raise _fail(path, 1, f"the first column must be {ID_COLUMN!r}, got {header[:1]}")
    cols: list[int] = []
    for name in header[1:]:
        j = compiled.columns.get(name)
        if j is None:
            raise _fail(path, 1, f"unknown item {name!r} in the header", item=name)
        if j in cols:
            raise _fail(path, 1, f"item {name!r} has two columns in the header", item=name)
        cols.append(j)
    items = compiled.instrument.items
    # Cell text -> code, per column: a column holds few distinct texts, so each is read
    # once (the cache also remembers unreadable texts, as None).
    caches: list[dict[str, float | None]] = [{} for _ in cols]
    seen: dict[str, int] = {}
    batch: list[list[str]] = []
    lines: list[int] = []
    for line, record in records:
        if not record:
            continue
        if len(record) != len(header):
            raise _fail(path, line, f"{len(record)} cells, the header has {len(header)}")
        rid = record[0].strip()
        if not rid:
            raise _fail(path, line, "empty respondent id")
        if rid in seen:
            raise _fail(path, line, f"respondent {rid!r} again (first on line {seen[rid]})")
        seen[rid] = line
        record[0] = rid
        batch.append(record)
        lines.append(line)
        if len(batch) == batch_rows:
            yield _code_batch(path, batch, lines, cols, items, caches, invalid, compiled)
            batch, lines = [], []
    if batch:
        yield _code_batch(path, batch, lines, cols, items, caches, invalid, compiled)


def _code_batch(path, batch, lines, cols, items, caches, invalid, compiled) -> ResponseBatch:
    """The coded answers of a batch of CSV records."""
    X = np.full((len(batch), compiled.n_items), np.nan)
    first_bad: tuple[int, int] | None = None  # (row, column) of the earliest unreadable cell
    for k, (j, cache) in enumerate(zip(cols, caches, strict=True)):
        cells = [record[k + 1] for record in batch]
        for text in set(cells).difference(cache):
            try:
                cache[text] = encode_answer(items[j], text)
            except AnswerError:
                cache[text] = None
        codes = [cache[text] for text in cells]
        if None in codes:
            r = codes.index(None)
            if first_bad is None or r < first_bad[0]:
                first_bad = (r, k)
            codes = [math.nan if c is None else c for c in codes]
        X[:, j] = codes
    if first_bad is not None and invalid == "raise":
        r, k = first_bad
        item = items[cols[k]]
        try:
            encode_answer(item, batch[r][k + 1])
        except AnswerError as err:
            raise _fail(
                path,
                lines[r],
                f"respondent {batch[r][0]!r}, item {item.id!r}: {err}",
                respondent=batch[r][0],
                item=item.id,
            ) from None
    return ResponseBatch([record[0] for record in batch], lines, X)


def answer_text(value: Any) -> str:
    """The CSV cell of one natural answer (the inverse of :func:`encode_answer`).

    >>> answer_text(True), answer_text(["a", "c"]), answer_text(None), answer_text(3)
    ('true', 'a|c', '', '3')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | set):
        return MULTI_SEPARATOR.join(value)
    return str(value)


def write_responses_csv(
    path: Path, instrument, rows: Sequence[dict[str, Any]], ids: Sequence[str]
) -> None:
    """Write natural answer mappings as a responses CSV (all items, instrument order).

    Parameters
    ----------
    path : Path
        Written atomically (see :func:`~clusterexcellence.engine.files.atomic_output`).
    instrument : Instrument
    rows : sequence of n mappings
        Item id → natural answer.
    ids : sequence of n respondent ids
    """
    with atomic_output(Path(path)) as fh:
        writer = csv.writer(fh)
        writer.writerow([ID_COLUMN, *(it.id for it in instrument.items)])
        for rid, row in zip(ids, rows, strict=True):
            writer.writerow([rid, *(answer_text(row.get(it.id)) for it in instrument.items)])


def count_rows(path: Path) -> int:
    """Lines of a CSV file after the header (an upper bound of its records, for progress
    bars: quoted cells may span lines)."""
    with open(path, "rb") as fh:
        return max(sum(1 for _ in fh) - 1, 0)


# ------------------------------------------------------------------ scores CSV


def scores_header(compiled: CompiledInstrument, *, items: bool = False) -> list[str]:
    """Columns of the scores CSV (layout: ``docs/csv-formats.md``).

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> from clusterexcellence.engine.compile import compile_instrument
    >>> scores_header(compile_instrument(tiny_instrument()))[4:8]
    ['answered_share', 'a', 'a:level', 'a:coverage']
    """
    header = [ID_COLUMN, "overall", "overall_level", "overall_coverage", "answered_share"]
    for d in compiled.dimension_ids:
        header += [d, f"{d}:level", f"{d}:coverage"]
    if compiled.label is not None:
        header += ["label_points", "label_ratio", "label_level", "label_gaps"]
    if items:
        header += [f"item:{i}" for i in compiled.item_ids]
    return header


def _numbers(col: np.ndarray) -> list[str]:
    """CSV cells of a float column: 6 significant digits, empty where NaN.

    Scores repeat a lot (ratios of small sums): each distinct value is formatted once.
    """
    values, where = np.unique(col, return_inverse=True)  # NaNs fold into one value
    cells = np.array(["" if x != x else f"{x:.6g}" for x in values.tolist()], dtype=object)
    return cells[where].tolist()


def _names(col: np.ndarray, names: tuple[str, ...]) -> list[str]:
    """CSV cells of a level-index column: the level's id, empty where -1."""
    return np.array([*names, ""], dtype=object)[col].tolist()  # index -1 reads the ""


def score_rows(ids: Sequence[str], result: ScoreResult, *, items: bool = False) -> list[tuple]:
    """The scores CSV's records of one scored batch, in :func:`scores_header`'s order.

    Parameters
    ----------
    ids : sequence of n respondent ids
    result : ScoreResult
        The batch, ``n`` respondents.
    items : bool
        Add the item scores (the batch must have kept them).

    Returns
    -------
    list of n tuples of str
        Numbers with 6 significant digits, level ids, empty cells where missing.

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> from clusterexcellence.engine.compile import compile_instrument
    >>> res = score([[5, 1, None]], compile_instrument(tiny_instrument()))
    >>> score_rows(["r1"], res)[0][:5]
    ('r1', '0.75', 'low', '0.5', '0.666667')
    """
    c = result.compiled
    cols = [
        list(ids),
        _numbers(result.overall),
        _names(result.overall_level, c.level_ids),
        _numbers(result.overall_coverage),
        _numbers(result.answered_share),
    ]
    for d in range(len(c.dimension_ids)):
        cols += [
            _numbers(result.dimension_scores[:, d]),
            _names(result.dimension_levels[:, d], c.level_ids),
            _numbers(result.dimension_coverage[:, d]),
        ]
    if c.label is not None:
        lab = result.label
        gaps = np.full(result.n, "", dtype=object)
        for k in c.label.gap_order.tolist():
            gaps = np.where(lab.indicator_met[:, k], gaps, gaps + c.label.indicator_ids[k] + " ")
        cols += [
            _numbers(lab.points),
            _numbers(lab.ratio),
            _names(lab.level, c.label.level_ids),
            [g.rstrip() for g in gaps.tolist()],
        ]
    if items:
        cols += [_numbers(result.item_scores[:, j]) for j in range(c.n_items)]
    return list(zip(*cols, strict=True))


def score_csv(
    responses: Path,
    compiled: CompiledInstrument,
    output: Path,
    *,
    invalid: Invalid = "raise",
    items: bool = False,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Score a responses CSV into a scores CSV; return the number of respondents.

    Parameters
    ----------
    responses : Path
        The responses CSV.
    compiled : CompiledInstrument
    output : Path
        The scores CSV, written atomically.
    invalid : {"raise", "missing"}
        What to do with an unreadable or out-of-range answer.
    items : bool
        Also write item scores.
    on_batch : callable, optional

    The output is written only when every record was read and scored: an error (naming
    ``file:line``) leaves no file behind. ``on_batch(n)`` is called after each batch.
    """
    responses, output = Path(responses), Path(output)
    total = 0
    with atomic_output(output) as fh:
        writer = csv.writer(fh)
        writer.writerow(scores_header(compiled, items=items))
        for batch in iter_csv_batches(responses, compiled, invalid=invalid):
            try:
                res = score(batch.answers, compiled, invalid=invalid, respondent_ids=batch.ids)
            except ResponseError as exc:
                line = batch.line_of(exc.respondent)
                if line is None:
                    raise
                where = {"respondent": exc.respondent, "item": exc.item}
                raise _fail(responses, line, str(exc), **where) from None
            writer.writerows(score_rows(batch.ids, res, items=items))
            total += len(batch.ids)
            if on_batch is not None:
                on_batch(len(batch.ids))
    return total
