"""The published instruments: the bundled ones, loaded and compiled once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from clusterexcellence.courses.instruments import bundled_instrument_files, find_instrument
from clusterexcellence.engine import (
    CompiledInstrument,
    Instrument,
    compile_instrument,
    scoring_spec,
)


@lru_cache(maxsize=1)
def _published() -> dict[tuple[str, int], CompiledInstrument]:
    out = {}
    for instrument_id in bundled_instrument_files():
        compiled = compile_instrument(find_instrument(instrument_id))
        out[(compiled.instrument.id, compiled.instrument.version)] = compiled
    return out


def list_instruments() -> list[Instrument]:
    return [c.instrument for c in sorted(_published().values(), key=_sort_key)]


def versions(instrument_id: str) -> list[int]:
    """Published versions of an instrument, oldest first (empty: no such instrument)."""
    return sorted(v for i, v in _published() if i == instrument_id)


def find(instrument_id: str, version: int) -> CompiledInstrument | None:
    return _published().get((instrument_id, version))


@lru_cache(maxsize=32)
def spec(instrument_id: str, version: int) -> dict[str, Any]:
    return scoring_spec(_published()[(instrument_id, version)].instrument)


def _sort_key(c: CompiledInstrument) -> tuple[str, int]:
    return c.instrument.id, c.instrument.version
