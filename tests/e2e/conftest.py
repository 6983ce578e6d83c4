"""Fixtures of the browser tests: Debian's Chromium driven by Playwright for Python, and
threaded HTTP servers on 127.0.0.1 serving folders and test routes.

- ``browser``: one headless Chromium for the session (``/usr/bin/chromium``; Playwright
  never downloads a browser here);
- ``page``: a fresh context and page per test, closed afterwards; console errors and
  uncaught page errors are collected in ``page.errors``;
- ``serve``: start a server, ``serve({"/player/": path, ...}, routes={...})`` → its base
  URL, stopped at the end of the test;
- ``repo_server``: the folders the player's tests need (``/player/``, ``/node_modules/``,
  ``/tests/``) on one server for the session.
"""

from __future__ import annotations

import json
import mimetypes
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}


@dataclass
class Request:
    """What a route receives: method, path, query (name → list of values), headers, body."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    """What a route returns; ``Response.json(obj)`` for a JSON body."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, obj: Any, status: int = 200) -> Response:
        return cls(status, json.dumps(obj).encode(), {"Content-Type": "application/json"})


#: A route: a function of the request, keyed by ``(method, path)`` in ``serve(routes=...)``.
Route = Callable[[Request], Response]


def _handler(mounts: dict[str, Path], routes: dict[tuple[str, str], Route]):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):  # quiet: failures show in the tests
            pass

        def _answer(self, response: Response) -> None:
            self.send_response(response.status)
            headers = {"Cache-Control": "no-store", **response.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        def _route(self) -> Response | None:
            url = urlsplit(self.path)
            route = routes.get((self.command, url.path))
            if route is None:
                return None
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = Request(self.command, url.path, parse_qs(url.query), self.headers, body)
            return route(request)

        def _file(self) -> Response:
            path = unquote(urlsplit(self.path).path)
            for prefix, root in sorted(mounts.items(), key=lambda m: -len(m[0])):
                if path.startswith(prefix):
                    target = (root / path[len(prefix) :]).resolve()
                    if target.is_relative_to(root.resolve()) and target.is_file():
                        kind = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
                        return Response(
                            200,
                            target.read_bytes(),
                            {"Content-Type": kind or "application/octet-stream"},
                        )
            return Response(404, b"not found", {"Content-Type": "text/plain"})

        def _serve(self) -> None:
            self._answer(
                self._route()
                or (self._file() if self.command in ("GET", "HEAD") else Response(405))
            )

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve

    return Handler


class Server:
    """A threaded HTTP server on 127.0.0.1 (a free port) serving mounts and routes."""

    def __init__(
        self, mounts: Mapping[str, Path], routes: Mapping[tuple[str, str], Route] | None = None
    ):
        self.routes = dict(routes or {})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(dict(mounts), self.routes))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    """Start servers: ``serve(mounts, routes=None)`` → a :class:`Server` (``.url``)."""
    started: list[Server] = []

    def start(
        mounts: Mapping[str, Path], routes: Mapping[tuple[str, str], Route] | None = None
    ) -> Server:
        server = Server(mounts, routes)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


@pytest.fixture(scope="session")
def repo_server() -> Iterator[Server]:
    """The player's static files, the npm packages and the test pages, for the session."""
    modules = REPO / "node_modules"
    assert (modules / "scorm-again").is_dir(), (
        "run `npm ci` first (the Makefile's test target does)"
    )
    server = Server(
        {"/player/": REPO / "player", "/node_modules/": modules, "/tests/": REPO / "tests"}
    )
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists() or shutil.which("chromium"), (
        "install chromium (apt-get install -y chromium)"
    )
    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A new context and page; ``page.errors`` collects console errors and page errors."""
    context = browser.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    pg.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    pg.errors = errors
    yield pg
    context.close()
