"""The import rules of two real importers, applied to our packages and to the defects the
checker reports on their behalf.

- Open edX's SCORM block (openedx-scorm-xblock, ``ScormXBlock.extract_package`` and
  ``update_package_fields``): the manifest is found by name, the launch page is the
  ``href`` of the first ``resources/resource[@href]`` in the manifest's default
  namespace, and the package is SCORM 1.2 only when ``schemaversion`` matches ``^1.2$``.
- Moodle (``scorm_validate_package`` in ``mod/scorm/locallib.php``): ``imsmanifest.xml``
  must be at the zip root (one inside a folder is ``badimsmanifestlocation``); SCORM 1.2
  keeps ``cmi.core.score.raw`` in 0..100, so ``adlcp:masteryscore`` is on that scale.
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from lxml import etree

from clusterexcellence.scorm.build import Target
from clusterexcellence.scorm.check import check_package

from .layouts import scorm12_simple, scorm2004_simple, write_zip


def openedx_import(path) -> tuple[str | None, str, dict[str, bytes]]:
    """(launch page, SCORM version, extracted files) as Open edX's SCORM block gets them."""
    with zipfile.ZipFile(path) as zf:
        root_path, root_depth = None, -1
        for info in zf.infolist():
            if os.path.basename(info.filename) == "imsmanifest.xml":
                depth = len(os.path.split(info.filename))
                if depth < root_depth or root_depth < 0:
                    root_path, root_depth = os.path.dirname(info.filename), depth
        assert root_path is not None, "Could not find 'imsmanifest.xml' file in the scorm package"
        files = {
            os.path.relpath(i.filename, root_path): zf.read(i)
            for i in zf.infolist()
            if i.filename.startswith(root_path) and not i.filename.endswith("/")
        }
    manifest = files["imsmanifest.xml"]
    tree = ET.parse(io.BytesIO(manifest))
    namespace = ""
    for _, node in ET.iterparse(io.BytesIO(manifest), events=["start-ns"]):
        if node[0] == "":
            namespace = node[1]
            break
    prefix = "{" + namespace + "}" if namespace else ""
    root = tree.getroot()
    resource = root.find(f"{prefix}resources/{prefix}resource[@href]")
    schemaversion = root.find(f"{prefix}metadata/{prefix}schemaversion")
    index_page = resource.get("href") if resource is not None else None
    if schemaversion is not None and re.match("^1.2$", schemaversion.text) is None:
        version = "SCORM_2004"
    else:
        version = "SCORM_12"
    return index_page, version, files


def moodle_validate(path) -> list[str]:
    """The error strings of Moodle's package validation (empty: accepted)."""
    with zipfile.ZipFile(path) as zf:
        bad_location = False
        for name in zf.namelist():
            if name == "imsmanifest.xml":
                return []
            if "imsmanifest.xml" in name:
                bad_location = True
            if name.endswith(".cst"):
                return []
    return ["badimsmanifestlocation" if bad_location else "nomanifest"]


SCORM = [("scorm12", "SCORM_12"), ("scorm2004", "SCORM_2004")]


@pytest.mark.parametrize("fmt, version", SCORM)
def test_open_edx_launches_our_first_unit_and_reads_our_version(built, fmt, version):
    for (f, name), path in built.items():
        if f != fmt:
            continue
        index_page, got, files = openedx_import(path)
        assert got == version, name
        assert index_page == check_package(path).launch and index_page in files, name


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_moodle_accepts_our_packages(built, fmt):
    for (f, name), path in built.items():
        if f == fmt:
            assert moodle_validate(path) == [], name


def test_our_12_mastery_scores_are_on_moodles_0_to_100_scale(built, builders):
    path = built[("scorm12", "case-studies.en")]
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("imsmanifest.xml"))
    scores = [
        float(el.text) for el in root.iter("{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore")
    ]
    plan, _ = builders["scorm12"].plan(Target("case-studies", None, "en"))
    expected = [round(s.mastery_score * 100, 4) for s in plan.scos if s.graded]
    assert scores == expected and scores and all(0 <= s <= 100 for s in scores)


# ---------------------------------------------- what these importers get wrong, caught


def test_a_schemaversion_with_spaces_is_2004_for_open_edx_and_an_error_here(tmp_path):
    manifest = scorm12_simple().replace(">1.2<", "> 1.2 <")
    path = write_zip(tmp_path / "p.zip", {"imsmanifest.xml": manifest, "index.html": ""})
    assert openedx_import(path)[1] == "SCORM_2004"
    (p,) = check_package(path).errors
    assert p.code == "manifest.schemaversion-space" and "Open edX's SCORM block" in p.message


def test_a_prefixed_content_package_namespace_hides_the_launch_page_from_open_edx(tmp_path):
    manifest = re.sub(r"<(/?)(?!\?|adlcp:)", r"<\1imscp:", scorm2004_simple())
    manifest = manifest.replace('xmlns="http://www', 'xmlns:imscp="http://www', 1)
    path = write_zip(tmp_path / "p.zip", {"imsmanifest.xml": manifest, "index.html": ""})
    assert openedx_import(path)[0] is None
    report = check_package(path)
    assert [p.code for p in report.errors] == ["importer.openedx-prefix"]
    assert report.launch == "index.html"  # every other LMS finds it


def test_open_edx_launching_another_resource_than_other_lmss_is_a_warning(tmp_path):
    manifest = scorm2004_simple(files=("index.html",)).replace(
        "<resources>",
        '<resources><resource identifier="HELP" type="webcontent" adlcp:scormType="asset" '
        'href="help.html"><file href="help.html"/></resource>',
    )
    files = {"imsmanifest.xml": manifest, "index.html": "", "help.html": ""}
    path = write_zip(tmp_path / "p.zip", files)
    assert openedx_import(path)[0] == "help.html"
    report = check_package(path)
    (p,) = report.problems
    assert p.code == "importer.openedx-launch" and p.severity == "warning"
    assert "('help.html')" in p.message and "('index.html')" in p.message


def test_a_manifest_in_a_folder_is_refused_by_moodle_and_reported_here(tmp_path):
    path = write_zip(
        tmp_path / "p.zip", {"pkg/imsmanifest.xml": scorm12_simple(), "pkg/index.html": ""}
    )
    assert moodle_validate(path) == ["badimsmanifestlocation"]
    assert [p.code for p in check_package(path).errors] == ["manifest.not-at-root"]


def test_a_scaled_mastery_score_in_a_12_manifest_is_a_warning(tmp_path):
    manifest = scorm12_simple().replace(">80<", ">0.8<")
    path = write_zip(tmp_path / "p.zip", {"imsmanifest.xml": manifest, "index.html": ""})
    (p,) = check_package(path).problems
    assert p.code == "manifest.masteryscore-scaled" and "write 80 for 80%" in p.message
