"""Benchmarking reference data: a set of units, and the one reader of reference CSVs.

"Reference" means this and only this in the suite: the units (cluster organisations,
cluster managers) a result is compared with. The bundled reference data is synthetic
(``courses/content/reference``); real data comes in through :func:`read_reference_csv`,
which checks every cell first.

CSV layout (``docs/csv-formats.md``): ``unit_id`` first, then attribute columns
(:data:`ATTRIBUTES`, any subset, any order), then numeric measure columns; an empty
measure cell is a missing value. Given an instrument, a measure column must be one of
its item ids (the answer coded as the engine codes it: the value of a numeric item, 1/0
for a boolean, the option index of a choice), a dimension score ``dim:<id>`` or
``overall`` (both in [0, 1]), or an allowed extra measure; without one, any column that
is not an attribute is a measure and must hold finite numbers. Every problem is
collected, each with ``file:line`` and the column, and raised together as one
:class:`~clusterexcellence.engine.exceptions.ReferenceDataError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .compile import compile_instrument
from .exceptions import BenchmarkError, ReferenceDataError, ReferenceIssue
from .files import csv_records
from .instrument import Instrument

ID_COLUMN = "unit_id"
#: Attribute (text) columns of reference data; peer groups are chosen by them.
ATTRIBUTES = ("portfolio", "country", "size_band", "label")
#: Label currently held by a reference unit.
LABEL_LEVELS = ("none", "bronze", "silver", "gold")
#: Size bands by number of committed members (see the synthetic data's calibration).
SIZE_BANDS = ("micro", "small", "medium", "large")
#: ISO 3166-1 alpha-2 code, or ``other`` (the synthetic set's bucket of small countries).
COUNTRY_PATTERN = re.compile(r"^(?:[A-Z]{2}|other)$")
DIMENSION_PREFIX = "dim:"
OVERALL = "overall"


@dataclass(frozen=True, eq=False)
class ReferenceSet:
    """Reference units with text attributes and numeric measures (NaN: no value).

    ``ids`` has shape (n,); each attribute and measure array has shape (n,).
    """

    ids: np.ndarray
    attributes: dict[str, np.ndarray]
    measures: dict[str, np.ndarray]
    metadata: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def values(self, measure: str) -> np.ndarray:
        try:
            return self.measures[measure]
        except KeyError:
            raise BenchmarkError(
                f"unknown measure {measure!r}; the reference set has {sorted(self.measures)[:8]}..."
            ) from None

    def mask(self, **criteria: str | Sequence[str]) -> np.ndarray:
        """Boolean mask (n,) of units whose attributes match every criterion."""
        keep = np.ones(len(self), bool)
        for name, wanted in criteria.items():
            if name not in self.attributes:
                raise BenchmarkError(
                    f"unknown attribute {name!r}; known: {sorted(self.attributes)}"
                )
            wanted = [wanted] if isinstance(wanted, str) else list(wanted)
            keep &= np.isin(self.attributes[name], wanted)
        return keep

    def where(self, **criteria: str | Sequence[str]) -> ReferenceSet:
        """The peer group matching ``criteria``, e.g. ``where(portfolio="ict")``."""
        return self.subset(self.mask(**criteria))

    def subset(self, keep: np.ndarray) -> ReferenceSet:
        return ReferenceSet(
            ids=self.ids[keep],
            attributes={k: v[keep] for k, v in self.attributes.items()},
            measures={k: v[keep] for k, v in self.measures.items()},
            metadata=self.metadata,
        )

    @classmethod
    def from_csv(cls, path: Path | str, **options) -> ReferenceSet:
        """Read a reference CSV: see :func:`read_reference_csv` for ``options``."""
        return read_reference_csv(path, **options)


@dataclass(frozen=True)
class _Rule:
    """Valid range of one measure column."""

    lo: float
    hi: float
    integer: bool
    describe: str  # what the column holds, for messages


_ANY_NUMBER = _Rule(-math.inf, math.inf, False, "a number")


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
        rules[name] = _ANY_NUMBER
    return rules


def read_reference_csv(
    path: Path | str,
    *,
    instrument: Instrument | None = None,
    portfolios: Collection[str] | None = None,
    extra_measures: Collection[str] = (),
    metadata: dict | None = None,
) -> ReferenceSet:
    """Read and check a reference CSV.

    Parameters
    ----------
    path : path of the CSV (UTF-8, comma-separated, one header row).
    instrument : the instrument whose item ids and dimensions name the measure columns
        (their ranges are checked); without one, every non-attribute column is a measure.
    portfolios : allowed ``portfolio`` values; default: the choices of the instrument's
        ``portfolio`` profile field (no check without an instrument or such a field).
    extra_measures : further numeric columns to accept with an instrument (any finite
        number).
    metadata : stored on the returned set, with ``source`` (the path).

    Returns
    -------
    ReferenceSet
        ``ids`` of shape (n_units,); the attributes present; one measure per column.

    Raises
    ------
    ReferenceDataError
        With every problem found (header, cell counts, empty or duplicate ids, attribute
        values, numbers, ranges, whole numbers), each located by ``file:line`` and column.
    FileError
        When the file cannot be read (missing, too large, not UTF-8, malformed CSV).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = path.write_text("unit_id,label,m\\nu1,gold,0.5\\nu2,none,\\n")
    >>> ref = read_reference_csv(path)
    >>> ref.ids.tolist(), ref.attributes["label"].tolist(), ref.measures["m"].tolist()
    (['u1', 'u2'], ['gold', 'none'], [0.5, nan])
    """
    path = Path(path)
    name = str(path)
    if instrument is not None:
        rules: dict[str, _Rule] | None = _measure_rules(instrument, extra_measures)
        allowed_portfolios = (
            tuple(portfolios) if portfolios is not None else portfolio_ids(instrument)
        )
    else:
        rules, allowed_portfolios = None, tuple(portfolios or ())
    allowed = {
        "portfolio": allowed_portfolios or None,
        "label": LABEL_LEVELS,
        "size_band": SIZE_BANDS,
    }
    issues: list[ReferenceIssue] = []

    def problem(line: int, column: str | None, message: str) -> None:
        issues.append(ReferenceIssue(name, line, column, message))

    records = list(csv_records(path))
    rows = [record for _, record in records]
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
        elif rules is None or col in rules:
            measure_cols[col] = c
        else:
            problem(
                1,
                col,
                "unknown column: not an attribute "
                f"({', '.join(ATTRIBUTES)}), an item id of {instrument.id!r}, "
                f"'{DIMENSION_PREFIX}<dimension>' or {OVERALL!r}",
            )

    body = records[1:]
    if not body and header:
        problem(1, None, "no data rows")
    ids: list[str] = []
    first_line: dict[str, int] = {}
    values = np.full((len(body), len(measure_cols)), np.nan)
    for r, (line, row) in enumerate(body):
        if len(row) != len(header):
            problem(line, None, f"{len(row)} cells, the header has {len(header)}")
            row = (row + [""] * len(header))[: len(header)]
            body[r] = (line, row)
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
            rule = _ANY_NUMBER if rules is None else rules[col]
            if not math.isfinite(x):
                problem(line, col, f"{cell!r} is not finite")
            elif not rule.lo <= x <= rule.hi:
                bounds = f"[{rule.lo:g}, {rule.hi:g}]"
                problem(line, col, f"{cell} is outside {bounds} ({rule.describe})")
            elif rule.integer and x != round(x):
                problem(line, col, f"{cell} is not a whole number ({rule.describe})")
            else:
                values[r, j] = x
    if issues:
        raise ReferenceDataError(issues, path=name)
    meta = {"source": name} | ({"instrument": instrument.id} if instrument else {})
    return ReferenceSet(
        ids=np.array(ids, dtype=object),
        attributes={
            col: np.array([row[c].strip() for _, row in body], dtype=object)
            for col, c in attr_cols.items()
        },
        measures={col: values[:, j].copy() for j, col in enumerate(measure_cols)},
        metadata=meta | (metadata or {}),
    )
