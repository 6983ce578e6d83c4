"""The player's files: the shared app, and each module's launch folder.

A channel that ships the player (a SCORM or cmi5 package, the preview server) lays out
the files this module gives it: the app once (``player/...``), and for each module a
launch page with its bundle inline plus the media files the bundle refers to.
"""

from __future__ import annotations

import weakref
from html import escape
from importlib import resources
from string import Template
from typing import Any

from clusterexcellence.courses.loader import Content

from .bundle import Bundle, build_bundle, module_info

__all__ = ["HOSTS", "app_files", "launch_page", "module_files", "module_info"]

STATIC = resources.files("clusterexcellence.player") / "static"
#: Hosts the app ships with, and the modules of each (``js/hosts/<name>.js`` and what it
#: imports): the launch page preloads them with the app's (a test keeps them complete).
HOST_MODULES = {
    "preview": ("hosts/preview.js",),
    "scorm12": (
        "hosts/scorm12.js",
        "hosts/scorm-session.js",
        "hosts/discovery.js",
        "hosts/scorm-common.js",
    ),
    "scorm2004": (
        "hosts/scorm2004.js",
        "hosts/scorm-session.js",
        "hosts/discovery.js",
        "hosts/scorm-common.js",
    ),
    "cmi5": ("hosts/cmi5.js", "hosts/scorm-common.js"),
}
HOSTS = tuple(HOST_MODULES)
#: Files of ``static/`` that are no part of the app in a browser.
_NOT_SHIPPED = frozenset({"index.html", "js/package.json"})
#: Where a package puts the app, and how a module's launch page reaches it.
APP_DIR = "player"
APP_PREFIX = f"../{APP_DIR}/"
#: Bundles already built, per content tree (a build makes packages of several formats
#: from one bundle per module and language).
_BUNDLES: dict[int, dict[tuple[str, str, str], Bundle]] = {}


def app_files() -> dict[str, bytes]:
    """The app's files keyed by their path in a package (``player/js/app.js``, ...), sorted."""
    out = {}
    for path in sorted(_walk(STATIC)):
        if path not in _NOT_SHIPPED:
            out[f"{APP_DIR}/{path}"] = (STATIC / path).read_bytes()
    return out


def _walk(folder, prefix: str = ""):
    for entry in folder.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, f"{name}/")
        elif entry.is_file():
            yield name


def launch_page(bundle: Bundle | dict[str, Any], *, host: str, prefix: str = APP_PREFIX) -> str:
    """The launch page of a bundle for ``host``: the bundle inline, the app from ``prefix``.

    The bundle's JSON is escaped for a ``<script>`` element (no ``</script>`` can end it).
    """
    if host not in HOSTS:
        raise ValueError(f"unknown host {host!r} (one of {', '.join(HOSTS)})")
    data = bundle.data if isinstance(bundle, Bundle) else bundle
    # No "</script>" or "<!--" can end or change the element: < > & as JSON escapes.
    text = (
        Bundle(data).json().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    template = Template((STATIC / "index.html").read_text(encoding="utf-8"))
    return template.substitute(
        lang=escape(data["module"]["lang"]),
        host=host,
        title=escape(data["module"]["title"]),
        prefix=escape(prefix),
        host_preloads="\n".join(
            f'<link rel="modulepreload" href="{escape(prefix)}js/{path}">'
            for path in HOST_MODULES[host]
        ),
        bundle=text,
        noscript=escape(data["ui"].get("noscript", "JavaScript is needed to run this module.")),
    )


def module_files(
    content: Content, course_id: str, module_id: str, lang: str, *, host: str
) -> dict[str, bytes]:
    """One module's launch folder: ``index.html`` and its ``media/...`` files, sorted.

    The launch page loads the app from ``../player/``, so a package puts this folder at
    ``<module id>/`` beside ``player/`` (see :func:`app_files`).
    """
    bundle = _bundle(content, course_id, module_id, lang)
    files = {"index.html": launch_page(bundle, host=host).encode("utf-8")}
    for target, path in sorted(bundle.media.items()):
        files[target] = path.read_bytes()
    return files


def _bundle(content: Content, course_id: str, module_id: str, lang: str) -> Bundle:
    """The bundle (with keys) of a module, built once per content tree."""
    cache = _BUNDLES.get(id(content))
    if cache is None:
        cache = _BUNDLES[id(content)] = {}
        weakref.finalize(content, _BUNDLES.pop, id(content), None)
    key = (course_id, module_id, lang)
    if key not in cache:
        cache[key] = build_bundle(content, course_id, module_id, lang, keys=True)
    return cache[key]
