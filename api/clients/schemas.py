"""Schemas of API clients and the caller of a request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["lms", "label-body", "assessor", "club-admin", "admin"]


@dataclass(frozen=True)
class Caller:
    """The authenticated client of a request."""

    id: str
    name: str
    role: str


class ClientCreate(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    name: str = Field(min_length=1, max_length=200, examples=["moodle-lyon"])
    role: Role = Field(examples=["lms"])


class ClientRead(BaseModel):
    id: str = Field(examples=["0b4c6a1e-7d1f-4f53-9b8a-2f0d7a8e9c11"])
    name: str = Field(examples=["moodle-lyon"])
    role: Role
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class ClientCreated(ClientRead):
    token: str = Field(
        description="The bearer token, shown this once (only its SHA-256 is stored).",
        examples=["cex_3q2Vn5x0Yb7o3mKq9m1l4f0aX8sJq2hW1nU6tZr0pQc"],
    )


class ClientList(BaseModel):
    items: list[ClientRead]
