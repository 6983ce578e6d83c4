"""``cluster-excellence preview``: every module as plain HTML on the loopback interface.

A standard-library :class:`~http.server.ThreadingHTTPServer`. Routes:

- ``/`` index of courses and modules;
- ``/m/<course>/<module>/<lang>`` a case (narrative, exhibits, debrief) or an instrument
  form; ``.../point/<id>`` a decision point, ``.../point/<id>/<option>`` the chosen
  option's feedback, consequence and score, ``.../end`` the engine's case scores for the
  path taken (``?path=point:option,...``); ``POST .../score`` an instrument's scores;
- ``/f/<course>/<module>/<file>`` images and other files of a module.

Content is re-read when a file under the root changes. Malformed requests get a page with
a 4xx status: a control character in the path (400), a name no file can have (404), a form
without a length (411), with a length that is not a number (400) or too large (413); a
client that stops sending is dropped after :data:`REQUEST_TIMEOUT` seconds.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..loader import Content, LoadedModule
from ..models import CaseModule
from ..validate import validate_content
from .instrument_pages import instrument_page, results_page
from .pages import case_page, end_page, index_page, option_page, page, parse_path, point_page
from .ui import DEFAULT_LANG, UI, ui, ui_html

PAGE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'"
MAX_FORM_BYTES = 1 << 20
#: Seconds a client may take to send the rest of a request.
REQUEST_TIMEOUT = 30
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PreviewSite:
    """The content under ``root``, re-read when any of its files changes."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self.content: Content = Content(root=self.root)
        self.problems = 0
        self.refresh()

    def refresh(self) -> None:
        stamp = tuple(
            sorted((str(p), p.stat().st_mtime_ns) for p in self.root.rglob("*") if p.is_file())
        )
        with self._lock:
            if stamp != self._stamp:
                validation = validate_content(self.root)
                self.problems = len(validation.problems)
                self.content, self._stamp = validation.content, stamp

    def module(self, course: str, folder: str) -> LoadedModule | None:
        for m in self.content.modules():
            if m.folder.parent.name == course and m.folder.name == folder and m.model is not None:
                return m
        return None


def error_page(status: int, key: str, lang: str) -> tuple[int, str]:
    """An error status and its page, in ``lang``."""
    title = ui(key, lang)
    return status, page(title, f"<h1>{ui_html(key, lang)}</h1>", lang=lang)


def make_handler(
    site: PreviewSite, *, request_timeout: float = REQUEST_TIMEOUT
) -> type[BaseHTTPRequestHandler]:
    """A request handler class serving ``site``."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "cluster-excellence-preview"
        timeout = request_timeout

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self._dispatch("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._dispatch("POST")

        def _dispatch(self, method: str) -> None:
            url = urlsplit(self.path)
            parts = [unquote(p) for p in url.path.split("/") if p]
            if any(_CONTROL.search(p) for p in parts):
                return self._html(*error_page(400, "bad_request", DEFAULT_LANG))
            query = parse_qs(url.query)
            site.refresh()
            if method == "GET" and not parts:
                return self._html(200, index_page(site.content, site.problems))
            if len(parts) >= 4 and parts[0] == "f":
                return self._file(parts[1], parts[2], "/".join(parts[3:]))
            lang = DEFAULT_LANG
            if len(parts) >= 4 and parts[0] == "m":
                lang = parts[3] if parts[3] in UI else DEFAULT_LANG
                module = site.module(parts[1], parts[2])
                if module is not None and parts[3] in module.languages:
                    result = self._module(module, parts[3], parts[4:], method, query)
                    if result is not None:
                        return self._html(*result)
            return self._html(*error_page(404, "not_found", lang))

        def _module(self, module, lang, rest, method, query):
            path = parse_path(query.get("path", [""])[0])
            if isinstance(module.model, CaseModule):
                if method != "GET":
                    return None
                points = {p.id: p for p in module.model.decisions.points}
                if not rest:
                    return 200, case_page(module, lang)
                if rest == ["end"]:
                    return 200, end_page(module, lang, path)
                if rest[0] == "point" and len(rest) in (2, 3) and rest[1] in points:
                    point = points[rest[1]]
                    if len(rest) == 2:
                        return 200, point_page(module, lang, point, path)
                    option = next((o for o in point.options if o.id == rest[2]), None)
                    if option is not None:
                        return 200, option_page(module, lang, point, option, path)
                return None
            if not rest and method == "GET":
                return 200, instrument_page(module, lang)
            if rest == ["score"] and method == "POST":
                declared = self.headers.get("Content-Length")
                if declared is None:
                    return error_page(411, "length_required", lang)
                if not (declared.isascii() and declared.isdigit()):
                    return error_page(400, "bad_request", lang)
                length = int(declared)
                if length > MAX_FORM_BYTES:
                    return error_page(413, "form_too_large", lang)
                form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
                return results_page(module, lang, form)
            return None

        def _file(self, course: str, folder: str, rel: str) -> None:
            module = site.module(course, folder)
            if module is None:
                return self._html(*error_page(404, "not_found", DEFAULT_LANG))
            base = module.folder.resolve()
            try:
                target = (base / rel).resolve()
                found = target.is_relative_to(base) and target.is_file()
            except OSError:  # a name no file can have (too long)
                found = False
            if not found or target.suffix == ".yaml":
                return self._html(*error_page(404, "not_found", DEFAULT_LANG))
            data = target.read_bytes()
            self.send_response(200)
            ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            self.send_header("Content-Type", ctype)
            self.send_header(
                "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"
            )
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _html(self, status: int, html: str) -> None:
            data = html.encode("utf-8")
            self.send_response(HTTPStatus(status))
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", PAGE_CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def make_server(
    root: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    request_timeout: float = REQUEST_TIMEOUT,
) -> ThreadingHTTPServer:
    """A preview server bound to ``host:port`` (port 0: any free port), not yet serving."""
    handler = make_handler(PreviewSite(root), request_timeout=request_timeout)
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
