"""The scoring and benchmarking engine (no web framework, no delivery channel).

Instruments are pydantic models (:mod:`.instrument`, item types in :mod:`.items`);
:func:`compile_instrument` turns one into arrays; :func:`score` scores a batch of coded
answers with numpy and :mod:`.results` reads it as typed results per respondent;
:mod:`.benchmark` positions units among peers in a :class:`ReferenceSet`;
:mod:`.psychometrics` helps authors; :func:`scoring_spec` exports what the players'
JavaScript evaluates (:mod:`.evaluator` is its plain Python reading).

Item types live in one place, :mod:`.items`: one class per type carries its answer
coding, score table, spec entry, threshold defaults and example answers. A new type
still needs, outside the engine's scoring code: ``docs/content-format.md`` and
``docs/scoring-spec.md``; :mod:`.evaluator`; the JavaScript evaluator and the item's
view in the learner player; the preview's form field; and
:func:`~.examples.random_instrument` (the list is kept in :mod:`.items`).
"""

from .benchmark import Withheld, distribution, percentile_positions, positions
from .compile import CompiledInstrument, compile_instrument
from .exceptions import (
    AnswerError,
    BenchmarkError,
    EngineError,
    FileError,
    InstrumentError,
    LabelRulesError,
    Problem,
    ReferenceDataError,
    ReferenceIssue,
    ResponseError,
    SpecError,
)
from .instrument import Instrument, instrument_json_schema, load_instrument
from .labels import LabelReport, label_report
from .reference import ReferenceSet
from .responses import encode_rows
from .results import RespondentResult, respondent_result, respondent_results, score_answers
from .scoring import ScoreResult, score
from .spec import scoring_spec

__all__ = [
    "AnswerError",
    "BenchmarkError",
    "CompiledInstrument",
    "EngineError",
    "FileError",
    "Instrument",
    "InstrumentError",
    "LabelReport",
    "LabelRulesError",
    "Problem",
    "ReferenceDataError",
    "ReferenceIssue",
    "ReferenceSet",
    "RespondentResult",
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
    "respondent_result",
    "respondent_results",
    "score",
    "score_answers",
    "scoring_spec",
]
