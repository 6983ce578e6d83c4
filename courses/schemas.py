"""JSON Schemas of the course content files, for authors' editors."""

from __future__ import annotations


def content_schemas() -> dict[str, dict]:
    """Schema name → JSON Schema of each kind of content file (besides instruments)."""
    return {}
