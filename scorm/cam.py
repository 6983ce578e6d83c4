"""Checks of ``imsmanifest.xml`` (the SCORM Content Aggregation Model) beyond XML itself.

The version is told apart by ``metadata/schemaversion`` (SCORM 1.2 only when it is
exactly ``1.2``; SCORM 2004 for ``CAM 1.3``, ``2004 3rd Edition`` and ``2004 4th
Edition``), and the namespaces must agree with it. The manifest is validated against
the official schemas of its namespaces (:mod:`.schemas`), then against what the schemas
do not say: the default organisation exists, every ``identifierref`` resolves, every
file referenced is in the zip and every file in the zip is referenced, every resource
has its ``scormtype`` (1.2) or ``scormType`` (2004) spelled for its version, and the
rules of two importers that users meet most (Open edX's SCORM block, Moodle).
"""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from .problems import Problem
from .schemas import LomMode, SchemaSet, validate
from .spec import (
    ADLCP_12,
    ADLCP_2004,
    ADLNAV_2004,
    ADLSEQ_2004,
    CMI5_MANIFEST,
    HAS_SCHEME,
    IMSCP_12,
    IMSCP_2004,
    IMSSS,
    MANIFEST,
    MASTERY_MAX_12,
    MASTERY_MIN_12,
    SCHEMAVERSION_12,
    SCHEMAVERSIONS_2004,
    SCORMTYPE_12,
    SCORMTYPE_2004,
    XML_NS,
    Format,
)
from .xmlread import parse_xml

#: Reads one zip entry: its bytes, or None and the problem that stopped it.
Reader = Callable[[str], tuple[bytes | None, Problem | None]]

_NAMESPACE_VERSION = {IMSCP_12: "1.2", ADLCP_12: "1.2", IMSCP_2004: "2004", ADLCP_2004: "2004"}
_ONLY_2004 = (ADLSEQ_2004, ADLNAV_2004, IMSSS)
#: Files a package carries for its manifest (schemas, DTDs), not content to list.
_CONTROL = re.compile(r"\.(xsd|dtd)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass
class ManifestFindings:
    """What :func:`check_manifest` found: the version, the launch page, every problem."""

    kind: Format | None = None
    schemaversion: str | None = None
    launch: str | None = None
    units: int = 0
    problems: list[Problem] = field(default_factory=list)


def check_manifest(
    tree: etree._ElementTree,
    names: list[str],
    read: Reader,
    schemas: SchemaSet | None,
    *,
    entry: str = MANIFEST,
    lom: LomMode = "loose",
) -> ManifestFindings:
    """Check a parsed ``imsmanifest.xml`` against the zip's file ``names``.

    Parameters
    ----------
    tree : lxml tree
        The manifest, parsed by :func:`.xmlread.parse_xml`.
    names : list of str
        Every file entry of the package.
    read : callable
        Reads a zip entry (for metadata files named by ``adlcp:location``).
    schemas : SchemaSet or None
        The official schemas; None leaves schema validation out.
    entry : str
        Name of the manifest in the zip, for locations.
    lom : "loose" or "strict"
        How inline LOM metadata is checked (see :data:`.schemas.LomMode`).
    """
    found = ManifestFindings()
    add = found.problems.append
    root = tree.getroot()
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "manifest" or ns not in (IMSCP_12, IMSCP_2004):
        add(
            Problem(
                entry,
                root.sourceline or 1,
                "manifest.not-a-manifest",
                f"the root element is {_name(root)}, not an IMS content package <manifest> "
                f"(namespace {IMSCP_12} for SCORM 1.2, {IMSCP_2004} for SCORM 2004)",
            )
        )
        return found
    ns_version = _NAMESPACE_VERSION[ns]
    version = _schemaversion(root, ns, ns_version, entry, found)
    found.kind = "scorm12" if version == "1.2" else "scorm2004"
    _namespace_problems(root, version, ns_version, entry, found)
    if schemas is not None:
        for p in validate(tree, ns_version, schemas=schemas, lom=lom):
            add(Problem(entry, p.line, "manifest.schema", p.message))
    _Semantics(root, ns, ns_version, names, read, schemas, entry, found).run()
    return found


def _schemaversion(root, ns, ns_version, entry, found) -> str:
    """The version the manifest declares ("1.2" or "2004"), its namespaces' if unknown."""
    add = found.problems.append
    el = root.find(f"{{{ns}}}metadata/{{{ns}}}schemaversion")
    if el is None:
        add(
            Problem(
                entry,
                root.sourceline or 1,
                "manifest.no-schemaversion",
                "no <metadata><schemaversion>: LMSs guess the SCORM version (Open edX's "
                "SCORM block takes 1.2); write 1.2 or 2004 4th Edition",
            )
        )
        return ns_version
    text = el.text or ""
    found.schemaversion = text
    if text == SCHEMAVERSION_12:
        return "1.2"
    if text in SCHEMAVERSIONS_2004:
        return "2004"
    stripped = text.strip()
    if stripped == SCHEMAVERSION_12:
        add(
            Problem(
                entry,
                el.sourceline,
                "manifest.schemaversion-space",
                f"schemaversion {text!r} has white space around 1.2: importers that "
                "compare it exactly (Open edX's SCORM block) take the package for SCORM "
                "2004; write exactly 1.2",
            )
        )
        return "1.2"
    if stripped in SCHEMAVERSIONS_2004:
        add(
            Problem(
                entry,
                el.sourceline,
                "manifest.schemaversion-space",
                f"schemaversion {text!r} has white space around it; write {stripped!r}",
                "warning",
            )
        )
        return "2004"
    add(
        Problem(
            entry,
            el.sourceline,
            "manifest.unknown-schemaversion",
            f"unknown schemaversion {text!r}: SCORM 1.2 is exactly '1.2'; SCORM 2004 is "
            "'CAM 1.3', '2004 3rd Edition' or '2004 4th Edition'",
        )
    )
    return ns_version


def _namespace_problems(root, version, ns_version, entry, found) -> None:
    add = found.problems.append
    used = _namespaces_used(root)
    other = "2004" if version == "1.2" else "1.2"
    wrong = sorted(n for n in used if _NAMESPACE_VERSION.get(n) == other)
    if version == "1.2":
        wrong += sorted(n for n in used if n in _ONLY_2004)
    if wrong:
        label = {"1.2": "SCORM 1.2", "2004": "SCORM 2004"}
        expected = (
            f"{IMSCP_12} and {ADLCP_12}" if version == "1.2" else f"{IMSCP_2004} and {ADLCP_2004}"
        )
        add(
            Problem(
                entry,
                root.sourceline or 1,
                "manifest.namespace-mismatch",
                f"schemaversion {found.schemaversion!r} ({label[version]}) with "
                f"{label[other]} namespaces ({', '.join(wrong)}): LMSs read the package as "
                f"one version and its data as the other; use {expected}, or the "
                f"schemaversion of {label[other]}",
            )
        )


def _namespaces_used(root) -> set[str]:
    used = set()
    for el in root.iter(etree.Element):
        used.add(etree.QName(el).namespace)
        for attr in el.attrib:
            if attr.startswith("{"):
                used.add(etree.QName(attr).namespace)
    used.discard(None)
    return used


def package_path(base: str, href: str) -> str | None:
    """The zip entry ``href`` names, relative to ``base``; None for a URL elsewhere.

    Query and fragment are dropped and ``%xx`` decoded.

    >>> package_path("course/", "sco1/index.html?page=2#top")
    'course/sco1/index.html'
    >>> package_path("", "https://example.org/x.js") is None
    True
    """
    if HAS_SCHEME.match(base) or HAS_SCHEME.match(href) or href.startswith("//"):
        return None
    path = urllib.parse.unquote(href.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/"):
        return path
    joined = posixpath.normpath(posixpath.join(base, path)) if path else ""
    return "" if joined == "." else joined


class _Semantics:
    """The rules the schemas cannot express, on one manifest."""

    def __init__(self, root, ns, ns_version, names, read, schemas, entry, found) -> None:
        self.root, self.ns, self.version = root, ns, ns_version
        self.adlcp = ADLCP_12 if ns_version == "1.2" else ADLCP_2004
        self.names = names
        self.name_set = set(names)
        self.folded = {n.casefold(): n for n in names}
        self.read, self.schemas, self.entry, self.found = read, schemas, entry, found
        self.listed: set[str] = set()

    def add(self, el, code: str, message: str, severity="error") -> None:
        line = el.sourceline if el is not None else 0
        self.found.problems.append(Problem(self.entry, line or 0, code, message, severity))

    def tag(self, name: str) -> str:
        return f"{{{self.ns}}}{name}"

    def run(self) -> None:
        resources = self._resources()
        self._organizations(resources)
        self._metadata_files()
        self._unlisted()
        self._openedx(resources)

    # ---------------------------------------------------------------- resources

    def _resources(self) -> dict[str, etree._Element]:
        by_id: dict[str, etree._Element] = {}
        manifest_base = self.root.get(f"{{{XML_NS}}}base", "")
        container = self.root.find(self.tag("resources"))
        if container is None:
            return by_id
        base = posixpath.join(manifest_base, container.get(f"{{{XML_NS}}}base", ""))
        for res in container.findall(self.tag("resource")):
            ident = res.get("identifier")
            if ident:
                by_id.setdefault(ident, res)
            self._scormtype(res)
            res_base = posixpath.join(base, res.get(f"{{{XML_NS}}}base", ""))
            href = res.get("href")
            if href is not None:
                self._file(res, res_base, href, f"launch page of resource {ident!r}")
            for f in res.findall(self.tag("file")):
                file_href = f.get("href")
                if file_href is not None:
                    self._file(f, res_base, file_href, f"file of resource {ident!r}")
        for dep in container.iter(self.tag("dependency")):
            ref = dep.get("identifierref")
            if ref is not None and ref not in by_id:
                self.add(
                    dep,
                    "manifest.identifierref",
                    f"dependency identifierref={ref!r} names no <resource> "
                    f"(resources: {_listing(by_id)})",
                )
        return by_id

    def _scormtype(self, res) -> None:
        spelled = SCORMTYPE_12 if self.version == "1.2" else SCORMTYPE_2004
        wrong = SCORMTYPE_2004 if self.version == "1.2" else SCORMTYPE_12
        if res.get(f"{{{self.adlcp}}}{spelled}") is not None:
            return
        ident = res.get("identifier")
        label = "SCORM 1.2" if self.version == "1.2" else "SCORM 2004"
        if res.get(f"{{{self.adlcp}}}{wrong}") is not None:
            self.add(
                res,
                "manifest.scormtype-spelling",
                f"resource {ident!r} has adlcp:{wrong}: {label} spells it adlcp:{spelled} "
                "(LMSs then miss whether it is a SCO)",
            )
        elif res.get(spelled) is not None or res.get(wrong) is not None:
            self.add(
                res,
                "manifest.scormtype-namespace",
                f"resource {ident!r} has {spelled} without the adlcp namespace: write "
                f'adlcp:{spelled} with xmlns:adlcp="{self.adlcp}"',
            )
        else:
            self.add(
                res,
                "manifest.no-scormtype",
                f"resource {ident!r} has no adlcp:{spelled} (sco or asset)",
            )

    def _file(self, el, base: str, href: str, what: str) -> str | None:
        if not href.strip():
            self.add(el, "manifest.empty-href", f"empty href ({what})")
            return None
        path = package_path(base, href)
        if path is None:
            return None
        if path.startswith("/"):
            self.add(
                el,
                "manifest.absolute-href",
                f"{href!r} ({what}) is an absolute path: hrefs are relative to the package",
            )
            return None
        if path == ".." or path.startswith("../"):
            self.add(el, "manifest.href-outside", f"{href!r} ({what}) points outside the package")
            return None
        self.listed.add(path)
        if path not in self.name_set:
            other = self.folded.get(path.casefold())
            hint = (
                f": the zip has {other!r} (the case differs; servers on Linux do not find it)"
                if other
                else ""
            )
            self.add(el, "manifest.missing-file", f"{path!r} ({what}) is not in the zip{hint}")
        return path

    # ------------------------------------------------------------ organizations

    def _organizations(self, resources: dict[str, etree._Element]) -> None:
        orgs = self.root.find(self.tag("organizations"))
        organizations = orgs.findall(self.tag("organization")) if orgs is not None else []
        if not organizations:
            self.add(
                orgs if orgs is not None else self.root,
                "manifest.no-organization",
                "no <organization>: an LMS has nothing to launch",
            )
            return
        by_id = {o.get("identifier"): o for o in organizations}
        default = orgs.get("default")
        chosen = organizations[0]
        if default is None:
            self.add(
                orgs,
                "manifest.no-default-organization",
                "organizations has no default attribute: LMSs take the first organization",
                "warning",
            )
        elif default not in by_id:
            self.add(
                orgs,
                "manifest.default-organization",
                f"organizations default={default!r} names no <organization> "
                f"(organizations: {_listing(by_id)})",
            )
        else:
            chosen = by_id[default]
        launch = None
        for org in organizations:
            for item in org.iter(self.tag("item")):
                res = self._item(item, resources)
                if org is chosen and launch is None and res is not None:
                    launch = self._launch(res)
                if res is not None:
                    self.found.units += org is chosen
        self.found.launch = launch
        for mastery in self.root.iter(f"{{{ADLCP_12}}}masteryscore"):
            text = (mastery.text or "").strip()
            if not _NUMBER.match(text) or not MASTERY_MIN_12 <= float(text) <= MASTERY_MAX_12:
                self.add(
                    mastery,
                    "manifest.masteryscore",
                    f"adlcp:masteryscore {text!r} is not a number from 0 to 100: it is "
                    "compared with cmi.core.score.raw, which LMSs (Moodle) keep in 0..100",
                )
            elif "." in text and 0 < float(text) <= 1:
                self.add(
                    mastery,
                    "manifest.masteryscore-scaled",
                    f"adlcp:masteryscore {text!r} looks like a scaled score: it is compared "
                    f"with cmi.core.score.raw on 0..100, so {text} passes nearly everyone; "
                    f"write {float(text) * 100:g} for {float(text):.0%}",
                    "warning",
                )

    def _item(self, item, resources) -> etree._Element | None:
        ident = item.get("identifier")
        ref = item.get("identifierref")
        children = item.findall(self.tag("item"))
        if ref is None:
            if not children:
                self.add(
                    item,
                    "manifest.empty-item",
                    f"item {ident!r} has neither an identifierref nor child items: "
                    "nothing to launch",
                )
            return None
        if children and self.version == "2004":
            self.add(
                item,
                "manifest.parent-item-resource",
                f"item {ident!r} has child items and an identifierref: in SCORM 2004 "
                "only leaf items refer to resources",
            )
        res = resources.get(ref)
        if res is None:
            self.add(
                item,
                "manifest.identifierref",
                f"item {ident!r}: identifierref={ref!r} names no <resource> "
                f"(resources: {_listing(resources)})",
            )
            return None
        if res.get("href") is None:
            self.add(
                item,
                "manifest.resource-without-href",
                f"item {ident!r} launches resource {ref!r}, which has no href",
            )
            return None
        return res

    def _launch(self, res) -> str | None:
        base = self.root.get(f"{{{XML_NS}}}base", "")
        container = res.getparent()
        base = posixpath.join(base, container.get(f"{{{XML_NS}}}base", ""))
        base = posixpath.join(base, res.get(f"{{{XML_NS}}}base", ""))
        return package_path(base, res.get("href", ""))

    # ----------------------------------------------------------------- metadata

    def _metadata_files(self) -> None:
        """``adlcp:location`` metadata: the file exists, parses safely and (2004) is LOM."""
        for loc in self.root.iter(f"{{{self.adlcp}}}location"):
            href = (loc.text or "").strip()
            path = self._file(loc, self._base_of(loc), href, "metadata of adlcp:location")
            if path is None or path not in self.name_set:
                continue
            data, problem = self.read(path)
            if problem is not None:
                self.found.problems.append(problem)
                continue
            tree, problems = parse_xml(data, path)
            self.found.problems.extend(problems)
            if tree is None or self.schemas is None:
                continue
            if self.version == "2004" and self.schemas.has_lom:
                for p in validate(tree, "2004", schemas=self.schemas, lom="loose"):
                    self.found.problems.append(Problem(path, p.line, "metadata.schema", p.message))

    def _base_of(self, el) -> str:
        """The xml:base in effect at ``el`` (from the manifest down)."""
        bases = [a.get(f"{{{XML_NS}}}base", "") for a in (*reversed(list(el.iterancestors())), el)]
        base = ""
        for b in bases:
            base = posixpath.join(base, b)
        return base

    def _unlisted(self) -> None:
        for name in self.names:
            if name in self.listed or name in (MANIFEST, CMI5_MANIFEST) or _CONTROL.search(name):
                continue
            # A warning: some authoring tools (Adapt) list only the launch page, and LMSs
            # serve unlisted files all the same.
            self.found.problems.append(
                Problem(
                    name,
                    0,
                    "manifest.unlisted-file",
                    "in the zip but in no resource of the manifest: add a <file href> to the "
                    "resource that uses it, or leave it out of the zip",
                    "warning",
                )
            )

    # ---------------------------------------------------------------- importers

    def _openedx(self, resources) -> None:
        """Open edX's SCORM block reads the default namespace and launches the first
        resource with an href."""
        if self.root.prefix is not None:
            self.add(
                self.root,
                "importer.openedx-prefix",
                f"the IMS CP namespace has the prefix {self.root.prefix!r}: Open edX's "
                "SCORM block reads the manifest through the default namespace only and "
                "finds no resource to launch; declare it with xmlns=",
            )
        container = self.root.find(self.tag("resources"))
        first = None
        if container is not None:
            with_href = (r for r in container.findall(self.tag("resource")) if r.get("href"))
            first = next(with_href, None)
        if first is None or self.found.launch is None:
            return
        first_path = self._launch(first)
        if first_path != self.found.launch:
            self.add(
                first,
                "importer.openedx-launch",
                f"Open edX's SCORM block launches the first resource with an href "
                f"({first_path!r}), other LMSs the default organization's first item "
                f"({self.found.launch!r}): put that item's resource first",
                "warning",
            )


def _name(el) -> str:
    q = etree.QName(el)
    return f"<{q.localname}> in namespace {q.namespace}" if q.namespace else f"<{q.localname}>"


def _listing(ids) -> str:
    names = sorted(str(i) for i in ids if i)
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return shown or "none"
