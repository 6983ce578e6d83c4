"""Errors the API answers with, each an RFC 9457 problem (see :mod:`.problems`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One invalid input: where (``body``, ``query``, ``path``, ``header``), which field
    (``answers.q1``) and what is wrong."""

    location: str
    field: str
    message: str


class ApiError(Exception):
    """Raised to answer with a problem: ``status``, a short ``title`` and a ``detail``."""

    status = 500
    title = "Internal Server Error"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class BadRequest(ApiError):
    """Raised when a request cannot be read at all (malformed JSON, a bad header)."""

    status, title = 400, "Bad Request"


class Unauthorized(ApiError):
    """Raised when a request carries no valid, unrevoked credential."""

    status, title = 401, "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="clusterexcellence"'})


class Forbidden(ApiError):
    """Raised when the caller's role may not call the endpoint."""

    status, title = 403, "Forbidden"


class NotFound(ApiError):
    """Raised when a record does not exist or is not visible to the caller."""

    status, title = 404, "Not Found"


class Conflict(ApiError):
    """Raised when a request contradicts a stored record (an xAPI statement id reused)."""

    status, title = 409, "Conflict"


class PayloadTooLarge(ApiError):
    status, title = 413, "Content Too Large"


class UnsupportedMediaType(ApiError):
    status, title = 415, "Unsupported Media Type"


class Unprocessable(ApiError):
    """Raised when a well-formed request is invalid; ``errors`` names the fields."""

    status, title = 422, "Unprocessable Content"

    @classmethod
    def field(cls, field: str, message: str, *, location: str = "body") -> Unprocessable:
        return cls(f"{field}: {message}", errors=[FieldProblem(location, field, message)])


class NotReady(ApiError):
    status, title = 503, "Service Unavailable"
