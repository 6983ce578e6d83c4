"""``cluster-excellence preview``: every module in the learner player, on the loopback interface.

A standard-library :class:`~http.server.ThreadingHTTPServer` that lays each course and
language out as a package would (:mod:`.site`), with the preview host (answers kept in
the browser's localStorage, nothing recorded). Routes:

- ``/`` index of courses, modules and languages;
- ``/m/<course>/<lang>/<module>/`` a module's launch page (``index.html``), and its
  ``media/...`` files under the same folder;
- ``/m/<course>/<lang>/player/...`` the player's static files (CSS, JavaScript).

Content is re-read when a file under the root changes. Malformed requests get a page with
a 4xx status: a control character in the path (400), a name no file can have (404), any
method but GET and HEAD (405); a client that stops sending is dropped after
:data:`REQUEST_TIMEOUT` seconds. Pages carry a Content-Security-Policy that lets the
player run its own scripts and nothing else.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from clusterexcellence.courses.loader import Content, LoadedCourse, LoadedModule
from clusterexcellence.courses.texts import pick
from clusterexcellence.courses.validate import validate_content

from . import site

#: The launch page and the player: their own files only; no inline script, no network.
PLAYER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
#: Server pages (index, errors): no script at all.
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
#: Seconds a client may take to send the rest of a request.
REQUEST_TIMEOUT = 30
DEFAULT_LANG = "en"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

#: The preview's own page texts (the player's are in ``player/strings``).
PAGE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Course preview",
        "intro": "Every module in the learner player, with the preview host: answers stay "
        "in this browser and nothing is recorded.",
        "invalid_module": "invalid: run validate",
        "problems": "{n} validation problem(s): run validate.",
        "not_found": "Page not found",
        "bad_request": "Bad request",
        "method_not_allowed": "Method not allowed",
        "back": "All courses",
    },
    "fr": {
        "title": "Aperçu des cours",
        "intro": "Chaque module dans le lecteur, avec l’hôte d’aperçu : les réponses restent "
        "dans ce navigateur et rien n’est enregistré.",
        "invalid_module": "invalide : lancer validate",
        "problems": "{n} problème(s) de validation : lancer validate.",
        "not_found": "Page introuvable",
        "bad_request": "Requête invalide",
        "method_not_allowed": "Méthode non autorisée",
        "back": "Tous les cours",
    },
}
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5}li{margin:.2rem 0}a{margin-left:.4rem}small{color:#4a5565}"
)


def text(key: str, lang: str, **args: object) -> str:
    """The preview page text ``key`` in ``lang`` (English when the language has none)."""
    table = PAGE_TEXT.get(lang, PAGE_TEXT[DEFAULT_LANG])
    return table[key].format(**args)


class PreviewSite:
    """The content under ``root``, re-read when any of its files changes, and the files
    the player needs for each module (built once per content version)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._files: dict[tuple[str, str, str], dict[str, bytes]] = {}
        self._app: dict[str, bytes] | None = None
        self.content: Content = Content(root=self.root)
        self.problems = 0
        self.refresh()

    def refresh(self) -> None:
        """Re-read the content if any file under the root changed since the last read."""
        stamp = tuple(
            sorted((str(p), p.stat().st_mtime_ns) for p in self.root.rglob("*") if p.is_file())
        )
        with self._lock:
            if stamp != self._stamp:
                validation = validate_content(self.root)
                self.problems = len(validation.problems)
                self.content, self._stamp = validation.content, stamp
                self._files = {}

    def module(self, course: str, module: str, lang: str) -> LoadedModule | None:
        """The valid module ``module`` of ``course``, if it is complete in ``lang``."""
        for c in self.content.courses:
            if c.model is None or c.model.id != course:
                continue
            for m in c.modules:
                if m.model is not None and m.id == module and lang in m.languages:
                    return m
        return None

    def module_files(self, course: str, module: str, lang: str) -> dict[str, bytes] | None:
        """The launch folder of a module (``index.html``, ``media/...``) or None."""
        if self.module(course, module, lang) is None:
            return None
        key = (course, module, lang)
        with self._lock:
            files = self._files.get(key)
            content = self.content
        if files is None:
            files = site.module_files(content, course, module, lang, host="preview")
            with self._lock:
                self._files[key] = files
        return files

    def app_files(self) -> dict[str, bytes]:
        """The player's static files, keyed ``player/...``."""
        if self._app is None:
            self._app = site.app_files()
        return self._app


def page(title: str, body: str, *, lang: str) -> str:
    """A complete server page (no scripts, no external resources)."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f'<body><main>{body}</main><p><a href="/">{escape(text("back", lang))}</a></p>'
        "</body></html>\n"
    )


def module_url(course: str, lang: str, module: str) -> str:
    """Where the launch page of a module is served."""
    return f"/m/{quote(course)}/{quote(lang)}/{quote(module)}/"


def index_page(content: Content, problems: int) -> str:
    """The list of courses and modules, with a link per language a module is complete in."""
    parts = [
        f"<h1>{escape(text('title', 'en'))} / {escape(text('title', 'fr'))}</h1>",
        f"<p>{escape(text('intro', 'en'))}</p>",
    ]
    if problems:
        parts.append(f"<p><strong>{escape(text('problems', 'en', n=problems))}</strong></p>")
    for course in content.courses:
        parts.append(_course_list(course))
    return page(text("title", "en"), "".join(parts), lang="en")


def _course_list(course: LoadedCourse) -> str:
    if course.model is None:
        name = escape(course.folder.name)
        return f"<h2>{name}</h2><p>{escape(text('invalid_module', 'en'))}</p>"
    langs = list(course.model.languages)
    items = []
    for m in course.modules:
        if m.model is None:
            items.append(
                f"<li>{escape(m.folder.name)} ({escape(text('invalid_module', 'en'))})</li>"
            )
            continue
        title = pick(m.model.title, langs[0])
        links = " ".join(
            f'<a href="{module_url(course.model.id, lg, m.id)}" lang="{escape(lg)}" '
            f'hreflang="{escape(lg)}">{escape(lg)}</a>'
            for lg in langs
            if lg in m.languages
        )
        items.append(f"<li>{escape(title)} <small>({escape(m.kind)})</small> {links}</li>")
    title = pick(course.model.title, langs[0])
    return f"<h2>{escape(title)}</h2><ul>{''.join(items)}</ul>"


def error_page(status: int, key: str, lang: str) -> tuple[int, str]:
    """An error status and its page, in ``lang``."""
    lang = lang if lang in PAGE_TEXT else DEFAULT_LANG
    return status, page(text(key, lang), f"<h1>{escape(text(key, lang))}</h1>", lang=lang)


def make_handler(
    site_: PreviewSite, *, request_timeout: float = REQUEST_TIMEOUT
) -> type[BaseHTTPRequestHandler]:
    """A request handler class serving ``site_``."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "cluster-excellence-preview"
        timeout = request_timeout
        # headers and body are two writes: without TCP_NODELAY, Nagle's algorithm and the
        # browser's delayed ACK hold each body back ~40 ms
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
            pass

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self._dispatch(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._dispatch(body=False)

        def _refuse(self) -> None:
            status, html = error_page(405, "method_not_allowed", DEFAULT_LANG)
            self._send(
                status,
                html.encode(),
                "text/html; charset=utf-8",
                PAGE_CSP,
                body=True,
                extra={"Allow": "GET, HEAD"},
            )

        do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse  # noqa: N815

        def _dispatch(self, *, body: bool) -> None:
            url = urlsplit(self.path)
            parts = [unquote(p) for p in url.path.split("/") if p]
            if any(_CONTROL.search(p) for p in parts):
                return self._page(*error_page(400, "bad_request", DEFAULT_LANG), body=body)
            site_.refresh()
            if not parts:
                return self._page(200, index_page(site_.content, site_.problems), body=body)
            if parts == ["favicon.ico"]:  # browsers ask for it; the preview has none
                return self._send(204, b"", "image/x-icon", PAGE_CSP, body=False)
            lang = parts[2] if len(parts) >= 3 and parts[0] == "m" else DEFAULT_LANG
            found = self._lookup(parts) if len(parts) >= 4 and parts[0] == "m" else None
            if found is None:
                return self._page(*error_page(404, "not_found", lang), body=body)
            name, data = found
            if name == "index.html" and not url.path.endswith("/") and len(parts) == 4:
                # the launch page's relative links need the folder's trailing slash
                return self._redirect(url.path + "/")
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
                ctype += "; charset=utf-8"
            csp = (
                PLAYER_CSP
                if name.endswith(".html")
                else "default-src 'none'; style-src 'unsafe-inline'"
            )
            self._send(200, data, ctype, csp, body=body)

        def _lookup(self, parts: list[str]) -> tuple[str, bytes] | None:
            """``m/<course>/<lang>/<module or player>/<file...>`` → (file name, bytes)."""
            course, lang, folder, rest = parts[1], parts[2], parts[3], "/".join(parts[4:])
            if folder == "player":
                data = site_.app_files().get(f"player/{rest}")
                return None if data is None else (rest, data)
            files = site_.module_files(course, folder, lang)
            if files is None:
                return None
            rel = rest or "index.html"
            data = files.get(rel)
            return None if data is None else (rel.rpartition("/")[2], data)

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", quote(location))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _page(self, status: int, html: str, *, body: bool) -> None:
            self._send(
                status, html.encode("utf-8"), "text/html; charset=utf-8", PAGE_CSP, body=body
            )

        def _send(
            self, status, data: bytes, ctype: str, csp: str, *, body: bool, extra=None
        ) -> None:
            self.send_response(HTTPStatus(status))
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Security-Policy", csp)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if body:
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
