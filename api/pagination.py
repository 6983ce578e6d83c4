"""Offset pagination shared by the list endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from .responses import JSONResponse

Limit = Annotated[int, Query(ge=1, le=100, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")]


def page(items: list[Any], total: int, *, limit: int, offset: int) -> JSONResponse:
    """One page of a list endpoint: its items, the total and the window asked for."""
    return JSONResponse({"items": items, "total": total, "limit": limit, "offset": offset})
