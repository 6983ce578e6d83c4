"""Benchmarking: a reference set, peer groups and positions within them.

The method follows mutual benchmarking of cluster organisations: each unit is compared
with all benchmarked units, with its peers (same portfolio, country, size band...) and
with an excellence group, to learn from the best, not to rank. No statistic is released
for a group smaller than ``k`` units (default 5); the answer says why instead.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .exceptions import BenchmarkError
from .reference import ReferenceSet

#: Smallest group for which any statistic is released by default.
DEFAULT_K = 5
#: Smallest ``k`` accepted: k-anonymity cannot be switched off.
MIN_K = 2


@dataclass(frozen=True)
class Withheld:
    """A statistic not released, with the reason."""

    reason: str
    n: int

    def __bool__(self) -> bool:
        return False


def check_k(k: int) -> int:
    """``k`` itself, or :class:`BenchmarkError` when it would switch k-anonymity off.

    Parameters
    ----------
    k : int
        Smallest group size for which statistics are released; at least ``MIN_K`` (2).

    >>> check_k(5)
    5
    >>> check_k(0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clusterexcellence.engine.exceptions.BenchmarkError: k=0: groups smaller than 2 units ...
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < MIN_K:
        raise BenchmarkError(
            f"k={k}: groups smaller than {MIN_K} units are never released; give k >= {MIN_K}"
        )
    return int(k)


def _too_small(n: int, k: int, what: str = "group") -> Withheld | None:
    if n < check_k(k):
        return Withheld(f"{what} has {n} unit(s) with a value; at least {k} are needed", n)
    return None


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
    below, equal = _counts(values, ref)
    return _percentiles(below, equal, ref.size, np.isnan(values))


def _percentiles(below: np.ndarray, equal: np.ndarray, n: int, missing: np.ndarray) -> np.ndarray:
    """Mid-rank percentiles from the counts, NaN where the value is missing."""
    # One division of whole numbers: exactly 25, 50 or 75 when the percentile is.
    out = (200 * below + 100 * equal) / (2 * n)
    out[missing] = np.nan
    return out


def _counts(values: np.ndarray, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reference values below and equal to each value (``ref`` sorted, without NaN)."""
    # In the sorted reference, searchsorted left counts values below, right counts <=.
    below = np.searchsorted(ref, values, side="left")
    return below, np.searchsorted(ref, values, side="right") - below


def _quartiles(below: np.ndarray, equal: np.ndarray, n: int, missing: np.ndarray) -> np.ndarray:
    """Quartile 1..4 of mid-rank positions, in whole numbers: percentile / 25 is
    ``2 (2 below + equal) / n``, so a value exactly at 25, 50 or 75 starts the next one."""
    q = np.minimum(2 * (2 * below + equal) // n + 1, 4).astype(np.int8)
    q[missing] = 0
    return q


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
    """Summary of a group's values, or why it is withheld.

    Parameters
    ----------
    reference : array-like of shape (n,)
        The group's values; NaN entries are ignored.
    k : int
        Smallest group released (at least 2).

    Returns
    -------
    Distribution or Withheld
        Count, mean, sample standard deviation and the 10th, 25th, 50th, 75th and 90th
        percentiles (linear interpolation), or why not when fewer than ``k`` values.

    >>> d = distribution([1.0, 2.0, 3.0, 4.0, 5.0, np.nan])
    >>> d.n, d.mean, d.median, d.q1
    (5, 3.0, 3.0, 2.0)
    """
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

    Parameters
    ----------
    values : array-like of shape (n_values,)
        NaN values get NaN positions and quartile 0.
    reference : array-like of shape (n_reference,)
        The group's values; NaN entries are ignored.
    k : int
        Smallest group (values that are not NaN) for which positions are released; at
        least 2.

    Returns
    -------
    Positions or Withheld
        Mid-rank percentiles in [0, 100], quartiles 1..4 (a percentile of exactly 25, 50
        or 75 starts the next quartile) and z-scores against the group's mean and
        sample standard deviation (NaN when the group has no spread), each of shape
        (n_values,); or why they are withheld when the group has fewer than ``k``
        values.

    Examples
    --------
    >>> p = positions([0.0, 2.0], [-1.0, -1.0, 0.0, 1.0, 1.0])
    >>> p.group_size, p.percentile.tolist(), p.quartile.tolist()
    (5, [50.0, 100.0], [3, 4])
    >>> positions([1.0], [1.0, 2.0], k=5)
    Withheld(reason='group has 2 unit(s) with a value; at least 5 are needed', n=2)
    """
    ref = np.asarray(reference, float)
    ref = np.sort(ref[~np.isnan(ref)])
    small = _too_small(ref.size, k)
    if small is not None:
        return small
    values = np.asarray(values, float)
    missing = np.isnan(values)
    below, equal = _counts(values, ref)  # ref is sorted and without NaN: count once
    pct = _percentiles(below, equal, ref.size, missing)
    sd = ref.std(ddof=1) if ref.size > 1 else 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (values - ref.mean()) / sd if sd > 0 else np.full(values.shape, np.nan)
    return Positions(int(ref.size), pct, _quartiles(below, equal, ref.size, missing), z)


def excellence_values(
    reference: ReferenceSet,
    measure: str,
    *,
    top_share: float | None = None,
    where: dict | None = None,
) -> np.ndarray:
    """Values of the excellence group: the top share on ``measure`` or an attribute filter.

    Give exactly one of ``top_share`` and ``where``.

    Parameters
    ----------
    reference : ReferenceSet
        The peers, ``n`` units.
    measure : str
    top_share : float in (0, 1], optional
        The best ``ceil(top_share * n_with_value)`` units on ``measure`` (at least one).
    where : dict, optional
        Attribute name → value of the units in the group.

    Returns
    -------
    ndarray of shape (n_excellence,)
        The group's values (without NaN).

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
    """Gap of each value to the excellence group's mean (positive: behind).

    Parameters
    ----------
    values : array-like of shape (n_values,)
    excellence : array-like of shape (n_excellence,)
        The excellence group's values; NaN entries are ignored.
    k : int
        Smallest excellence group released (at least 2).

    Returns
    -------
    ndarray of shape (n_values,) or Withheld
        ``mean(excellence) - value``, NaN where the value is NaN.

    >>> excellence_gap([0.5, 0.9], [0.8, 0.9, 1.0, 0.7, 0.6]).round(6).tolist()
    [0.3, -0.1]
    """
    exc = np.asarray(excellence, float)
    exc = exc[~np.isnan(exc)]
    small = _too_small(exc.size, k, "excellence group")
    if small is not None:
        return small
    return exc.mean() - np.asarray(values, float)


def anonymous_id(unit_id: str, *, salt: str) -> str:
    """A stable pseudonym for a unit, so peers are shown without being named.

    The same unit and ``salt`` always give the same id; another salt gives another.

    >>> anonymous_id("cmo-0001", salt="s") == anonymous_id("cmo-0001", salt="s")
    True
    >>> anonymous_id("cmo-0001", salt="s").startswith("peer-")
    True
    """
    digest = hashlib.sha256(f"{salt}:{unit_id}".encode()).hexdigest()
    return f"peer-{digest[:8]}"


def top_peers(
    reference: ReferenceSet, measure: str, *, top: int = 5, k: int = DEFAULT_K, salt: str = ""
) -> list[tuple[str, float]] | Withheld:
    """ "Learn from the best": the ``top`` units on ``measure`` by anonymous id, best first.

    Parameters
    ----------
    reference : ReferenceSet
    measure : str
    top : int
        How many units to list.
    k : int
        Smallest group (units with a value) for which any unit is listed (at least 2).
    salt : str
        Salt of the pseudonyms (see :func:`anonymous_id`).

    Returns
    -------
    list of (pseudonym, value), or Withheld

    >>> ref = ReferenceSet(np.arange(6), {}, {"m": np.arange(6.0)})
    >>> [v for _, v in top_peers(ref, "m", top=2)]
    [5.0, 4.0]
    """
    vals = reference.values(measure)
    have = np.flatnonzero(~np.isnan(vals))
    small = _too_small(have.size, k)
    if small is not None:
        return small
    order = have[np.argsort(-vals[have], kind="stable")][:top]
    return [(anonymous_id(str(reference.ids[i]), salt=salt), float(vals[i])) for i in order]


# --------------------------------------------------------------- the benchmark call


@dataclass(frozen=True)
class Excellence:
    """The excellence group among the peers: the best ``top_share`` of them on each
    measure, or the peers whose attributes match ``where`` (e.g. ``{"label": "gold"}``)."""

    top_share: float | None = None
    where: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if (self.top_share is None) == (self.where is None):
            raise BenchmarkError("an excellence group is a top share or an attribute filter")
        if self.top_share is not None and not 0 < self.top_share <= 1:
            raise BenchmarkError(f"top share {self.top_share} is not in (0, 1]")

    @classmethod
    def parse(cls, text: str) -> Excellence:
        """``top=SHARE`` or ``ATTR=VALUE``.

        >>> Excellence.parse("top=0.1"), Excellence.parse("label=gold")
        (Excellence(top_share=0.1, where=None), Excellence(top_share=None, where={'label': 'gold'}))
        """
        name, _, value = text.partition("=")
        name, value = name.strip(), value.strip()
        if name == "top":
            try:
                return cls(top_share=float(value))
            except ValueError:
                raise BenchmarkError(f"{text}: top= needs a share such as 0.1") from None
        if name and value:
            return cls(where={name: value})
        raise BenchmarkError(f"{text}: use top=SHARE or ATTR=VALUE (e.g. label=gold)")


@dataclass(frozen=True)
class UnitPosition:
    """Where one unit stands on one measure among its peers, and its gap to the best.

    Statistics are None when withheld (a group under ``k``) or when the unit has no
    value; ``withheld`` gives the reasons.
    """

    unit_id: str
    measure: str
    group_n: int  # peers with a value
    percentile: float | None
    quartile: int | None  # 1..4
    z: float | None
    excellence_n: int  # units of the excellence group with a value
    excellence_gap: float | None  # mean of the excellence group minus the unit's value
    withheld: tuple[str, ...] = ()


def benchmark(
    units: ReferenceSet,
    reference: ReferenceSet,
    *,
    same: Sequence[str] = (),
    excellence: Excellence | None = None,
    k: int = DEFAULT_K,
    measures: Sequence[str] | None = None,
) -> list[UnitPosition]:
    """Position each unit's measures among its peers and give its gap to their best.

    Parameters
    ----------
    units : ReferenceSet
        ``n`` units to position (their measures and, for ``same``, attributes).
    reference : ReferenceSet
        The reference units the peers are drawn from.
    same : sequence of attribute names
        The peer group of a unit: the reference units with the same values of these
        attributes (none: every reference unit).
    excellence : Excellence, optional
        The excellence group within the peers; default: the best 10 % on each measure.
    k : int
        Smallest group (with a value) for which a statistic is released; at least 2.
    measures : sequence of str, optional
        Measures to position; default: every measure both sets have.

    Returns
    -------
    list of UnitPosition
        Grouped by peer group (in order of first appearance among the units), then by
        measure, then units in their order.

    Raises
    ------
    BenchmarkError
        No shared measure, an attribute of ``same`` or ``excellence`` that a set lacks,
        or ``k`` < 2.

    Examples
    --------
    >>> ref = ReferenceSet(np.arange(10), {"label": np.array(["gold"] * 5 + ["none"] * 5)},
    ...                    {"m": np.arange(10.0)})
    >>> units = ReferenceSet(np.array(["u"]), {}, {"m": np.array([4.5])})
    >>> [p] = benchmark(units, ref, excellence=Excellence(where={"label": "gold"}))
    >>> p.percentile, p.quartile, p.excellence_gap
    (50.0, 3, -2.5)
    """
    k = check_k(k)
    excellence = excellence or Excellence(top_share=0.1)
    if measures is None:
        measures = [m for m in units.measures if m in reference.measures]
    if not measures:
        raise BenchmarkError("the units share no measure with the reference set")
    for attr in same:
        if attr not in reference.attributes or attr not in units.attributes:
            raise BenchmarkError(f"peer group by {attr!r}: both sets need that attribute")
    for attr in excellence.where or {}:
        if attr not in reference.attributes:
            raise BenchmarkError(
                f"excellence group by {attr!r}: the reference set has no such attribute "
                f"({', '.join(sorted(reference.attributes))})"
            )
    # Units with the same peer-group key share one reference group: loop over groups.
    keys = (
        list(zip(*(units.attributes[a] for a in same), strict=True)) if same else [()] * len(units)
    )
    out: list[UnitPosition] = []
    for key in dict.fromkeys(keys):
        members = np.array([kk == key for kk in keys], bool)
        peers = reference.where(**dict(zip(same, key, strict=True))) if same else reference
        ids = units.ids[members]
        for m in measures:
            mine = units.values(m)[members]
            pos = positions(mine, peers.values(m), k=k)
            best = excellence_values(
                peers, m, top_share=excellence.top_share, where=excellence.where
            )
            gap = excellence_gap(mine, best, k=k)
            for i, uid in enumerate(ids.tolist()):
                withheld = [w.reason for w in (pos, gap) if isinstance(w, Withheld)]
                have = not isinstance(pos, Withheld) and not np.isnan(mine[i])
                out.append(
                    UnitPosition(
                        unit_id=str(uid),
                        measure=m,
                        group_n=pos.n if isinstance(pos, Withheld) else pos.group_size,
                        percentile=float(pos.percentile[i]) if have else None,
                        quartile=int(pos.quartile[i]) if have else None,
                        z=_maybe(pos.z[i]) if have else None,
                        excellence_n=gap.n if isinstance(gap, Withheld) else int(best.size),
                        excellence_gap=None if isinstance(gap, Withheld) else _maybe(gap[i]),
                        withheld=tuple(withheld),
                    )
                )
    return out


def _maybe(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x
