"""The vocabulary of SCORM 1.2, SCORM 2004 and cmi5 packages, in one place.

Namespaces, ``schemaversion`` values, attribute spellings, vocabularies and limits as
the specifications name them: SCORM 1.2 CAM (imscp_rootv1p1p2, adlcp_rootv1p2),
SCORM 2004 4th Edition CAM and SN (imscp_v1p1, adlcp_v1p3, adlseq_v1p3, adlnav_v1p3,
imsss), and cmi5 (AICC/ADL, "cmi5 Course Structure").
"""

from __future__ import annotations

import re
from typing import Final, Literal

#: The package formats this suite builds and checks.
Format = Literal["scorm12", "scorm2004", "cmi5"]
FORMATS: Final[tuple[Format, ...]] = ("scorm12", "scorm2004", "cmi5")
FORMAT_NAMES: Final[dict[str, str]] = {
    "scorm12": "SCORM 1.2",
    "scorm2004": "SCORM 2004",
    "cmi5": "cmi5",
}

MANIFEST: Final = "imsmanifest.xml"
CMI5_MANIFEST: Final = "cmi5.xml"
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"

# ------------------------------------------------------------------------- SCORM 1.2

IMSCP_12: Final = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12: Final = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
#: IMS Meta-data 1.2.1, the inline metadata of 1.2 manifests (its schema does not
#: compile under libxml2).
IMSMD_12: Final = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
SCHEMAVERSION_12: Final = "1.2"
#: 1.2 spells the attribute in lower case (``adlcp:scormtype``).
SCORMTYPE_12: Final = "scormtype"
#: ``adlcp:masteryscore`` is a raw score on the 0..100 scale of ``cmi.core.score.raw``.
MASTERY_MIN_12: Final = 0.0
MASTERY_MAX_12: Final = 100.0

# ------------------------------------------------------------------------ SCORM 2004

IMSCP_2004: Final = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004: Final = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ_2004: Final = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV_2004: Final = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS: Final = "http://www.imsglobal.org/xsd/imsss"
LOM: Final = "http://ltsc.ieee.org/xsd/LOM"
#: 2004 spells the attribute in camel case (``adlcp:scormType``).
SCORMTYPE_2004: Final = "scormType"
#: The edition this suite writes.
SCHEMAVERSION_2004: Final = "2004 4th Edition"
#: Every ``schemaversion`` a SCORM 2004 package may declare (2nd, 3rd, 4th edition).
SCHEMAVERSIONS_2004: Final = frozenset({"CAM 1.3", "2004 3rd Edition", "2004 4th Edition"})

SCHEMA: Final = "ADL SCORM"
SCORMTYPES: Final = frozenset({"sco", "asset"})
RESOURCE_TYPE: Final = "webcontent"

#: Conventional prefixes, used to make schema messages readable.
PREFIXES: Final[dict[str, str]] = {
    IMSCP_12: "imscp",
    ADLCP_12: "adlcp",
    IMSCP_2004: "imscp",
    ADLCP_2004: "adlcp",
    ADLSEQ_2004: "adlseq",
    ADLNAV_2004: "adlnav",
    IMSSS: "imsss",
    LOM: "lom",
}

# ------------------------------------------------------------------------------ cmi5

CMI5: Final = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MOVE_ON: Final = frozenset(
    {"Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable"}
)
LAUNCH_METHODS: Final = frozenset({"AnyWindow", "OwnWindow"})

# ------------------------------------------------------------------------ data types

#: xs:ID / xs:NCName (ASCII subset): what every identifier this suite writes matches.
NCNAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
#: An absolute IRI (RFC 3987): a scheme, a colon and no white space.
ABSOLUTE_IRI: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
#: A URL with a scheme (``https:``, ``data:``...): not a file of the package.
HAS_SCHEME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
