"""A pure ASGI middleware that bounds request bodies (413 as a problem)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .exceptions import PayloadTooLarge
from .problems import problem_response


class BodyLimit:
    """Refuse bodies over ``max_bytes``: by ``Content-Length`` before the app runs, and
    by counting while it reads a body sent without one."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    too_large = int(value) > self.max_bytes
                except ValueError:
                    too_large = False
                if too_large:
                    response = problem_response(
                        413,
                        PayloadTooLarge.title,
                        f"the body has {int(value)} bytes; at most {self.max_bytes} are accepted",
                        instance=scope.get("path"),
                    )
                    await response(scope, receive, send)
                    return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise PayloadTooLarge(f"the body is over {self.max_bytes} bytes")
            return message

        await self.app(scope, counted, send)
