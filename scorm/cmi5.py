"""``cmi5.xml``, the cmi5 course structure: written from a plan, and checked.

One course (id: the package IRI) with one AU per unit: id ``<package IRI>/<unit id>``,
``moveOn`` ``CompletedAndPassed`` for graded units (``masteryScore`` = the mastery
score) and ``Completed`` otherwise, ``launchMethod`` ``AnyWindow``, ``url`` relative
to the package root.

No official XSD of the course structure is available offline, so :func:`check_cmi5`
checks the structure the cmi5 specification (section 13, "Course Structure Data
Requirements") describes: the root and namespace, one course, AUs and blocks with
absolute IRIs as unique ids, titles and descriptions as language strings, each AU's
``url`` (a relative one must be a file of the package), the ``moveOn``,
``masteryScore`` and ``launchMethod`` vocabularies, and the order of children.
"""

from __future__ import annotations

import urllib.parse

from lxml import etree

from .manifest import serialise
from .plan import PackagePlan
from .problems import Problem
from .spec import ABSOLUTE_IRI, CMI5, CMI5_MANIFEST, HAS_SCHEME, LAUNCH_METHODS, MOVE_ON

_C = f"{{{CMI5}}}"
#: Children of each element, in the order the course structure schema requires
#: (``?``: optional, ``*``: any number, ``+``: at least one).
_CHILDREN = {
    "courseStructure": (("course", "1"), ("objectives", "?"), ("au|block", "+")),
    "course": (("title", "1"), ("description", "1")),
    "block": (("title", "1"), ("description", "1"), ("objectives", "?"), ("au|block", "+")),
    "au": (
        ("title", "1"),
        ("description", "1"),
        ("objectives", "?"),
        ("url", "1"),
        ("launchParameters", "?"),
        ("entitlementKey", "?"),
    ),
}


def cmi5_xml(plan: PackagePlan) -> bytes:
    """The ``cmi5.xml`` of ``plan`` (UTF-8, deterministic)."""
    root = etree.Element(f"{_C}courseStructure", nsmap={None: CMI5})
    course = etree.SubElement(root, f"{_C}course", id=plan.iri)
    _langstrings(course, "title", plan.language, plan.title)
    _langstrings(course, "description", plan.language, plan.description)
    for sco in plan.scos:
        attrs = {"id": plan.au_iri(sco)}
        if sco.graded:
            attrs["moveOn"] = "CompletedAndPassed"
            attrs["masteryScore"] = f"{round(sco.mastery_score, 4):.4f}".rstrip("0").rstrip(".")
        else:
            attrs["moveOn"] = "Completed"
        attrs["launchMethod"] = "AnyWindow"
        au = etree.SubElement(root, f"{_C}au", attrs)
        _langstrings(au, "title", plan.language, sco.title)
        _langstrings(au, "description", plan.language, sco.description)
        etree.SubElement(au, f"{_C}url").text = sco.href
    return serialise(root)


def _langstrings(parent, tag: str, lang: str, text: str) -> None:
    el = etree.SubElement(parent, f"{_C}{tag}")
    etree.SubElement(el, f"{_C}langstring", lang=lang).text = text


def check_cmi5(
    tree: etree._ElementTree, names: list[str], *, entry: str = CMI5_MANIFEST
) -> tuple[int, str | None, list[Problem]]:
    """Check a parsed ``cmi5.xml`` against the zip's file ``names``.

    Returns
    -------
    units : int
        Number of AUs.
    launch : str or None
        The first AU's url.
    problems : list of Problem
    """
    problems: list[Problem] = []

    def add(el, code: str, message: str) -> None:
        problems.append(Problem(entry, el.sourceline or 0, code, message))

    root = tree.getroot()
    if root.tag != f"{_C}courseStructure":
        q = etree.QName(root)
        add(
            root,
            "cmi5.root",
            f"the root element is <{q.localname}> in namespace {q.namespace}: a cmi5 course "
            f'structure is <courseStructure xmlns="{CMI5}">',
        )
        return 0, None, problems
    name_set = set(names)
    ids: dict[str, int] = {}
    aus = []
    for el in root.iter(etree.Element):
        q = etree.QName(el)
        if q.namespace != CMI5:
            continue
        local = q.localname
        if local in _CHILDREN:
            _order(el, local, add)
        if local in ("course", "au", "block"):
            _iri_id(el, local, ids, add)
        if local in ("title", "description") and etree.QName(el.getparent()).localname in (
            "course",
            "au",
            "block",
        ):
            _langstring_problems(el, add)
        if local == "au":
            aus.append(el)
            _au(el, name_set, add)
    if not aus:
        add(root, "cmi5.no-au", "no <au>: the course has nothing to launch")
    launch = None
    if aus:
        url = aus[0].find(f"{_C}url")
        launch = (url.text or "").strip() if url is not None else None
    return len(aus), launch, problems


def _order(el, local: str, add) -> None:
    """The cmi5 children of ``el`` follow the schema's sequence."""
    children = [
        etree.QName(c).localname
        for c in el
        if isinstance(c.tag, str) and etree.QName(c).namespace == CMI5
    ]
    pos = 0
    spec = _CHILDREN[local]
    for names, count in spec:
        allowed = names.split("|")
        n = 0
        while pos < len(children) and children[pos] in allowed:
            pos += 1
            n += 1
        if count in ("1", "+") and n == 0:
            wanted = " or ".join(f"<{a}>" for a in allowed)
            later = [c for c in children[pos:] if c in allowed]
            where = "in the wrong place" if later else "missing"
            add(el, "cmi5.structure", f"<{local}>: {wanted} {where}")
            if later:
                return
        if count in ("1", "?") and n > 1:
            add(el, "cmi5.structure", f"<{local}>: more than one <{names}>")
    if pos < len(children):
        known = {a for names, _ in spec for a in names.split("|")}
        extra = children[pos]
        what = "in the wrong place" if extra in known else "not a cmi5 element here"
        add(el, "cmi5.structure", f"<{local}>: <{extra}> {what}")


def _iri_id(el, local: str, ids: dict[str, int], add) -> None:
    ident = el.get("id")
    if not ident:
        add(el, "cmi5.id", f"<{local}> has no id (an absolute IRI)")
        return
    if not ABSOLUTE_IRI.match(ident):
        add(el, "cmi5.id", f"<{local}> id {ident!r} is not an absolute IRI (https://...)")
    if ident in ids:
        add(el, "cmi5.duplicate-id", f"<{local}> id {ident!r} is also used at line {ids[ident]}")
    else:
        ids[ident] = el.sourceline or 0


def _langstring_problems(el, add) -> None:
    local = etree.QName(el).localname
    strings = el.findall(f"{_C}langstring")
    if not strings:
        add(el, "cmi5.langstring", f"<{local}> has no <langstring>")
    for s in strings:
        if not s.get("lang"):
            add(s, "cmi5.langstring", f"<langstring> in <{local}> has no lang attribute")
        if not (s.text or "").strip():
            add(s, "cmi5.langstring", f"<langstring> in <{local}> is empty")


def _au(au, name_set: set[str], add) -> None:
    move_on = au.get("moveOn")
    if move_on is not None and move_on not in MOVE_ON:
        add(au, "cmi5.moveOn", f"moveOn {move_on!r} is not one of {', '.join(sorted(MOVE_ON))}")
    method = au.get("launchMethod")
    if method is not None and method not in LAUNCH_METHODS:
        add(
            au,
            "cmi5.launchMethod",
            f"launchMethod {method!r} is not one of {', '.join(sorted(LAUNCH_METHODS))}",
        )
    mastery = au.get("masteryScore")
    if mastery is not None:
        try:
            ok = 0 <= float(mastery) <= 1
        except ValueError:
            ok = False
        if not ok:
            add(au, "cmi5.masteryScore", f"masteryScore {mastery!r} is not a decimal in [0, 1]")
    url_el = au.find(f"{_C}url")
    if url_el is None:
        return
    url = (url_el.text or "").strip()
    if not url:
        add(url_el, "cmi5.url", "<url> is empty")
        return
    if HAS_SCHEME.match(url):
        if not url.lower().startswith(("https:", "http:")):
            add(url_el, "cmi5.url", f"url {url!r}: an AU is launched over http(s) only")
        return
    path = urllib.parse.unquote(url.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/") or ".." in path.split("/"):
        add(url_el, "cmi5.url", f"url {url!r} points outside the package")
    elif path not in name_set:
        add(url_el, "cmi5.url", f"url {url!r}: {path!r} is not in the zip")
