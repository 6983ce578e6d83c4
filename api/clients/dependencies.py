"""Who is calling: bearer authentication and the roles each endpoint allows.

An endpoint declares its roles with :func:`allow`; the roles are also written into its
OpenAPI operation (``x-roles`` and the description). Authentication runs as a
dependency, before the body is validated; :func:`check_access` is the same check for the
validation-error handler, so that an anonymous caller never learns why a body is invalid.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from ..database import get_session
from ..exceptions import Forbidden, Unauthorized
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
    if caller is None:
        raise Unauthorized("the bearer token is unknown or revoked")
    setattr(request.state, _STATE_KEY, caller)
    return caller


def authenticated(request: Request, session: Annotated[Session, Depends(get_session)]) -> Caller:
    """The calling client (401 without a valid, unrevoked token)."""
    return _authenticate(request, session)


CurrentCaller = Annotated[Caller, Depends(authenticated)]


class _RoleCheck:
    def __init__(self, roles: tuple[str, ...]) -> None:
        self.roles = roles

    def __call__(self, caller: CurrentCaller) -> Caller:
        if caller.role not in self.roles:
            raise Forbidden(
                f"role {caller.role!r} may not call this endpoint "
                f"(allowed: {', '.join(self.roles)})"
            )
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
    with request.app.state.sessions() as session:
        caller = _authenticate(request, session)
    if caller.role not in roles:
        raise Forbidden(f"role {caller.role!r} may not call this endpoint")
