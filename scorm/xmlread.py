"""Parsing package XML safely, with problems an author can act on.

No DTD is loaded, no entity is resolved, nothing is fetched from the network, and a
document with a ``DOCTYPE`` is refused before it is parsed (entity expansion and
external entities are how XML files attack the programs that read them). A byte order
mark and an unescaped ``&`` are reported as such, at their line; every syntax error
libxml2 finds is reported, not only the first.
"""

from __future__ import annotations

import codecs
import contextlib
import re

from lxml import etree

from .problems import Problem

_UNDEFINED_ENTITY = re.compile(r"Entity '([^']*)' not defined")
_PROLOG_SKIP = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


def _parser(*, recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=recover,
    )


def parse_xml(data: bytes, entry: str) -> tuple[etree._ElementTree | None, list[Problem]]:
    """Parse ``data`` (the bytes of zip entry ``entry``); the tree is None when refused.

    >>> tree, problems = parse_xml(b"<a>fish & chips</a>", "imsmanifest.xml")
    >>> tree is None, problems[0].line, problems[0].code
    (True, 1, 'xml.unescaped-ampersand')
    """
    problems: list[Problem] = []
    text = data
    if data.startswith(codecs.BOM_UTF8):
        problems.append(
            Problem(
                entry,
                1,
                "xml.bom",
                "the file starts with a byte order mark (BOM, bytes EF BB BF): several "
                "LMS importers fail on it; save the file as UTF-8 without BOM",
            )
        )
        text = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        problems.append(
            Problem(
                entry,
                1,
                "xml.utf16",
                "the file is UTF-16 (it starts with a UTF-16 byte order mark): LMS "
                "importers expect UTF-8; save the file as UTF-8 without BOM",
            )
        )
        try:
            text = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return None, [*problems, Problem(entry, 1, "xml.encoding", "not valid UTF-16")]
        text = re.sub(rb"^(<\?xml[^>]*?encoding=)([\"'])[^\"']*\2", rb"\1\2UTF-8\2", text)
    doctype = _doctype_line(text)
    if doctype:
        problems.append(
            Problem(
                entry,
                doctype,
                "xml.doctype",
                "a DOCTYPE declaration: DTDs and entities are not allowed in package XML "
                "(they can fetch files or expand without end); remove the declaration",
            )
        )
        return None, problems
    try:
        root = etree.fromstring(text, _parser())
    except etree.XMLSyntaxError as exc:
        return None, problems + _syntax_problems(text, entry, exc)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # pragma: no cover
        problems.append(Problem(entry, 1, "xml.doctype", "a DOCTYPE declaration"))
        return None, problems
    return tree, problems


def _doctype_line(text: bytes) -> int:
    """Line of a ``<!DOCTYPE`` in the prolog, or 0 (it can appear nowhere else)."""
    pos = 0
    while True:
        m = _PROLOG_SKIP.match(text, pos)
        if not m:
            break
        pos = m.end()
    if text[pos : pos + 9].upper() == b"<!DOCTYPE":
        return text.count(b"\n", 0, pos) + 1
    return 0


def _syntax_problems(text: bytes, entry: str, first: etree.XMLSyntaxError) -> list[Problem]:
    parser = _parser(recover=True)
    with contextlib.suppress(etree.XMLSyntaxError):
        etree.fromstring(text, parser)
    errors = [(e.line, e.column, e.message) for e in parser.error_log] or [
        (first.lineno or 1, first.offset or 0, first.msg)
    ]
    problems = []
    for line, column, message in errors:
        if "EntityRef" in message or "xmlParseEntityRef" in message:
            problems.append(
                Problem(
                    entry,
                    line,
                    "xml.unescaped-ampersand",
                    f"an unescaped '&' (column {column}): write it as &amp; (a bare & "
                    "starts an entity reference in XML)",
                )
            )
        elif m := _UNDEFINED_ENTITY.search(message):
            problems.append(
                Problem(
                    entry,
                    line,
                    "xml.undefined-entity",
                    f"entity &{m.group(1)}; is not defined: package XML has no DTD, so only "
                    "&amp; &lt; &gt; &quot; &apos; and character references (&#233;) work",
                )
            )
        else:
            problems.append(
                Problem(entry, line, "xml.syntax", f"not well-formed XML: {message.strip()}")
            )
    return sorted(set(problems))
