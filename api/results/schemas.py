"""Schemas of results: what an LMS submits (``ResultCreate``) and what the API returns
(``ResultRead``: the stored answers and the engine's full result)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema

LearnerId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description="The learner's pseudonymous id in the LMS (printable ASCII, no spaces).",
        examples=["learner-4f2a9c"],
    ),
]
ItemId = Annotated[str, Field(min_length=1, max_length=100)]


def _answer(value: Any) -> Any:
    """One error for a bad answer type, at the answer (not one per kind of answer)."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and len(value) > 500:
            raise ValueError("an answer has at most 500 characters")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("an answer must be a finite number")
        return value
    if isinstance(value, list) and all(isinstance(v, str) and len(v) <= 100 for v in value):
        if len(value) > 50:
            raise ValueError("at most 50 options")
        return value
    raise ValueError(
        "an answer is a number, a string, a boolean, a list of option ids, or null (unanswered)"
    )


#: A natural answer: a likert point, an option id, option ids, a number, a boolean, null.
AnswerValue = Annotated[
    Any,
    PlainValidator(_answer),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "boolean"},
                {"type": "number"},
                {"type": "string", "maxLength": 500},
                {"type": "array", "items": {"type": "string", "maxLength": 100}, "maxItems": 50},
                {"type": "null"},
            ],
            "description": "A likert point, an option id, option ids, a number, a boolean; "
            "null: unanswered.",
        }
    ),
]

_EXAMPLE_ANSWERS = {
    "sr-strategy-regional-analysis-1": 4,
    "sr-strategy-priority-setting-1": 3,
    "sjt-strategy-1": "b",
}


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class InstrumentRef(Strict):
    id: str = Field(min_length=1, max_length=100, examples=["competency-self-test"])
    version: int = Field(ge=1, le=1_000_000, examples=[1])


class Consent(Strict):
    """What the learner agreed to share. Benchmarks count a result only while it is
    shared with the club (the club runs the mutual benchmarking)."""

    share_with_label_body: bool = Field(False, description="The label body may read it.")
    share_with_club: bool = Field(
        False, description="The club may read it, and it counts in peer statistics."
    )


class ConsentUpdate(Strict):
    """Changes to the consent (omitted: unchanged). Withdrawn consent takes effect at once:
    the result stops being shared and stops counting in peer statistics."""

    share_with_label_body: bool | None = None
    share_with_club: bool | None = None


class PeerGroup(Strict):
    """Attributes that place the result in peer groups (all optional)."""

    portfolio: str | None = Field(None, max_length=64, examples=["ict"])
    country: str | None = Field(
        None, pattern=r"^(?:[A-Z]{2}|other)$", description="ISO 3166-1 alpha-2.", examples=["FR"]
    )
    size_band: Literal["micro", "small", "medium", "large"] | None = None


class ResultCreate(Strict):
    """Raw answers to score. The server scores them with the engine; no score is taken
    from the client."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "instrument": {"id": "competency-self-test", "version": 1},
                    "learner_id": "learner-4f2a9c",
                    "answers": _EXAMPLE_ANSWERS,
                    "consent": {"share_with_label_body": False, "share_with_club": True},
                    "peer_group": {"portfolio": "ict", "country": "FR", "size_band": "small"},
                }
            ]
        },
    )

    instrument: InstrumentRef
    learner_id: LearnerId
    answers: dict[ItemId, AnswerValue] = Field(
        max_length=1000, description="Item id → natural answer; absent or null: unanswered."
    )
    consent: Consent = Field(default_factory=Consent)
    peer_group: PeerGroup = Field(default_factory=PeerGroup)


class MeasureRead(BaseModel):
    score: float | None = Field(description="In [0, 1]; null: missing (below coverage).")
    coverage: float
    level: str | None


class LabelReasonRead(BaseModel):
    kind: Literal["requirement", "ratio", "coverage"]
    requirement: str | None
    actual: float | None
    needed: float | None
    message: str


class LabelLevelRead(BaseModel):
    level: str
    reachable: bool
    reasons: list[LabelReasonRead]


class LabelGapRead(BaseModel):
    indicator: str
    points: float
    answered: bool
    modules: list[str]


class LabelOutcomeRead(BaseModel):
    level: str | None = Field(description="Highest label level the organisation is ready for.")
    points: float
    max_points: float
    ratio: float
    indicators_met: list[str]
    requirements_met: list[str]
    requirements_failed: list[str]
    levels: list[LabelLevelRead]
    gaps: list[LabelGapRead]
    valid_months: int | None


class OutcomeRead(BaseModel):
    """The engine's result (``docs/scoring-spec.md``)."""

    overall: MeasureRead
    dimensions: dict[str, MeasureRead]
    answered_share: float
    items: dict[str, float | None] | None
    label: LabelOutcomeRead | None


class ConsentRead(BaseModel):
    share_with_label_body: bool
    share_with_club: bool
    changed_at: dt.datetime | None = Field(description="Last change after submission.")


class PeerGroupRead(BaseModel):
    portfolio: str | None
    country: str | None
    size_band: str | None


class ResultRead(BaseModel):
    id: str = Field(examples=["3f2b8c1d-6a4e-4c7b-9d1f-0e2a5b7c9d11"])
    instrument: InstrumentRef
    learner_id: str
    client_id: str = Field(description="The LMS client that submitted it.")
    created_at: dt.datetime
    consent: ConsentRead
    peer_group: PeerGroupRead
    answers: dict[str, AnswerValue]
    outcome: OutcomeRead


class ResultPage(BaseModel):
    items: list[ResultRead]
    total: int
    limit: int
    offset: int
