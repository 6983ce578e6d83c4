"""Read answers: natural values and CSV cells → the coded array that scoring takes.

CSV layout (documented in ``docs/csv-formats.md``): a header row ``respondent_id`` then
item ids (any order, any subset; an absent item is unanswered). Cells: a likert point;
an option id; option ids joined by ``|`` for multiple choice; a number with ``.`` as the
decimal mark; ``true``/``false`` (also ``yes``/``no``, ``1``/``0``) for booleans. An
empty cell is unanswered.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .compile import CompiledInstrument
from .exceptions import ResponseError

ID_COLUMN = "respondent_id"
MULTI_SEPARATOR = "|"
_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}


def encode_answer(item, value: Any) -> float:
    """Code one natural answer (see :mod:`~clusterexcellence.engine.compile`).

    Raises ``ValueError`` with a short reason when the value cannot be read; range checks
    are left to :func:`~clusterexcellence.engine.scoring.score`.
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return math.nan
    kind = item.type
    if kind in ("single_choice", "situational", "multiple_choice"):
        ids = [o.id for o in item.options]
        chosen = value
        if kind != "multiple_choice":
            chosen = [value]
        elif isinstance(value, str):
            chosen = [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()]
        unknown = [c for c in chosen if c not in ids]
        if unknown:
            raise ValueError(f"unknown option {unknown[0]!r} (options: {', '.join(ids)})")
        if kind != "multiple_choice":
            return float(ids.index(chosen[0]))
        return float(sum(1 << ids.index(c) for c in set(chosen)))
    if kind == "boolean":
        if isinstance(value, bool):
            return float(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return 1.0
        if text in _FALSE:
            return 0.0
        raise ValueError(f"{value!r} is not a boolean (true/false)")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number") from None


def encode_rows(
    compiled: CompiledInstrument,
    rows: Iterable[dict[str, Any]],
    *,
    invalid: Literal["raise", "missing"] = "raise",
    first_row: int = 0,
    respondent_ids: list | None = None,
) -> np.ndarray:
    """Code answer mappings (item id → natural value) into an array (n, n_items)."""
    items = compiled.instrument.items
    rows = list(rows)
    X = np.full((len(rows), compiled.n_items), np.nan)
    for r, row in enumerate(rows):
        for key, value in row.items():
            try:
                j = compiled.column(key)
            except KeyError:
                raise ResponseError(
                    f"respondent {_who(r, first_row, respondent_ids)!r}: unknown item {key!r}",
                    respondent=_who(r, first_row, respondent_ids),
                    item=key,
                ) from None
            try:
                X[r, j] = encode_answer(items[j], value)
            except ValueError as err:
                if invalid == "missing":
                    continue
                who = _who(r, first_row, respondent_ids)
                raise ResponseError(
                    f"respondent {who!r}, item {key!r}: {err}", respondent=who, item=key
                ) from None
    return X


def _who(r: int, first_row: int, ids: list | None):
    return ids[r] if ids is not None else first_row + r


def iter_csv_batches(
    path: Path,
    compiled: CompiledInstrument,
    *,
    invalid: Literal["raise", "missing"] = "raise",
    batch_rows: int = 50_000,
) -> Iterator[tuple[list[str], np.ndarray]]:
    """Read a responses CSV in batches of ``(respondent ids, coded answers)``.

    Errors name the file, the line and the item. Unknown columns are refused (a typo in
    an item id would otherwise silently drop answers).
    """
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header is None:
            return
        if not header or header[0] != ID_COLUMN:
            raise ResponseError(
                f"{path}:1: the first column must be {ID_COLUMN!r}, got {header[:1]}",
                respondent="header",
                item=header[0] if header else "",
            )
        cols = []
        for name in header[1:]:
            try:
                cols.append(compiled.column(name))
            except KeyError:
                raise ResponseError(
                    f"{path}:1: unknown item {name!r} in the header", respondent="header", item=name
                ) from None
        items = compiled.instrument.items
        # Cell text -> code, per column: a column holds few distinct texts, so each is
        # read once (the cache also remembers unreadable texts, as None).
        caches: list[dict[str, float | None]] = [{} for _ in cols]
        batch: list[list[str]] = []
        lines: list[int] = []
        for line_no, record in enumerate(reader, start=2):
            if not record:
                continue
            if len(record) != len(header):
                raise ResponseError(
                    f"{path}:{line_no}: {len(record)} cells, the header has {len(header)}",
                    respondent=record[0],
                    item="",
                )
            batch.append(record)
            lines.append(line_no)
            if len(batch) == batch_rows:
                yield _code_batch(path, batch, lines, cols, items, caches, invalid, compiled)
                batch, lines = [], []
        if batch:
            yield _code_batch(path, batch, lines, cols, items, caches, invalid, compiled)


def _code_batch(path, batch, lines, cols, items, caches, invalid, compiled):
    """Respondent ids and the coded array of a batch of CSV records."""
    X = np.full((len(batch), compiled.n_items), np.nan)
    first_bad: tuple[int, int] | None = None  # (row, column) of the earliest unreadable cell
    for k, (j, cache) in enumerate(zip(cols, caches, strict=True)):
        cells = [record[k + 1] for record in batch]
        for text in set(cells).difference(cache):
            try:
                cache[text] = encode_answer(items[j], text)
            except ValueError:
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
        except ValueError as err:
            raise ResponseError(
                f"{path}:{lines[r]}: respondent {batch[r][0]!r}, item {item.id!r}: {err}",
                respondent=batch[r][0],
                item=item.id,
            ) from None
    return [record[0] for record in batch], X


def answer_text(value: Any) -> str:
    """The CSV cell of one natural answer (the inverse of :func:`encode_answer`)."""
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
    """Write natural answer mappings as a responses CSV (all items, instrument order)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([ID_COLUMN, *(it.id for it in instrument.items)])
        for rid, row in zip(ids, rows, strict=True):
            writer.writerow([rid, *(answer_text(row.get(it.id)) for it in instrument.items)])


def count_rows(path: Path) -> int:
    """Data rows of a CSV file (for progress bars)."""
    with open(path, "rb") as fh:
        return max(sum(1 for _ in fh) - 1, 0)
