"""The scoring and benchmarking engine (no web framework, no delivery channel).

Instruments are pydantic models (:mod:`.instrument`); :func:`compile_instrument` turns
one into arrays; :func:`score` scores a batch of coded answers with numpy;
:mod:`.benchmark` positions units among peers; :mod:`.psychometrics` helps authors;
:func:`scoring_spec` exports what the SCORM player's JavaScript evaluates.
"""

from .benchmark import ReferenceSet, Withheld, distribution, percentile_positions, positions
from .compile import CompiledInstrument, compile_instrument
from .exceptions import (
    BenchmarkError,
    EngineError,
    InstrumentError,
    Problem,
    ResponseError,
    SpecError,
)
from .instrument import Instrument, instrument_json_schema, load_instrument
from .labels import LabelReport, label_report
from .responses import encode_rows
from .scoring import ScoreResult, score
from .spec import scoring_spec

__all__ = [
    "BenchmarkError",
    "CompiledInstrument",
    "EngineError",
    "Instrument",
    "InstrumentError",
    "LabelReport",
    "Problem",
    "ReferenceSet",
    "ResponseError",
    "ScoreResult",
    "SpecError",
    "Withheld",
    "compile_instrument",
    "distribution",
    "encode_rows",
    "instrument_json_schema",
    "label_report",
    "load_instrument",
    "percentile_positions",
    "positions",
    "score",
    "scoring_spec",
]
