"""Manifests: SCORM 1.2 and 2004 4th Edition from package plans, and cmi5.xml; every
bundled course and module validates against the official schemas."""

from __future__ import annotations

import pytest
from lxml import etree

from clusterexcellence.scorm.build import select_targets
from clusterexcellence.scorm.cmi5 import cmi5_xml
from clusterexcellence.scorm.exceptions import PlanError
from clusterexcellence.scorm.manifest import manifest_12, manifest_2004
from clusterexcellence.scorm.plan import PackagePlan, Sco
from clusterexcellence.scorm.schemas import validate
from clusterexcellence.scorm.spec import NCNAME

CP12 = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
AD12 = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
AD = "{http://www.adlnet.org/xsd/adlcp_v1p3}"
SS = "{http://www.imsglobal.org/xsd/imsss}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"
C5 = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"


def sco(ident, mastery, files=()):
    href = f"{ident}/index.html"
    return Sco(ident, ident.title(), f"About {ident}", href, (href, *files), mastery, 30)


@pytest.fixture
def plan():
    return PackagePlan(
        identifier="course.en",
        iri="https://example.org/packages/course.en",
        title="Course & co",
        description="Two units",
        language="en",
        scos=(sco("graded", 0.65, ("graded/media/a.svg",)), sco("open", None)),
        shared_files=("player/js/app.js", "player/css/player.css"),
    )


def test_the_12_manifest_has_the_12_vocabulary(plan, schemas):
    xml = manifest_12(plan)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')
    root = etree.fromstring(xml)
    assert root.tag == f"{CP12}manifest" and root.prefix is None
    assert root.findtext(f"{CP12}metadata/{CP12}schema") == "ADL SCORM"
    assert root.findtext(f"{CP12}metadata/{CP12}schemaversion") == "1.2"
    items = root.findall(f".//{CP12}item")
    assert [i.findtext(f"{AD12}masteryscore") for i in items] == ["65", None]
    resources = root.findall(f".//{CP12}resource")
    assert [r.get(f"{AD12}scormtype") for r in resources] == ["sco", "sco", "asset"]
    assert [r.get("href") for r in resources] == ["graded/index.html", "open/index.html", None]
    listed = {f.get("href") for f in root.iter(f"{CP12}file")}
    assert listed == set(plan.files)
    assert validate(etree.fromstring(xml), "1.2", schemas=schemas) == []


def test_the_2004_manifest_has_metadata_sequencing_and_objectives(plan, schemas):
    root = etree.fromstring(manifest_2004(plan))
    assert root.tag == f"{CP}manifest" and root.prefix is None
    assert root.findtext(f"{CP}metadata/{CP}schemaversion") == "2004 4th Edition"
    lom = root.find(f"{CP}metadata/{LOM}lom")
    assert lom.findtext(f"{LOM}general/{LOM}title/{LOM}string") == "Course & co"
    assert lom.findtext(f"{LOM}general/{LOM}description/{LOM}string") == "Two units"
    assert lom.findtext(f"{LOM}general/{LOM}language") == "en"
    assert lom.findtext(f"{LOM}educational/{LOM}typicalLearningTime/{LOM}duration") == "PT1H"
    org = root.find(f"{CP}organizations/{CP}organization")
    control = org.find(f"{SS}sequencing/{SS}controlMode")
    assert (control.get("flow"), control.get("choice")) == ("true", "true")
    rules = org.findall(f"{SS}sequencing/{SS}rollupRules/{SS}rollupRule")
    assert [r.find(f"{SS}rollupAction").get("action") for r in rules] == ["completed", "incomplete"]
    graded, ungraded = org.findall(f"{CP}item")
    primary = graded.find(f"{SS}sequencing/{SS}objectives/{SS}primaryObjective")
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext(f"{SS}minNormalizedMeasure") == "0.65"
    assert ungraded.find(f"{SS}sequencing/{SS}objectives") is None
    assert ungraded.find(f"{SS}sequencing/{SS}rollupRules").get("rollupObjectiveSatisfied") == (
        "false"
    )
    resources = root.findall(f".//{CP}resource")
    assert [r.get(f"{AD}scormType") for r in resources] == ["sco", "sco", "asset"]
    assert all(r.get(f"{AD}scormtype") is None for r in resources)
    assert validate(root, "2004", schemas=schemas, lom="strict") == []


def test_identifiers_are_valid_xml_ids_and_unique(plan):
    for xml in (manifest_12(plan), manifest_2004(plan)):
        root = etree.fromstring(xml)
        ids = [el.get("identifier") for el in root.iter() if el.get("identifier")]
        assert all(NCNAME.match(i) for i in ids) and len(ids) == len(set(ids))


def test_a_manifest_is_the_same_bytes_for_the_same_plan(plan):
    assert manifest_12(plan) == manifest_12(plan)
    assert manifest_2004(plan) == manifest_2004(plan)
    assert cmi5_xml(plan) == cmi5_xml(plan)


def test_cmi5_xml_has_one_au_per_unit(plan):
    xml = cmi5_xml(plan)
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<courseStructure ')
    root = etree.fromstring(xml)
    assert root.tag == f"{C5}courseStructure"
    course = root.find(f"{C5}course")
    assert course.get("id") == "https://example.org/packages/course.en"
    assert course.find(f"{C5}title/{C5}langstring").get("lang") == "en"
    aus = root.findall(f"{C5}au")
    assert [a.get("id") for a in aus] == [
        "https://example.org/packages/course.en/graded",
        "https://example.org/packages/course.en/open",
    ]
    assert [a.get("moveOn") for a in aus] == ["CompletedAndPassed", "Completed"]
    assert [a.get("masteryScore") for a in aus] == ["0.65", None]
    assert {a.get("launchMethod") for a in aus} == {"AnyWindow"}
    assert [a.findtext(f"{C5}url") for a in aus] == ["graded/index.html", "open/index.html"]


@pytest.mark.parametrize(
    "change, text",
    [
        ({"identifier": "1st course"}, "not a valid XML identifier"),
        ({"iri": "packages/course"}, "is not an absolute IRI"),
        ({"scos": ()}, "no unit to launch"),
        ({"scos": (sco("a", 1.5),)}, "mastery score 1.5 is outside [0, 1]"),
        ({"scos": (sco("a", None), sco("a", None))}, "unit 'a' appears twice"),
        ({"scos": (sco("a b", None),)}, "'ITEM-a b' is not a valid XML identifier"),
        ({"shared_files": ("../etc/passwd",)}, "is not a plain relative file path"),
    ],
)
def test_a_plan_no_manifest_can_describe_is_refused(plan, change, text):
    fields = {f: getattr(plan, f) for f in plan.__dataclass_fields__} | change
    with pytest.raises(PlanError, match=text.replace("[", r"\[").replace("]", r"\]")):
        PackagePlan(**fields)


def test_every_bundled_manifest_validates_against_the_official_schemas(content, builders, schemas):
    targets = select_targets(content)
    assert len(targets) == 24  # 3 courses + 9 modules, in English and French
    for target in targets:
        plan, _ = builders["scorm12"].plan(target)
        assert validate(etree.fromstring(manifest_12(plan)), "1.2", schemas=schemas) == [], target
        root = etree.fromstring(manifest_2004(plan))
        assert validate(root, "2004", schemas=schemas, lom="strict") == [], target


def test_the_schemas_catch_a_broken_manifest(plan, schemas):
    """The validation above is not vacuous: a manifest the schemas forbid fails."""
    root = etree.fromstring(manifest_2004(plan))
    root.find(f".//{SS}minNormalizedMeasure").text = "1.5"
    del root.find(f".//{CP}resource").attrib["type"]
    messages = [p.message for p in validate(root, "2004", schemas=schemas)]
    assert len(messages) == 2 and "imsss:minNormalizedMeasure" in messages[0]
    root = etree.fromstring(manifest_12(plan))
    root.find(f".//{CP12}organization").set("structure", "x" * 201)
    assert validate(root, "1.2", schemas=schemas)
