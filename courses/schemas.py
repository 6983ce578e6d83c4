"""JSON Schemas of the course content files, for authors' editors."""

from __future__ import annotations

from .models import CaseModule, Course, Framework


def content_schemas() -> dict[str, dict]:
    """Schema name → JSON Schema of each kind of content file (besides instruments).

    >>> sorted(content_schemas())
    ['case', 'course', 'framework']
    """
    return {
        "course": Course.model_json_schema(by_alias=True),
        "framework": Framework.model_json_schema(by_alias=True),
        "case": CaseModule.model_json_schema(by_alias=True),
    }
