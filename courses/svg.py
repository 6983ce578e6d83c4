"""SVG figures as self-contained pictures: what a figure may not hold, located in its file.

An SVG opened on its own (a file link in an LMS, the preview's ``/f/`` route) is a
document: it can run scripts and load from the network. A figure of a case must be a
picture only, so these are refused, each at the ``line:column`` of its element:
``<script>``, ``<foreignObject>`` (embedded HTML), ``on*`` event handler attributes,
``javascript:`` links, links to anything outside the file (``href``, ``xlink:href``,
``src`` or a style's ``url(...)`` with a scheme or ``//``, every ``@import``), ``data:``
URLs other than raster images, and animations that rewrite a link.

The file is parsed by the standard library's expat parser, without namespace processing
(names as written: ``xlink:href``). A ``DOCTYPE`` stops parsing at once, so no entity is
ever declared or expanded.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

from .exceptions import ContentError, ContentProblem
from .files import MAX_SVG_BYTES, read_text

HINT = "a figure must be a self-contained picture: remove it, or embed what it loads"
#: ``data:`` URLs a figure may embed (raster images only: they run nothing).
DATA_IMAGES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_LINK_ATTRIBUTES = frozenset({"href", "src"})
_ANIMATIONS = frozenset({"set", "animate", "animatemotion", "animatetransform"})
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def svg_problems(path: Path) -> list[ContentProblem]:
    """Every unsafe construct of the SVG file ``path`` (empty when it is a plain picture)."""
    try:
        text = read_text(path, limit=MAX_SVG_BYTES)
    except ContentError as exc:
        return list(exc.problems)
    return _Checker(path).run(text)


class _Stop(Exception):
    """A construct that ends parsing at once (a DOCTYPE); ``args[0]`` is its problem."""


class _Checker:
    """One pass of expat over one file, collecting located problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.found: list[ContentProblem] = []
        self.root: tuple[str, int, int] | None = None
        self.styles: list[tuple[int, int, list[str]]] = []  # open <style>s and their text
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def run(self, text: str) -> list[ContentProblem]:
        try:
            self.parser.Parse(text, True)
        except _Stop as stop:
            return [stop.args[0]]
        except expat.ExpatError as exc:
            message = f"invalid SVG (XML): {expat.ErrorString(exc.code)}"
            return [
                *self.found,
                ContentProblem(
                    self.path, exc.lineno, exc.offset + 1, message, "save it as well-formed XML"
                ),
            ]
        if self.root is not None and _local(self.root[0]).lower() != "svg":
            name, line, col = self.root
            message = f"the root element is <{name}>, not <svg>"
            return [ContentProblem(self.path, line, col, message, "save the figure as SVG")]
        return self.found

    def here(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def add(self, message: str, where: tuple[int, int] | None = None) -> None:
        line, col = where or self.here()
        self.found.append(ContentProblem(self.path, line, col, message, HINT))

    def doctype(self, *_args: object) -> None:
        line, col = self.here()
        hint = "remove it: a figure declares no DTD and no entities"
        raise _Stop(ContentProblem(self.path, line, col, "a DOCTYPE in an SVG figure", hint))

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name).lower()
        if self.root is None:
            self.root = (name, *self.here())
        if local == "script":
            self.add("<script> in an SVG figure")
        elif local == "foreignobject":
            self.add("<foreignObject> in an SVG figure (it embeds HTML)")
        elif local == "style":
            self.styles.append((*self.here(), []))
        if local in _ANIMATIONS and _local(attrs.get("attributeName", "")).lower() == "href":
            self.add(f"animation of a link (<{name} attributeName=...>)")
        for attr, value in attrs.items():
            kind = _local(attr).lower()
            if kind.startswith("on"):
                self.add(f"event handler attribute {attr!r} on <{name}>")
            elif kind in _LINK_ATTRIBUTES and (message := _url_problem(value, attr)):
                self.add(message)
            elif kind == "style":
                for message in _css_problems(value, f"the style of <{name}>"):
                    self.add(message)

    def text(self, data: str) -> None:
        if self.styles:
            self.styles[-1][2].append(data)

    def end(self, name: str) -> None:
        if _local(name).lower() == "style" and self.styles:
            line, col, parts = self.styles.pop()
            for message in _css_problems("".join(parts), "a <style>"):
                self.add(message, (line, col))


def _local(name: str) -> str:
    """``xlink:href`` → ``href``."""
    return name.rpartition(":")[2]


def _url_problem(value: str, where: str) -> str | None:
    """Why the URL ``value`` (in ``where``) is refused, or None for a link inside the file."""
    # As browsers read URLs: outer spaces and control characters, inner tabs and newlines go.
    url = re.sub(r"[\t\n\r]", "", value.strip(_C0_AND_SPACE)).lower()
    if url.startswith(("javascript:", "vbscript:")):
        return f"javascript: URL in {where}"
    if url.startswith("data:"):
        if url.startswith(DATA_IMAGES):
            return None
        return f"data: URL that is not a PNG, JPEG, GIF or WebP image in {where}"
    if url.startswith(("//", "\\\\")) or _SCHEME.match(url):
        return f"link outside the file {value.strip()[:80]!r} in {where}"
    return None


def _css_problems(css: str, where: str) -> list[str]:
    """Imports and ``url(...)`` links outside the file in the CSS text ``css``."""
    out = [f"@import in {where}"] if "@import" in css.lower() else []
    for match in _CSS_URL.finditer(css):
        message = _url_problem(match.group(2), f"a url() of {where}")
        if message:
            out.append(message)
    return out
