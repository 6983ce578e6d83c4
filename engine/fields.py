"""Field types shared by every content model: ids, languages, translatable texts.

The strict :class:`Model` base forbids unknown keys and freezes values once validated;
every instrument and course-content model derives from it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DIMENSION_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$"
LANG_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
DimensionId = Annotated[str, StringConstraints(pattern=DIMENSION_ID_PATTERN)]
Lang = Annotated[str, StringConstraints(pattern=LANG_PATTERN)]
Text = Annotated[dict[Lang, str], Field(min_length=1)]
"""Translatable text: a mapping from language code to (Markdown) text."""
Unit = Annotated[float, Field(ge=0, le=1)]
Weight = Annotated[float, Field(gt=0, allow_inf_nan=False)]


class Model(BaseModel):
    """Strict base: unknown keys are errors, values are immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)
