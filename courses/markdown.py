"""Markdown rendering and HTML sanitising.

Markdown is rendered with markdown-it-py (CommonMark plus tables) and the HTML is cleaned
by nh3. Raw HTML that the sanitiser would remove (scripts, styles, iframes, event
handlers, ``javascript:`` URLs, any tag or attribute not on the safe list) is also
reported by :func:`unsafe_html` so that the validator can refuse it, with its line.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

#: Tags kept by the sanitiser (nh3's safe defaults: text, lists, tables, images, links...).
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS)
#: Attributes kept per tag; ``style`` survives on table cells only as ``text-align``,
#: which markdown-it writes for aligned table columns.
ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "img": {"src", "alt", "title", "width", "height"},
    "a": {"href", "hreflang", "title"},
    "th": {*nh3.ALLOWED_ATTRIBUTES["th"], "style"},
    "td": {*nh3.ALLOWED_ATTRIBUTES["td"], "style"},
}
#: URL schemes kept in ``href``/``src``; relative URLs are always kept.
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: Tags removed together with their content.
CONTENT_TAGS = frozenset({"script", "style"})


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True}).enable("table")


_MD = _markdown()


def sanitize(html: str) -> str:
    """Remove everything unsafe from an HTML fragment.

    >>> sanitize('<p onclick="x()">Hi<script>alert(1)</script></p>')
    '<p>Hi</p>'
    >>> sanitize('<a href="javascript:alert(1)">x</a>')
    '<a rel="noopener noreferrer">x</a>'
    """
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CONTENT_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties={"text-align"},
    )


def render(text: str, *, inline: bool = False, url: Callable[[str], str] | None = None) -> str:
    """Render Markdown to sanitised HTML.

    Parameters
    ----------
    text : str
        CommonMark with GFM tables.
    inline : bool
        Render inline Markdown only (titles, option labels): no ``<p>`` wrapper.
    url : callable, optional
        Rewrites relative link and image URLs (the preview points them at its file route).
    """
    env: dict = {}
    tokens = _MD.parseInline(text, env) if inline else _MD.parse(text, env)
    if url is not None:
        for tok in _walk(tokens):
            for attr in ("src", "href"):
                value = tok.attrGet(attr)
                if isinstance(value, str) and _is_relative(value):
                    tok.attrSet(attr, url(value))
    html = _MD.renderer.render(tokens, _MD.options, env)
    return sanitize(html)


def plain_text(text: str) -> str:
    """Markdown as one line of plain text (package metadata, a summary): no markup, no
    tags, entities decoded, whitespace collapsed.

    >>> plain_text("A **40-minute** test:\\n\\n- eight areas\\n- *your* level &amp; cases")
    'A 40-minute test: eight areas your level & cases'
    """
    stripped = nh3.clean(render(text), tags=set())
    return " ".join(html.unescape(stripped).split())


def _walk(tokens) -> Iterator:
    for tok in tokens:
        yield tok
        if tok.children:
            yield from _walk(tok.children)


def _is_relative(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and not url.startswith(("/", "#"))


@dataclass(frozen=True)
class Finding:
    """Something in a Markdown text that is unsafe or points at a file."""

    line: int  # 1-based, in the Markdown text
    column: int  # 1-based
    message: str


def unsafe_html(text: str) -> list[Finding]:
    """Every piece of raw HTML in ``text`` that :func:`sanitize` would strip.

    >>> [f.message for f in unsafe_html('Hi <span onclick="x()">there</span>')]
    ["event handler attribute 'onclick' on <span> would be stripped"]
    """
    findings = []
    lines = text.splitlines()
    for tok, first_line in _html_tokens(_MD.parse(text, {})):
        checker = _Checker()
        checker.feed(tok.content)
        checker.close()
        for needle, message in checker.found:
            line, col = _find(lines, needle, first_line)
            findings.append(Finding(line, col, message))
    return findings


def image_urls(text: str) -> list[Finding]:
    """Relative image URLs of ``text`` (Markdown images and raw ``<img src>``), located."""
    out = []
    lines = text.splitlines()
    for tok, first_line in _blocks(_MD.parse(text, {})):
        for child in _walk([tok]):
            src = child.attrGet("src") if child.type == "image" else None
            if child.type in ("html_inline", "html_block"):
                checker = _Checker()
                checker.feed(child.content)
                src = next(iter(checker.images), None)
            if isinstance(src, str) and _is_relative(src):
                line, col = _find(lines, src, first_line)
                out.append(Finding(line, col, src))
    return out


def _blocks(tokens) -> Iterator[tuple]:
    for tok in tokens:
        if tok.map is not None:
            yield tok, tok.map[0]


def _html_tokens(tokens) -> Iterator[tuple]:
    for tok, first in _blocks(tokens):
        if tok.type == "html_block":
            yield tok, first
        for child in tok.children or ():
            if child.type == "html_inline":
                yield child, first


def _find(lines: list[str], needle: str, start: int) -> tuple[int, int]:
    for i in range(start, len(lines)):
        col = lines[i].lower().find(needle.lower())
        if col >= 0:
            return i + 1, col + 1
    return start + 1, 1


class _Checker(HTMLParser):
    """Lists raw HTML the sanitiser would remove, with a text to find it by."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            what = "and its content " if tag in CONTENT_TAGS else ""
            self.found.append((f"<{tag}", f"<{tag}> {what}would be stripped"))
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on"):
                msg = f"event handler attribute {name!r} on <{tag}> would be stripped"
                self.found.append((name, msg))
            elif name == "style" or name not in allowed:
                self.found.append((name, f"attribute {name!r} on <{tag}> would be stripped"))
            elif name in ("href", "src") and value:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme and scheme not in URL_SCHEMES:
                    self.found.append((value, f"{scheme}: URL in <{tag} {name}> would be stripped"))
                elif tag == "img" and name == "src":
                    self.images.append(value)

    handle_startendtag = handle_starttag
