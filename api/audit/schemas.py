"""Schemas of the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class AuditEntryRead(BaseModel):
    id: int
    at: dt.datetime
    actor: str = Field(description="role:name of the client, or `cli`.", examples=["lms:moodle"])
    action: str = Field(examples=["result.create"])
    record_type: str = Field(examples=["result"])
    record_id: str = Field(examples=["0b4c6a1e-7d1f-4f53-9b8a-2f0d7a8e9c11"])
    detail: dict[str, Any] | None = None


class AuditPage(BaseModel):
    items: list[AuditEntryRead]
    total: int
    limit: int
    offset: int
