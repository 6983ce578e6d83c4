"""Offset pagination shared by the list endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

Limit = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")]
