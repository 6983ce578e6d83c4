"""Who is calling: bearer authentication and the roles each endpoint allows.

An endpoint declares its roles with :func:`allow`; the roles are also written into its
OpenAPI operation (``x-roles`` and the description). Authentication runs as a
dependency, before the body is validated; :func:`check_access` is the same check for the
validation-error handler, so that an anonymous caller never learns why a body is invalid.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args, get_origin

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from ..exceptions import FieldProblem, Forbidden, Unauthorized, Unprocessable
from ..problems import problem_responses
from . import service
from .schemas import Caller

_STATE_KEY = "caller"


def _authenticate(request: Request, session: Session) -> Caller:
    cached = getattr(request.state, _STATE_KEY, None)
    if cached is not None:
        return cached
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send Authorization: Bearer <token>")
    caller = service.find_caller(session=session, token=token.strip())
    # End the lookup's transaction: the connection goes back to the pool until the
    # endpoint needs one (a request never holds a connection while it waits for a thread).
    session.rollback()
    if caller is None:
        raise Unauthorized("the bearer token is unknown or revoked")
    setattr(request.state, _STATE_KEY, caller)
    return caller


async def authenticated(request: Request) -> Caller:
    """The calling client (401 without a valid, unrevoked token).

    A caller this process authenticated within the last second is known at once (see
    :mod:`.service`); otherwise the database is asked, in a worker thread."""
    cached = getattr(request.state, _STATE_KEY, None)
    if cached is not None:
        return cached
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    caller = service.callers.get(token.strip()) if scheme.lower() == "bearer" else None
    if caller is not None:
        setattr(request.state, _STATE_KEY, caller)
        return caller
    return await anyio.to_thread.run_sync(_authenticate_in_session, request)


def _authenticate_in_session(request: Request) -> Caller:
    with request.app.state.sessions() as session:
        return _authenticate(request, session)


CurrentCaller = Annotated[Caller, Depends(authenticated)]


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    return any(_is_list(a) for a in get_args(annotation)) if origin is not None else False


def _query_names(route: APIRoute) -> dict[str, bool]:
    """Query parameter → whether it may repeat (a list), for the route and its
    dependencies; computed once per route."""
    cached = getattr(route, "_known_query_names", None)
    if cached is not None:
        return cached
    names: dict[str, bool] = {}
    todo = [route.dependant]
    while todo:
        dependant = todo.pop()
        names.update((p.alias, _is_list(p.field_info.annotation)) for p in dependant.query_params)
        todo.extend(dependant.dependencies)
    route._known_query_names = names
    return names


async def known_query_only(request: Request) -> None:
    """Refuse query parameters the endpoint does not know (a typo is not ignored) and
    single-valued ones given more than once."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route)
    problems = [
        FieldProblem("query", name, "unknown query parameter")
        for name in sorted(set(request.query_params) - set(known))
    ] + [
        FieldProblem("query", name, "given more than once")
        for name, many in known.items()
        if not many and len(request.query_params.getlist(name)) > 1
    ]
    if problems:
        raise Unprocessable("; ".join(f"{p.field}: {p.message}" for p in problems), errors=problems)


class _RoleCheck:
    def __init__(self, roles: tuple[str, ...]) -> None:
        self.roles = roles

    # Async: no I/O here, so no trip to the thread pool.
    async def __call__(self, request: Request, caller: CurrentCaller) -> Caller:
        if caller.role not in self.roles:
            raise Forbidden(
                f"role {caller.role!r} may not call this endpoint "
                f"(allowed: {', '.join(self.roles)})"
            )
        # Only after authentication: an anonymous caller learns nothing of the parameters.
        await known_query_only(request)
        return caller


def allow(*roles: str, errors: tuple[int, ...] = ()) -> dict[str, Any]:
    """Route options: only these roles may call it; documents 401, 403 and ``errors``."""
    return {
        "dependencies": [Depends(_RoleCheck(roles))],
        "openapi_extra": {"x-roles": list(roles)},
        "responses": problem_responses(401, 403, *errors),
    }


def check_access(request: Request) -> None:
    """Raise 401/403 as the route's own dependencies would (routes without roles pass)."""
    route = request.scope.get("route")
    roles = (getattr(route, "openapi_extra", None) or {}).get("x-roles")
    if roles is None:
        return
    caller = getattr(request.state, _STATE_KEY, None)
    if caller is None:
        with request.app.state.sessions() as session:
            caller = _authenticate(request, session)
    if caller.role not in roles:
        raise Forbidden(f"role {caller.role!r} may not call this endpoint")
