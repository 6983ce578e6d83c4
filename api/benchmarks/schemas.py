"""Schemas of peer statistics and positions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from clusterexcellence.engine.reference import ATTRIBUTES

from ..results.schemas import InstrumentRef

Attribute = Literal[ATTRIBUTES]  # the reference attributes, as the engine defines them


class PeerFilter(BaseModel):
    portfolio: str | None = None
    country: str | None = None
    size_band: str | None = None
    label: str | None = Field(None, description="Label held (reference organisations only).")


class Statistics(BaseModel):
    n: int
    mean: float
    sd: float
    p10: float
    q1: float
    median: float
    q3: float
    p90: float


class MeasureStatistics(BaseModel):
    measure: str = Field(description="`overall` or `dim:<dimension>`.", examples=["dim:strategy"])
    n: int = Field(description="Peers with a value.")
    statistics: Statistics | None = Field(description="Null when withheld.")
    withheld: str | None = Field(
        examples=["group has 3 unit(s) with a value; at least 5 are needed"]
    )


class Sources(BaseModel):
    reference_units: int = Field(description="Units of the bundled reference data in the group.")
    reference_synthetic: bool = Field(description="Whether that reference data is synthetic.")
    results: int = Field(description="Consented results (shared with the club) in the group.")


class BenchmarkRead(BaseModel):
    instrument: InstrumentRef
    peer_group: PeerFilter
    k: int = Field(description="No statistic for a group smaller than this.", examples=[5])
    sources: Sources
    measures: list[MeasureStatistics]


class PositionRead(BaseModel):
    measure: str
    group_n: int = Field(description="Peers with a value.")
    percentile: float | None = Field(description="Mid-rank percentile in [0, 100].")
    quartile: int | None
    z: float | None
    excellence_n: int
    excellence_gap: float | None = Field(
        description="Mean of the excellence group (best 10 % of the peers) minus the value."
    )
    withheld: list[str]


class ResultPositions(BaseModel):
    result_id: str
    same: list[Attribute]
    k: int
    positions: list[PositionRead]
