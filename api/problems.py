"""RFC 9457 problem details for every error, and their place in the OpenAPI document.

Every error the API sends is ``application/problem+json``: ``type``, ``title``,
``status``, ``detail``, ``instance`` and, for invalid input, ``errors`` naming each field
(``{"location": "body", "field": "answers.q1", "message": ...}``). A 500 says nothing of
the internals. Authentication comes before validation: an invalid body from a caller
without a valid credential gets 401, never 422.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from clusterexcellence.engine.exceptions import format_loc

from .exceptions import (
    ApiError,
    BadRequest,
    FieldProblem,
    Unprocessable,
    UnsupportedMediaType,
)
from .responses import JSONResponse

log = logging.getLogger("clusterexcellence.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    location: str = Field(examples=["body"], description="body, query, path or header.")
    field: str = Field(examples=["answers.q1"], description="The field, as a dotted path.")
    message: str = Field(examples=["answer 9 is outside 1..5 (whole numbers)"])


class Problem(BaseModel):
    """An RFC 9457 problem."""

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(examples=["Unprocessable Content"])
    status: int = Field(examples=[422])
    detail: str = Field(examples=["answers.q1: answer 9 is outside 1..5 (whole numbers)"])
    instance: str | None = Field(None, examples=["/results"])
    errors: list[FieldError] | None = None


_DESCRIPTIONS = {
    400: "The request cannot be read (malformed JSON, JSON nested too deeply, a bad header).",
    401: "No valid credential: send `Authorization: Bearer <token>` of an unrevoked client.",
    403: "The client's role may not call this endpoint.",
    404: "No such record, or not one this client may see.",
    405: "Method not allowed on this path.",
    409: "Conflicts with a stored record.",
    413: "The request body is larger than the server accepts.",
    415: "The body must be `application/json`.",
    422: "Invalid input; `errors` names each field (e.g. `answers.q1`).",
    500: "Unexpected server error (no internals are disclosed).",
    503: "The database is unavailable, busy or not migrated; retry (see `Retry-After`).",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting these problem statuses (plus 500 and 503)."""
    return {
        s: {"model": Problem, "description": _DESCRIPTIONS[s]}
        for s in sorted({*statuses, 500, 503})
    }


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = [
            {"location": e.location, "field": e.field, "message": e.message} for e in errors
        ]
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def error_response(request: Request, exc: ApiError) -> JSONResponse:
    return problem_response(
        exc.status,
        exc.title,
        exc.detail,
        instance=request.url.path,
        errors=exc.errors,
        headers=exc.headers,
    )


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(request, exc)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400:
        # FastAPI's own 400: a body it could not read, e.g. JSON nested too deeply, or
        # one the body limit stopped while it was read (that one stays a 413).
        if isinstance(exc.__cause__, ApiError):
            return error_response(request, exc.__cause__)
        return await _unreadable_body(request)
    titles = {404: "Not Found", 405: "Method Not Allowed"}
    detail = {
        404: f"no endpoint at {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path}",
    }.get(exc.status_code, str(exc.detail))
    return problem_response(
        exc.status_code,
        titles.get(exc.status_code, "Error"),
        detail,
        instance=request.url.path,
        headers=getattr(exc, "headers", None),
    )


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _field_problems(exc: RequestValidationError) -> list[FieldProblem]:
    out = []
    for err in exc.errors():
        loc = tuple(err.get("loc", ()))
        location = str(loc[0]) if loc else "body"
        field = format_loc(loc[1:]) or location
        out.append(FieldProblem(location, field, str(err.get("msg", "invalid"))))
    return out


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    from .clients.dependencies import check_access  # a late import: clients need problems

    try:
        # Who is calling comes first: no validation detail for an anonymous caller.
        await run_in_threadpool(check_access, request)
        if request.method in ("POST", "PUT", "PATCH") and not _is_json(
            request.headers.get("content-type")
        ):
            raise UnsupportedMediaType(
                f"the body must be application/json, not {request.headers.get('content-type')!r}"
            )
        problems = _field_problems(exc)
        if any(
            p.location == "header" and p.field.lower() == "x-experience-api-version"
            for p in problems
        ):
            raise BadRequest("send X-Experience-API-Version: 1.0.3 (any 1.0.x)", errors=problems)
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            raise BadRequest("the body is not valid JSON", errors=problems)
        raise Unprocessable("; ".join(f"{p.field}: {p.message}" for p in problems), errors=problems)
    except ApiError as err:
        return error_response(request, err)


async def _unreadable_body(request: Request) -> JSONResponse:
    from .clients.dependencies import check_access

    try:
        await run_in_threadpool(check_access, request)
        raise BadRequest("the body cannot be read: malformed, or JSON nested too deeply")
    except ApiError as err:
        return error_response(request, err)


async def _too_deep(request: Request, exc: RecursionError) -> JSONResponse:
    return await _unreadable_body(request)


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        500,
        "Internal Server Error",
        "an unexpected error occurred; it has been logged",
        instance=request.url.path,
    )


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(
        503,
        "Service Unavailable",
        "the database is unavailable or busy; retry shortly",
        instance=request.url.path,
        headers={"Retry-After": "1"},
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(RecursionError, _too_deep)
    # A pool timeout or a lost server: a 503 to retry, not a 500.
    app.add_exception_handler(sqlalchemy.exc.TimeoutError, _database_unavailable)
    app.add_exception_handler(sqlalchemy.exc.OperationalError, _database_unavailable)
    app.add_exception_handler(Exception, _server_error)


def problems_in_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """Error responses as ``application/problem+json`` of :class:`Problem`; FastAPI's own
    422 schema replaced by it."""
    ref = {"$ref": "#/components/schemas/Problem"}
    for path in schema.get("paths", {}).values():
        for op in path.values():
            for status, response in op.get("responses", {}).items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = {PROBLEM_MEDIA_TYPE: {"schema": ref}}
                    response["description"] = _DESCRIPTIONS.get(
                        int(status), response.get("description", "")
                    )
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema
