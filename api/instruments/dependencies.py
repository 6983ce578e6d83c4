"""Looking up an instrument named in a path."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from clusterexcellence.engine import CompiledInstrument

from ..exceptions import NotFound
from . import service

InstrumentId = Annotated[str, Path(min_length=1, max_length=100, examples=["competency-self-test"])]
Version = Annotated[int, Path(ge=1, le=1_000_000, examples=[1])]


def published_instrument(instrument_id: InstrumentId, version: Version) -> CompiledInstrument:
    compiled = service.find(instrument_id, version)
    if compiled is None:
        known = service.versions(instrument_id)
        if not known:
            raise NotFound(f"no published instrument {instrument_id!r}")
        raise NotFound(f"{instrument_id!r} has no version {version} (published: {known})")
    return compiled
