"""``imsmanifest.xml`` for SCORM 1.2 and SCORM 2004 4th Edition, built with lxml.

Both manifests have one organisation (the package's title) with one item per unit, each
referring to a ``sco`` resource that lists every file of its unit and depends on one
``asset`` resource holding the shared files. Resources come in the order of the items,
the shared asset last, so that an importer that launches the first resource with an
``href`` (Open edX's SCORM block) launches the first unit. The IMS CP namespace is the
default namespace (that block reads no other).

- SCORM 1.2: minimal metadata (``schema``/``schemaversion``: the 1.2 metadata schema
  cannot be compiled, so nothing more is written there); ``adlcp:masteryscore`` on the
  items of graded units, on the 0..100 scale of ``cmi.core.score.raw``.
- SCORM 2004 4th Edition: inline LOM metadata (title, description, language, typical
  learning time), simple sequencing (flow and choice on the organisation, completion
  rolled up from the units), for graded units a primary objective satisfied by measure
  (``minNormalizedMeasure`` = the mastery score); ungraded units do not take part in
  the rollup of satisfaction and measure.

Output is deterministic: the same plan gives the same bytes.
"""

from __future__ import annotations

from lxml import etree

from .plan import SHARED_RESOURCE, PackagePlan, Sco, xml_id
from .spec import (
    ADLCP_12,
    ADLCP_2004,
    ADLNAV_2004,
    ADLSEQ_2004,
    IMSCP_12,
    IMSCP_2004,
    IMSSS,
    LOM,
    RESOURCE_TYPE,
    SCHEMA,
    SCHEMAVERSION_12,
    SCHEMAVERSION_2004,
    SCORMTYPE_12,
    SCORMTYPE_2004,
)


def manifest_12(plan: PackagePlan) -> bytes:
    """The SCORM 1.2 ``imsmanifest.xml`` of ``plan`` (UTF-8, no BOM)."""
    cp = _Maker(IMSCP_12, {None: IMSCP_12, "adlcp": ADLCP_12})
    root = cp.el("manifest", identifier=_manifest_id(plan), version="1")
    meta = cp.sub(root, "metadata")
    cp.sub(meta, "schema", text=SCHEMA)
    cp.sub(meta, "schemaversion", text=SCHEMAVERSION_12)
    org_id = xml_id("ORG", plan.identifier)
    orgs = cp.sub(root, "organizations", default=org_id)
    org = cp.sub(orgs, "organization", identifier=org_id)
    cp.sub(org, "title", text=plan.title)
    for sco, item in _items(cp, org, plan):
        if sco.graded:
            mastery = etree.SubElement(item, f"{{{ADLCP_12}}}masteryscore")
            mastery.text = _number(sco.mastery_score * 100)
    _resources(cp, root, plan, f"{{{ADLCP_12}}}{SCORMTYPE_12}")
    return serialise(root)


def manifest_2004(plan: PackagePlan) -> bytes:
    """The SCORM 2004 4th Edition ``imsmanifest.xml`` of ``plan`` (UTF-8, no BOM)."""
    nsmap = {
        None: IMSCP_2004,
        "adlcp": ADLCP_2004,
        "adlseq": ADLSEQ_2004,
        "adlnav": ADLNAV_2004,
        "imsss": IMSSS,
    }
    cp = _Maker(IMSCP_2004, nsmap)
    ss = _Maker(IMSSS, nsmap)
    root = cp.el("manifest", identifier=_manifest_id(plan), version="1")
    meta = cp.sub(root, "metadata")
    cp.sub(meta, "schema", text=SCHEMA)
    cp.sub(meta, "schemaversion", text=SCHEMAVERSION_2004)
    meta.append(_lom(plan))
    org_id = xml_id("ORG", plan.identifier)
    orgs = cp.sub(root, "organizations", default=org_id)
    org = cp.sub(orgs, "organization", identifier=org_id)
    org.set(f"{{{ADLSEQ_2004}}}objectivesGlobalToSystem", "false")
    cp.sub(org, "title", text=plan.title)
    for sco, item in _items(cp, org, plan):
        _item_sequencing(ss, item, sco)
    seq = ss.sub(org, "sequencing")
    ss.sub(seq, "controlMode", choice="true", flow="true")
    rules = ss.sub(seq, "rollupRules")
    for child_set, operator, action in (
        ("all", "noOp", "completed"),
        ("any", "not", "incomplete"),
    ):
        rule = ss.sub(rules, "rollupRule", childActivitySet=child_set)
        conditions = ss.sub(rule, "rollupConditions")
        ss.sub(conditions, "rollupCondition", operator=operator, condition="completed")
        ss.sub(rule, "rollupAction", action=action)
    _resources(cp, root, plan, f"{{{ADLCP_2004}}}{SCORMTYPE_2004}")
    return serialise(root)


def _items(cp: _Maker, org: etree._Element, plan: PackagePlan):
    """Add one titled ``<item>`` per SCO of ``plan`` to ``org``: ``(sco, item)`` pairs."""
    for sco in plan.scos:
        item = cp.sub(
            org,
            "item",
            identifier=xml_id("ITEM", sco.identifier),
            identifierref=xml_id("RES", sco.identifier),
            isvisible="true",
        )
        cp.sub(item, "title", text=sco.title)
        yield sco, item


def _item_sequencing(ss: _Maker, item: etree._Element, sco: Sco) -> None:
    seq = ss.sub(item, "sequencing")
    if sco.graded:
        objectives = ss.sub(seq, "objectives")
        primary = ss.sub(
            objectives,
            "primaryObjective",
            objectiveID=f"{sco.identifier}.mastery",
            satisfiedByMeasure="true",
        )
        ss.sub(primary, "minNormalizedMeasure", text=_number(sco.mastery_score))
    else:
        # Completion only: the unit counts for the course's completion, not its success.
        ss.sub(seq, "rollupRules", rollupObjectiveSatisfied="false", objectiveMeasureWeight="0")
    ss.sub(seq, "deliveryControls", completionSetByContent="true", objectiveSetByContent="true")


def _lom(plan: PackagePlan) -> etree._Element:
    lom = _Maker(LOM, {None: LOM})
    root = lom.el("lom")
    general = lom.sub(root, "general")
    ident = lom.sub(general, "identifier")
    lom.sub(ident, "catalog", text="URI")
    lom.sub(ident, "entry", text=plan.iri)
    lom.sub(lom.sub(general, "title"), "string", language=plan.language, text=plan.title)
    lom.sub(general, "language", text=plan.language)
    description = lom.sub(general, "description")
    lom.sub(description, "string", language=plan.language, text=plan.description)
    educational = lom.sub(root, "educational")
    learning_time = lom.sub(educational, "typicalLearningTime")
    lom.sub(learning_time, "duration", text=iso_duration(plan.duration_minutes))
    return root


def _resources(cp: _Maker, root: etree._Element, plan: PackagePlan, scormtype: str) -> None:
    resources = cp.sub(root, "resources")
    shared_id = SHARED_RESOURCE
    for sco in plan.scos:
        res = cp.sub(
            resources,
            "resource",
            identifier=xml_id("RES", sco.identifier),
            type=RESOURCE_TYPE,
            href=sco.href,
        )
        res.set(scormtype, "sco")
        for path in sorted(sco.files):
            cp.sub(res, "file", href=path)
        if plan.shared_files:
            cp.sub(res, "dependency", identifierref=shared_id)
    if plan.shared_files:
        res = cp.sub(resources, "resource", identifier=shared_id, type=RESOURCE_TYPE)
        res.set(scormtype, "asset")
        for path in sorted(plan.shared_files):
            cp.sub(res, "file", href=path)


def _manifest_id(plan: PackagePlan) -> str:
    return xml_id("clusterexcellence", plan.identifier)


def iso_duration(minutes: int) -> str:
    """An ISO 8601 duration of whole minutes.

    >>> iso_duration(40), iso_duration(95), iso_duration(0)
    ('PT40M', 'PT1H35M', 'PT0M')
    """
    hours, mins = divmod(int(minutes), 60)
    return f"PT{hours}H{mins}M" if hours and mins else f"PT{hours}H" if hours else f"PT{mins}M"


def _number(value: float) -> str:
    """A decimal without exponent or trailing zeros (``80``, ``0.65``)."""
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return text or "0"


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def serialise(root: etree._Element) -> bytes:
    """UTF-8 without BOM, indented, after the declaration LMS importers expect (double
    quotes: some importers match it as text)."""
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", pretty_print=True)


class _Maker:
    """Elements in one namespace with a fixed prefix map."""

    def __init__(self, namespace: str, nsmap: dict[str | None, str]) -> None:
        self.ns = namespace
        self.nsmap = nsmap

    def el(self, tag: str, **attrs: str) -> etree._Element:
        return etree.Element(f"{{{self.ns}}}{tag}", attrs, nsmap=self.nsmap)

    def sub(
        self, parent: etree._Element, tag: str, *, text: str | None = None, **attrs: str
    ) -> etree._Element:
        el = etree.SubElement(parent, f"{{{self.ns}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el
