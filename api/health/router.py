"""``/healthz`` (the process answers) and ``/readyz`` (the database answers and is
migrated to this code's head revision)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import text

from .. import migrate
from ..clients.dependencies import known_query_only
from ..exceptions import NotReady
from ..problems import problem_responses

router = APIRouter(tags=["health"], dependencies=[Depends(known_query_only)])


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"])
    revision: str = Field(examples=["0001"])


@router.get(
    "/healthz", summary="The process is up (no role needed)", responses=problem_responses(422)
)
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    summary="The database is reachable and migrated (no role needed)",
    responses=problem_responses(422, 503),
)
def readyz(request: Request) -> Readiness:
    engine = request.app.state.engine
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = migrate.current(engine)
    except Exception as exc:  # any driver error means "not ready"
        raise NotReady(f"the database is unreachable ({type(exc).__name__})") from None
    expected = migrate.head()
    if revision != expected:
        raise NotReady(f"the database is at revision {revision!r}, this code needs {expected!r}")
    return Readiness(status="ready", revision=revision)
