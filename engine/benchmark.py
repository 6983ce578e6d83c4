"""Benchmarking: a reference set, peer groups and positions within them.

The method follows mutual benchmarking of cluster organisations: each unit is compared
with all benchmarked units, with its peers (same portfolio, country, size band...) and
with an excellence group, to learn from the best, not to rank. No statistic is released
for a group smaller than ``k`` units (default 5); the answer says why instead.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .exceptions import BenchmarkError

#: Smallest group for which any statistic is released.
DEFAULT_K = 5
ID_COLUMN = "unit_id"
#: Reference CSV columns read as attributes (text); every other column is a measure.
DEFAULT_ATTRIBUTES = ("portfolio", "country", "size_band", "label")


@dataclass(frozen=True)
class Withheld:
    """A statistic not released, with the reason."""

    reason: str
    n: int

    def __bool__(self) -> bool:
        return False


def _too_small(n: int, k: int, what: str = "group") -> Withheld | None:
    if n < k:
        return Withheld(f"{what} has {n} unit(s) with a value; at least {k} are needed", n)
    return None


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
    def from_csv(
        cls, path: Path | str, *, attributes: Sequence[str] = DEFAULT_ATTRIBUTES, metadata=None
    ) -> ReferenceSet:
        """Read a reference CSV: ``unit_id``, attribute columns, numeric measure columns.

        Empty measure cells are missing values. Errors give ``file:line`` and the column.
        """
        path = Path(path)
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if not header or header[0] != ID_COLUMN:
                raise BenchmarkError(f"{path}:1: the first column must be {ID_COLUMN!r}")
            rows = [r for r in reader]
        attr_cols = [i for i, h in enumerate(header) if h in attributes]
        measure_cols = [i for i, h in enumerate(header) if i and h not in attributes]
        values = np.full((len(rows), len(measure_cols)), np.nan)
        seen: dict[str, int] = {}
        for r, row in enumerate(rows):
            line = r + 2
            if len(row) != len(header):
                raise BenchmarkError(
                    f"{path}:{line}: {len(row)} cells, the header has {len(header)}"
                )
            if row[0] in seen:
                raise BenchmarkError(
                    f"{path}:{line}: duplicate unit_id {row[0]!r} (line {seen[row[0]]})"
                )
            seen[row[0]] = line
            for j, c in enumerate(measure_cols):
                cell = row[c].strip()
                if not cell:
                    continue
                try:
                    values[r, j] = float(cell)
                except ValueError:
                    raise BenchmarkError(
                        f"{path}:{line}: column {header[c]!r}: {cell!r} is not a number"
                    ) from None
                if not math.isfinite(values[r, j]):
                    raise BenchmarkError(
                        f"{path}:{line}: column {header[c]!r}: {cell!r} is not finite"
                    )
        return cls(
            ids=np.array([row[0] for row in rows], dtype=object),
            attributes={
                header[c]: np.array([row[c] for row in rows], dtype=object) for c in attr_cols
            },
            measures={header[c]: values[:, j].copy() for j, c in enumerate(measure_cols)},
            metadata=dict(metadata or {}),
        )


def percentile_positions(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Mid-rank percentile of each value in a reference distribution.

    ``(below + 0.5 * equal) / n * 100`` where ``n`` counts the reference values that are
    not NaN. Ties count half, so a value equal to every reference value sits at 50.

    Parameters
    ----------
    values : array-like of shape (n_values,)
    reference : array-like of shape (n_reference,)
        NaN entries are ignored.

    Returns
    -------
    ndarray of shape (n_values,)
        Percentiles in [0, 100]; NaN where the value is NaN or the reference is empty.

    >>> percentile_positions([1, 2, 3], [1, 2, 2, 3]).tolist()
    [12.5, 50.0, 87.5]
    """
    values = np.asarray(values, float)
    ref = np.asarray(reference, float)
    ref = np.sort(ref[~np.isnan(ref)])
    if ref.size == 0:
        return np.full(values.shape, np.nan)
    # In the sorted reference, searchsorted left counts values below, right counts <=.
    below = np.searchsorted(ref, values, side="left")
    equal = np.searchsorted(ref, values, side="right") - below
    out = (below + 0.5 * equal) * (100.0 / ref.size)
    out[np.isnan(values)] = np.nan
    return out


def quartiles_of(percentiles: np.ndarray) -> np.ndarray:
    """Quartile 1..4 of each mid-rank percentile (0 where NaN).

    >>> quartiles_of(np.array([0, 24.9, 25, 50, 99, 100, np.nan])).tolist()
    [1, 1, 2, 3, 4, 4, 0]
    """
    p = np.asarray(percentiles, float)
    q = np.minimum(np.floor(np.nan_to_num(p, nan=-25.0) / 25.0) + 1, 4)
    return q.astype(np.int8)


@dataclass(frozen=True)
class Distribution:
    n: int
    mean: float
    sd: float
    p10: float
    q1: float
    median: float
    q3: float
    p90: float


def distribution(reference: np.ndarray, *, k: int = DEFAULT_K) -> Distribution | Withheld:
    """Summary of a group's values (NaN ignored), or why it is withheld (``n < k``)."""
    ref = np.asarray(reference, float)
    ref = ref[~np.isnan(ref)]
    small = _too_small(ref.size, k)
    if small is not None:
        return small
    p10, q1, med, q3, p90 = np.percentile(ref, [10, 25, 50, 75, 90])
    return Distribution(
        n=int(ref.size),
        mean=float(ref.mean()),
        sd=float(ref.std(ddof=1)) if ref.size > 1 else 0.0,
        p10=float(p10),
        q1=float(q1),
        median=float(med),
        q3=float(q3),
        p90=float(p90),
    )


@dataclass(frozen=True, eq=False)
class Positions:
    """Positions of ``n`` values in one group. Arrays have shape (n,)."""

    group_size: int
    percentile: np.ndarray
    quartile: np.ndarray
    z: np.ndarray


def positions(
    values: np.ndarray, reference: np.ndarray, *, k: int = DEFAULT_K
) -> Positions | Withheld:
    """Percentile, quartile and z-score of each value in the reference group.

    The z-score uses the group's sample standard deviation; it is NaN when the group has
    no spread. Withheld when the group has fewer than ``k`` values.
    """
    ref = np.asarray(reference, float)
    ref = ref[~np.isnan(ref)]
    small = _too_small(ref.size, k)
    if small is not None:
        return small
    values = np.asarray(values, float)
    pct = percentile_positions(values, ref)
    sd = ref.std(ddof=1) if ref.size > 1 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (values - ref.mean()) / sd if sd > 0 else np.full(values.shape, np.nan)
    return Positions(int(ref.size), pct, quartiles_of(pct), z)


def excellence_values(
    reference: ReferenceSet,
    measure: str,
    *,
    top_share: float | None = None,
    where: dict | None = None,
) -> np.ndarray:
    """Values of the excellence group: the top share on ``measure`` or an attribute filter.

    >>> ref = ReferenceSet(np.arange(10), {}, {"m": np.arange(10.0)})
    >>> excellence_values(ref, "m", top_share=0.2).tolist()
    [8.0, 9.0]
    """
    if (top_share is None) == (where is None):
        raise BenchmarkError("give exactly one of top_share or where")
    vals = reference.values(measure)
    if where is not None:
        vals = vals[reference.mask(**where)]
        return vals[~np.isnan(vals)]
    if not 0 < top_share <= 1:
        raise BenchmarkError(f"top_share={top_share} is not in (0, 1]")
    vals = np.sort(vals[~np.isnan(vals)])
    n_top = max(1, math.ceil(top_share * vals.size)) if vals.size else 0
    return vals[vals.size - n_top :]


def excellence_gap(
    values: np.ndarray, excellence: np.ndarray, *, k: int = DEFAULT_K
) -> np.ndarray | Withheld:
    """Gap to the excellence group's mean: ``mean(excellence) - value`` (positive = behind)."""
    exc = np.asarray(excellence, float)
    exc = exc[~np.isnan(exc)]
    small = _too_small(exc.size, k, "excellence group")
    if small is not None:
        return small
    return exc.mean() - np.asarray(values, float)


def anonymous_id(unit_id: str, *, salt: str) -> str:
    """A stable pseudonym for a unit, so peers are shown without being named."""
    digest = hashlib.sha256(f"{salt}:{unit_id}".encode()).hexdigest()
    return f"peer-{digest[:8]}"


def top_peers(
    reference: ReferenceSet, measure: str, *, top: int = 5, k: int = DEFAULT_K, salt: str = ""
) -> list[tuple[str, float]] | Withheld:
    """ "Learn from the best": the ``top`` units on ``measure`` by anonymous id, best first."""
    vals = reference.values(measure)
    have = np.flatnonzero(~np.isnan(vals))
    small = _too_small(have.size, k)
    if small is not None:
        return small
    order = have[np.argsort(-vals[have], kind="stable")][:top]
    return [(anonymous_id(str(reference.ids[i]), salt=salt), float(vals[i])) for i in order]
