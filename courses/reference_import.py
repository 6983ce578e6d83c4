"""Import REAL benchmarking reference data from a CSV, checking every cell first.

Layout (the same as the bundled synthetic files, see ``content/reference/README.md``):

- ``unit_id`` first, then attribute columns (``portfolio``, ``country``, ``size_band``,
  ``label``; any subset, any order), then numeric measure columns;
- a measure column is an item id of the instrument (its answer coded as the engine codes
  it: the value of a numeric item, 1/0 for a boolean, the option index of a choice), a
  dimension score ``dim:<dimension id>`` or ``overall`` (both in [0, 1]), or one of the
  ``extra_measures`` the caller allows;
- an empty measure cell is a missing value.

Every problem is collected, each with ``file:line`` and the column, and raised together
as one :class:`ReferenceDataError`.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clusterexcellence.engine import BenchmarkError, ReferenceSet, compile_instrument
from clusterexcellence.engine.benchmark import ID_COLUMN
from clusterexcellence.engine.instrument import Instrument

#: Label currently held by a reference unit.
LABEL_LEVELS = ("none", "bronze", "silver", "gold")
#: Size bands by number of committed members (see ``calibration.yaml``).
SIZE_BANDS = ("micro", "small", "medium", "large")
ATTRIBUTES = ("portfolio", "country", "size_band", "label")
DIMENSION_PREFIX = "dim:"
OVERALL = "overall"
#: ISO 3166-1 alpha-2 code, or ``other`` (the synthetic set's bucket of small countries).
COUNTRY_PATTERN = re.compile(r"^(?:[A-Z]{2}|other)$")
#: At most this many problems are listed in the exception message (all are in ``issues``).
MESSAGE_LIMIT = 200


@dataclass(frozen=True)
class ReferenceIssue:
    """One problem in a reference CSV: where it is and what is wrong."""

    path: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:"
        return (
            f"{where} column {self.column!r}: {self.message}"
            if self.column
            else f"{where} {self.message}"
        )


class ReferenceDataError(BenchmarkError):
    """Raised when a reference CSV is invalid; ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[ReferenceIssue], *, path: str) -> None:
        self.issues = list(issues)
        self.path = path
        shown = "\n".join(f"  {i}" for i in self.issues[:MESSAGE_LIMIT])
        more = len(self.issues) - MESSAGE_LIMIT
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{path} is invalid ({len(self.issues)} problem(s)):\n{shown}{tail}")


@dataclass(frozen=True)
class _Rule:
    """Valid range of one measure column."""

    lo: float
    hi: float
    integer: bool
    describe: str  # what the column holds, for messages


def portfolio_ids(instrument: Instrument) -> tuple[str, ...]:
    """Choice ids of the instrument's ``portfolio`` profile field (empty if it has none)."""
    for fld in instrument.profile:
        if fld.id == "portfolio":
            return tuple(c.id for c in fld.choices)
    return ()


def _measure_rules(instrument: Instrument, extra: Collection[str]) -> dict[str, _Rule]:
    compiled = compile_instrument(instrument)
    rules = {}
    for j, item_id in enumerate(compiled.item_ids):
        kind = compiled.item_types[j]
        what = "a numeric answer" if kind == "numeric" else f"the code of a {kind} answer"
        rules[item_id] = _Rule(compiled.lo[j], compiled.hi[j], bool(compiled.integral[j]), what)
    score = _Rule(0.0, 1.0, False, "a score")
    for dim in compiled.dimension_ids:
        rules[f"{DIMENSION_PREFIX}{dim}"] = score
    rules[OVERALL] = score
    for name in extra:
        rules[name] = _Rule(-math.inf, math.inf, False, "a number")
    return rules


def _fmt_bound(x: float) -> str:
    return f"{x:g}"


def import_reference(
    path: Path | str,
    *,
    instrument: Instrument,
    portfolios: Collection[str] | None = None,
    extra_measures: Collection[str] = (),
    metadata: dict | None = None,
) -> ReferenceSet:
    """Read and validate a reference CSV against ``instrument``.

    Parameters
    ----------
    path : path of the CSV (UTF-8, comma-separated, one header row).
    instrument : the instrument whose item ids and dimensions name the measure columns.
    portfolios : allowed ``portfolio`` values; default: the choices of the instrument's
        ``portfolio`` profile field (no check when it has none).
    extra_measures : further numeric columns to accept (any finite number).
    metadata : stored on the returned set.

    Returns
    -------
    ReferenceSet
        ``ids`` of shape (n_units,); the attributes present; one measure per column.

    Raises
    ------
    ReferenceDataError
        With every problem found (header, cell counts, duplicate ids, attribute values,
        numbers, ranges, whole numbers), each located by ``file:line`` and column.
    """
    path = Path(path)
    name = str(path)
    allowed_portfolios = tuple(portfolios) if portfolios is not None else portfolio_ids(instrument)
    allowed = {
        "portfolio": allowed_portfolios or None,
        "label": LABEL_LEVELS,
        "size_band": SIZE_BANDS,
    }
    rules = _measure_rules(instrument, extra_measures)
    issues: list[ReferenceIssue] = []

    def problem(line: int, column: str | None, message: str) -> None:
        issues.append(ReferenceIssue(name, line, column, message))

    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ReferenceDataError(
            [ReferenceIssue(name, 1, None, f"cannot read: {exc}")], path=name
        ) from exc

    header = [h.strip() for h in rows[0]] if rows else []
    if not header or header[0] != ID_COLUMN:
        first = repr(header[0]) if header else "nothing"
        problem(1, None, f"the first column must be {ID_COLUMN!r}, found {first}")
    attr_cols: dict[str, int] = {}
    measure_cols: dict[str, int] = {}
    seen_cols: dict[str, int] = {}
    for c, col in enumerate(header[1:], start=1):
        if col in seen_cols:
            problem(1, col, f"duplicate column (also column {seen_cols[col] + 1})")
            continue
        seen_cols[col] = c
        if col in ATTRIBUTES:
            attr_cols[col] = c
        elif col in rules:
            measure_cols[col] = c
        else:
            problem(
                1,
                col,
                "unknown column: not an attribute "
                f"({', '.join(ATTRIBUTES)}), an item id of {instrument.id!r}, "
                f"'{DIMENSION_PREFIX}<dimension>' or {OVERALL!r}",
            )

    body = rows[1:]
    if not body and header:
        problem(1, None, "no data rows")
    ids: list[str] = []
    first_line: dict[str, int] = {}
    values = np.full((len(body), len(measure_cols)), np.nan)
    for r, row in enumerate(body):
        line = r + 2
        if len(row) != len(header):
            problem(line, None, f"{len(row)} cells, the header has {len(header)}")
            row = (row + [""] * len(header))[: len(header)]
        uid = row[0].strip() if row else ""
        ids.append(uid)
        if not uid:
            problem(line, ID_COLUMN, "empty unit id")
        elif uid in first_line:
            problem(line, ID_COLUMN, f"duplicate unit id {uid!r} (first on line {first_line[uid]})")
        else:
            first_line[uid] = line
        for col, c in attr_cols.items():
            cell = row[c].strip()
            choices = allowed.get(col)
            if not cell:
                problem(line, col, "empty value")
            elif col == "country" and not COUNTRY_PATTERN.match(cell):
                problem(line, col, f"{cell!r} is not an ISO 3166-1 alpha-2 code (or 'other')")
            elif choices is not None and cell not in choices:
                problem(line, col, f"{cell!r} is not one of {', '.join(choices)}")
        for j, (col, c) in enumerate(measure_cols.items()):
            cell = row[c].strip()
            if not cell:
                continue
            try:
                x = float(cell)
            except ValueError:
                problem(line, col, f"{cell!r} is not a number")
                continue
            rule = rules[col]
            if not math.isfinite(x):
                problem(line, col, f"{cell!r} is not finite")
            elif not rule.lo <= x <= rule.hi:
                bounds = f"[{_fmt_bound(rule.lo)}, {_fmt_bound(rule.hi)}]"
                problem(line, col, f"{cell} is outside {bounds} ({rule.describe})")
            elif rule.integer and x != round(x):
                problem(line, col, f"{cell} is not a whole number ({rule.describe})")
            else:
                values[r, j] = x
    if issues:
        raise ReferenceDataError(issues, path=name)
    return ReferenceSet(
        ids=np.array(ids, dtype=object),
        attributes={
            col: np.array([row[c].strip() for row in body], dtype=object)
            for col, c in attr_cols.items()
        },
        measures={col: values[:, j].copy() for j, col in enumerate(measure_cols)},
        metadata={"source": name, "instrument": instrument.id, **(metadata or {})},
    )
