"""Schemas of a learner's personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from ..results.schemas import ResultRead


class LearnerExport(BaseModel):
    """Everything stored about one learner of the calling LMS."""

    learner_id: str
    exported_at: dt.datetime
    results: list[ResultRead]
    xapi_statements: list[dict[str, Any]] = Field(description="As received.")


class LearnerErasure(BaseModel):
    learner_id: str
    erased_results: int
    erased_statements: int
