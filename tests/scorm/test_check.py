"""The package checker: one broken package per problem class, made here, and the layouts
other tools produce, which it must accept."""

from __future__ import annotations

import warnings
import zipfile

import pytest

from clusterexcellence.scorm.archive import Limits
from clusterexcellence.scorm.check import check_files, check_package

from .layouts import (
    adapt_like_12,
    articulate_like_12,
    cmi5_simple,
    ispring_like_2004,
    multi_sco_2004,
    scorm12_simple,
    scorm2004_simple,
    write_zip,
)


def check(tmp_path, entries, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile: "Duplicate name"
        path = write_zip(
            tmp_path / "pkg.zip", entries, **{k: kw.pop(k) for k in ("symlinks",) if k in kw}
        )
    return check_package(path, **kw)


def only(report, code):
    """The problems of ``code``; every other problem would be a false alarm."""
    assert {p.code for p in report.problems} == {code}, [p.format("pkg") for p in report.problems]
    return [p for p in report.problems if p.code == code]


def ok12(**extra):
    return {"imsmanifest.xml": scorm12_simple(), "index.html": "<html></html>", **extra}


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# ----------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    "layout", [articulate_like_12, ispring_like_2004, multi_sco_2004, adapt_like_12]
)
def test_packages_in_the_layouts_of_other_tools_are_accepted(tmp_path, layout):
    report = check(tmp_path, layout())
    assert report.ok, [p.format("pkg") for p in report.errors]
    warned = {p.code for p in report.problems}
    # Adapt lists only its launch page: the other files are warnings, not errors.
    assert warned == ({"manifest.unlisted-file"} if layout is adapt_like_12 else set())


def test_the_launch_page_follows_xml_base_and_the_default_organization(tmp_path):
    report = check(tmp_path, multi_sco_2004())
    assert report.kind == "scorm2004" and report.schemaversion == "2004 4th Edition"
    assert report.launch == "content/lesson1/index.html"
    assert report.units == 2  # the default organisation's leaf items


def test_the_version_is_read_from_schemaversion(tmp_path):
    assert check(tmp_path, articulate_like_12()).kind == "scorm12"
    assert check(tmp_path, ispring_like_2004()).kind == "scorm2004"
    for edition in ("CAM 1.3", "2004 3rd Edition", "2004 4th Edition"):
        entries = {"imsmanifest.xml": scorm2004_simple(schemaversion=edition), "index.html": ""}
        report = check(tmp_path, entries)
        assert report.ok and report.kind == "scorm2004", edition


def test_a_cmi5_package_is_checked_by_its_course_structure(tmp_path):
    report = check(tmp_path, {"cmi5.xml": cmi5_simple(), "index.html": ""})
    assert report.ok and not report.problems
    assert (report.kind, report.units, report.launch) == ("cmi5", 1, "index.html")


def test_our_built_packages_pass_without_a_warning(built):
    for (fmt, name), path in built.items():
        report = check_package(path)
        assert report.problems == [], (fmt, name, [p.format(name) for p in report.problems])
        assert report.kind == fmt
        assert report.launch and report.launch.endswith("/index.html")


# ------------------------------------------------------------------- the manifest


def test_a_manifest_inside_a_top_folder_is_reported(tmp_path):
    report = check(tmp_path, {"course/imsmanifest.xml": scorm12_simple(), "course/index.html": ""})
    (p,) = only(report, "manifest.not-at-root")
    assert p.entry == "course/imsmanifest.xml"
    assert "inside the folder course/, not at the zip root" in p.message
    assert "zip the contents of course/" in p.message


def test_a_manifest_name_in_capitals_is_reported(tmp_path):
    (p,) = only(check(tmp_path, {"IMSManifest.xml": scorm12_simple()}), "manifest.name-case")
    assert "imsmanifest.xml in lower case" in p.message


def test_a_zip_without_manifest_is_not_a_package(tmp_path):
    (p,) = only(check(tmp_path, {"index.html": ""}), "manifest.missing")
    assert "no imsmanifest.xml (SCORM) or cmi5.xml (cmi5) at the zip root" in p.message


# ---------------------------------------------------------------------- zip safety


@pytest.mark.parametrize(
    "name, code, text",
    [
        ("../evil.sh", "zip.path-traversal", "'..' in the path"),
        ("content/../../evil.sh", "zip.path-traversal", "writes outside the package"),
        ("/etc/cron.d/evil", "zip.absolute-path", "an absolute path"),
        ("C:/Windows/evil.dll", "zip.absolute-path", "an absolute path"),
        ("content\\evil.js", "zip.backslash", "a backslash in the name"),
        ("bell\x07.txt", "zip.control-character", "a control character"),
    ],
)
def test_unsafe_entry_names_are_reported(tmp_path, name, code, text):
    report = check(tmp_path, ok12(**{name: "x"}))
    problems = [p for p in report.errors if p.code == code]
    assert problems and problems[0].entry == name and text in problems[0].message
    assert {p.code for p in report.errors} == {code}


def test_a_symbolic_link_is_reported(tmp_path):
    report = check(tmp_path, ok12(**{"shared/link": "/etc/passwd"}), symlinks=("shared/link",))
    (p,) = [p for p in report.errors]
    assert p.code == "zip.symlink" and p.entry == "shared/link"
    assert "symbolic link" in p.message


def test_duplicate_names_are_reported(tmp_path):
    entries = [*ok12().items(), ("index.html", "<html>other</html>")]
    (p,) = only(check(tmp_path, entries), "zip.duplicate")
    assert p.entry == "index.html" and "more than once" in p.message


def test_names_that_differ_in_case_only_are_reported(tmp_path):
    report = check(tmp_path, ok12(**{"Index.html": "x"}))
    (p,) = report.errors
    assert p.code == "zip.case-duplicate" and "only in case" in p.message


def test_an_encrypted_entry_and_an_unusual_compression_are_reported(tmp_path):
    path = write_zip(tmp_path / "pkg.zip", ok12(**{"secret.bin": b"\x00" * 12}))
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(zipfile.ZipInfo("data.bz2"), b"x" * 100, compress_type=zipfile.ZIP_BZIP2)
    # zipfile writes no encrypted entry: set the flag in the central directory by hand
    data = bytearray(path.read_bytes())
    header = data.index(b"PK\x01\x02" + data[data.index(b"PK\x01\x02") + 4 :][:0], 0)
    while True:
        name_len = int.from_bytes(data[header + 28 : header + 30], "little")
        if data[header + 46 : header + 46 + name_len] == b"secret.bin":
            data[header + 8] |= 0x1  # general purpose flag bit 0: encrypted
            break
        header = data.index(b"PK\x01\x02", header + 4)
    path.write_bytes(bytes(data))
    report = check_package(path)
    codes = {(p.entry, p.code) for p in report.errors}
    assert ("secret.bin", "zip.encrypted") in codes
    assert ("data.bz2", "zip.compression") in codes


def test_a_zip_bomb_is_refused_before_any_entry_is_read(tmp_path):
    # 4 MiB of zeros deflate to a few KiB: a ratio of about 1,000:1. The manifest has a
    # BOM, which would be reported if the manifest were read.
    entries = ok12(**{"media/zeros.bin": b"\0" * (4 * 1024**2)})
    entries["imsmanifest.xml"] = "\ufeff" + entries["imsmanifest.xml"]
    report = check(tmp_path, entries)
    (p,) = report.problems
    assert p.code == "zip.compression-ratio" and p.entry == "media/zeros.bin"
    assert "refused unread" in p.message and "above the limit of 100:1" in p.message


@pytest.mark.parametrize(
    "limits, code, text",
    [
        (Limits(max_total_bytes=500), "zip.too-large", "bytes uncompressed, more than the limit"),
        (Limits(max_entries=2), "zip.too-many-entries", "3 entries, more than the limit of 2"),
        (Limits(max_entry_bytes=200), "zip.entry-too-large", "more than the limit of 200"),
    ],
)
def test_size_limits_refuse_the_package_unread(tmp_path, limits, code, text):
    entries = ok12(**{"big.txt": "y" * 1000})
    entries["imsmanifest.xml"] = "\ufeff" + entries["imsmanifest.xml"]
    report = check(tmp_path, entries, limits=limits)
    assert {p.code for p in report.problems} == {code}
    assert any(text in p.message for p in report.problems)


def test_a_file_that_is_not_a_zip_is_reported(tmp_path):
    path = tmp_path / "pkg.zip"
    path.write_text("this is not a zip")
    (p,) = check_package(path).problems
    assert p.code == "package.not-a-zip"
    (p,) = check_package(tmp_path / "missing.zip").problems
    assert p.code == "package.unreadable" and "No such file" in p.message


# ---------------------------------------------------------------------- XML safety


def test_a_doctype_is_refused_at_its_line(tmp_path):
    manifest = scorm12_simple().replace(
        "<manifest", '<!DOCTYPE manifest [<!ENTITY lol "lol">]>\n<manifest', 1
    )
    (p,) = only(check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}), "xml.doctype")
    assert p.line == 2 and "DTDs and entities are not allowed" in p.message


def test_an_external_entity_is_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    manifest = (
        scorm12_simple()
        .replace("<manifest", f'<!DOCTYPE m [<!ENTITY x SYSTEM "file://{secret}">]>\n<manifest', 1)
        .replace("<title>Course</title>", "<title>&x;</title>")
    )
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    assert [p.code for p in report.problems] == ["xml.doctype"]
    assert "SECRET" not in str(report.to_json())


def test_a_byte_order_mark_is_reported_and_the_rest_still_checked(tmp_path):
    entries = ok12()
    entries["imsmanifest.xml"] = b"\xef\xbb\xbf" + entries["imsmanifest.xml"].encode()
    (p,) = only(check(tmp_path, entries), "xml.bom")
    assert p.line == 1 and "byte order mark" in p.message and "without BOM" in p.message
    entries["imsmanifest.xml"] = entries["imsmanifest.xml"].replace(b"RES1", b"RES9", 1)
    codes = {p.code for p in check(tmp_path, entries).problems}
    assert codes == {"xml.bom", "manifest.identifierref"}


def test_an_unescaped_ampersand_is_reported_at_its_line(tmp_path):
    manifest = scorm12_simple().replace("<title>Lesson</title>", "<title>Q&A</title>")
    (p,) = only(
        check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}),
        "xml.unescaped-ampersand",
    )
    assert p.line == line_of(manifest, "Q&A")
    assert "write it as &amp;" in p.message


def test_every_syntax_error_is_reported_not_only_the_first(tmp_path):
    manifest = (
        scorm12_simple()
        .replace("<title>Lesson</title>", "<title>Q&A</title>")
        .replace("<title>Course</title>", "<title>R&D</title>")
    )
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    assert [p.line for p in report.problems] == sorted(
        [line_of(manifest, "Q&A"), line_of(manifest, "R&D")]
    )


def test_an_undefined_entity_is_explained(tmp_path):
    manifest = scorm12_simple().replace("<title>Lesson</title>", "<title>caf&eacute;</title>")
    (p,) = only(
        check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}), "xml.undefined-entity"
    )
    assert "&eacute; is not defined" in p.message and "&#233;" in p.message


# ------------------------------------------------------------- version, namespaces


def test_a_2004_schemaversion_with_12_namespaces_is_reported(tmp_path):
    manifest = scorm12_simple().replace(
        "<schemaversion>1.2</schemaversion>", "<schemaversion>2004 4th Edition</schemaversion>"
    )
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    (p,) = only(report, "manifest.namespace-mismatch")
    assert "schemaversion '2004 4th Edition' (SCORM 2004) with SCORM 1.2 namespaces" in p.message
    assert (
        "imscp_rootv1p1p2" in p.message and "http://www.imsglobal.org/xsd/imscp_v1p1" in p.message
    )


def test_a_12_schemaversion_with_2004_namespaces_is_reported(tmp_path):
    manifest = scorm2004_simple(schemaversion="1.2")
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    (p,) = only(report, "manifest.namespace-mismatch")
    assert "schemaversion '1.2' (SCORM 1.2) with SCORM 2004 namespaces" in p.message
    assert report.kind == "scorm12"


@pytest.mark.parametrize(
    "value, code, severity",
    [
        ("1.3", "manifest.unknown-schemaversion", "error"),
        ("2004", "manifest.unknown-schemaversion", "error"),
        (" 1.2 ", "manifest.schemaversion-space", "error"),
        ("2004 4th Edition ", "manifest.schemaversion-space", "warning"),
    ],
)
def test_schemaversion_values_that_importers_misread_are_reported(tmp_path, value, code, severity):
    manifest = scorm2004_simple(schemaversion=value)
    if value.strip() == "1.2":
        manifest = scorm12_simple().replace(">1.2<", f">{value}<")
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    problems = [p for p in report.problems if p.code == code]
    assert problems and problems[0].severity == severity
    assert problems[0].line == line_of(manifest, "<schemaversion>")


def test_a_missing_schemaversion_is_reported(tmp_path):
    manifest = scorm12_simple().replace("<schemaversion>1.2</schemaversion>", "")
    (p,) = only(
        check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}),
        "manifest.no-schemaversion",
    )
    assert "LMSs guess the SCORM version" in p.message


def test_a_root_that_is_not_a_content_package_is_reported(tmp_path):
    report = check(tmp_path, {"imsmanifest.xml": "<manifest xmlns='urn:other'/>"})
    (p,) = only(report, "manifest.not-a-manifest")
    assert "namespace urn:other" in p.message


# ------------------------------------------------------------------ schema checks


def test_schema_violations_are_reported_with_their_lines(tmp_path):
    manifest = scorm2004_simple().replace(' type="webcontent"', "")
    manifest = manifest.replace("<title>Lesson</title>", "<title>Lesson</title><bogus/>")
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    problems = only(report, "manifest.schema")
    by_line = {p.line: p.message for p in problems}
    assert "attribute 'type' is required but missing" in by_line[line_of(manifest, "<resource ")]
    assert "imscp:bogus" in by_line[line_of(manifest, "<bogus/>")]


def test_sequencing_values_are_schema_checked(tmp_path):
    manifest = scorm2004_simple().replace(
        "<title>Lesson</title>",
        "<title>Lesson</title><imsss:sequencing><imsss:controlMode flow='maybe'/>"
        "</imsss:sequencing>",
    )
    (p,) = only(check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}), "manifest.schema")
    assert "imsss:controlMode" in p.message and "'maybe'" in p.message


# ----------------------------------------------------------------------- semantics


def test_a_default_organization_that_does_not_exist_is_reported(tmp_path):
    manifest = scorm2004_simple().replace('default="ORG"', 'default="ITEM1"')
    (p,) = only(
        check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}),
        "manifest.default-organization",
    )
    assert "default='ITEM1' names no <organization> (organizations: ORG)" in p.message


def test_identifierrefs_that_resolve_to_nothing_are_reported(tmp_path):
    manifest = scorm2004_simple().replace('identifierref="RES1"', 'identifierref="RES2"')
    manifest = manifest.replace("</resource>", '<dependency identifierref="LIB"/></resource>')
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    problems = only(report, "manifest.identifierref")
    messages = sorted(p.message for p in problems)
    assert messages == [
        "dependency identifierref='LIB' names no <resource> (resources: RES1)",
        "item 'ITEM1': identifierref='RES2' names no <resource> (resources: RES1)",
    ]


def test_a_referenced_file_missing_from_the_zip_is_reported_at_its_line(tmp_path):
    manifest = scorm12_simple(files=("index.html", "js/app.js", "CSS/Main.css"))
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": "", "css/main.css": ""})
    problems = [p for p in report.errors if p.code == "manifest.missing-file"]
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (line_of(manifest, 'href="js/app.js"'), "'js/app.js'"),
        (line_of(manifest, 'href="CSS/Main.css"'), "'CSS/Main.css'"),
    ]
    assert "the zip has 'css/main.css' (the case differs" in problems[1].message


def test_a_missing_launch_page_is_reported(tmp_path):
    report = check(tmp_path, {"imsmanifest.xml": scorm12_simple()})
    assert [p.message for p in report.errors] == [
        "'index.html' (launch page of resource 'RES1') is not in the zip",
        "'index.html' (file of resource 'RES1') is not in the zip",
    ]


def test_a_file_listed_in_no_resource_is_a_warning(tmp_path):
    report = check(tmp_path, ok12(**{"extra/notes.txt": "x"}))
    (p,) = only(report, "manifest.unlisted-file")
    assert p.entry == "extra/notes.txt" and p.severity == "warning" and report.ok


@pytest.mark.parametrize(
    "manifest, code, text",
    [
        (
            scorm12_simple(extra_resource_attrs=""),
            "manifest.no-scormtype",
            "resource 'RES1' has no adlcp:scormtype (sco or asset)",
        ),
        (
            scorm12_simple(extra_resource_attrs='adlcp:scormType="sco"'),
            "manifest.scormtype-spelling",
            "has adlcp:scormType: SCORM 1.2 spells it adlcp:scormtype",
        ),
        (
            scorm2004_simple().replace("adlcp:scormType", "adlcp:scormtype"),
            "manifest.scormtype-spelling",
            "has adlcp:scormtype: SCORM 2004 spells it adlcp:scormType",
        ),
        (
            scorm12_simple(extra_resource_attrs='scormtype="sco"'),
            "manifest.scormtype-namespace",
            "has scormtype without the adlcp namespace",
        ),
    ],
)
def test_scormtype_must_be_there_and_spelled_for_the_version(tmp_path, manifest, code, text):
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    problems = [p for p in report.errors if p.code == code]
    assert problems and text in problems[0].message
    assert problems[0].line == line_of(manifest, "<resource ")


@pytest.mark.parametrize("value", ["150", "-5", "eighty"])
def test_a_masteryscore_outside_0_to_100_is_reported(tmp_path, value):
    manifest = scorm12_simple().replace(">80<", f">{value}<")
    (p,) = only(
        check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}), "manifest.masteryscore"
    )
    assert f"adlcp:masteryscore '{value}' is not a number from 0 to 100" in p.message


def test_items_that_launch_nothing_are_reported(tmp_path):
    manifest = scorm2004_simple().replace(
        "</organization>", '<item identifier="EMPTY"><title>Nothing</title></item></organization>'
    )
    manifest = manifest.replace(' href="index.html">', ">")
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    assert {p.code for p in report.errors} == {
        "manifest.empty-item",
        "manifest.resource-without-href",
    }


@pytest.mark.parametrize(
    "href, code",
    [("../outside.html", "manifest.href-outside"), ("/index.html", "manifest.absolute-href")],
)
def test_hrefs_outside_the_package_are_reported(tmp_path, href, code):
    manifest = scorm12_simple(files=(href,))
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""})
    assert code in {p.code for p in report.errors}


def test_a_package_without_organization_is_reported(tmp_path):
    manifest = scorm2004_simple()
    start, end = manifest.index("<organizations"), manifest.index("</organizations>")
    manifest = manifest[:start] + "<organizations/>" + manifest[end + len("</organizations>") :]
    (p,) = only(
        check(tmp_path, {"imsmanifest.xml": manifest, "index.html": ""}), "manifest.no-organization"
    )
    assert "nothing to launch" in p.message


def test_a_metadata_file_is_checked_too(tmp_path):
    entries = multi_sco_2004()
    del entries["metadata/course.xml"]
    (p,) = only(check(tmp_path, entries), "manifest.missing-file")
    assert "'metadata/course.xml' (metadata of adlcp:location) is not in the zip" in p.message
    entries = multi_sco_2004()
    entries["metadata/course.xml"] = entries["metadata/course.xml"].replace(
        "<language>en</language>", "<language>en</language><colour>red</colour>"
    )
    (p,) = only(check(tmp_path, entries), "metadata.schema")
    assert p.entry == "metadata/course.xml" and p.line == 5 and "lom:colour" in p.message


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    manifest = (
        scorm2004_simple(files=("index.html", "gone.js"))
        .replace('default="ORG"', 'default="NOPE"')
        .replace("adlcp:scormType", "adlcp:scormtype")
    )
    report = check(tmp_path, {"imsmanifest.xml": manifest, "index.html": "", "../x": ""})
    assert {p.code for p in report.problems} >= {
        "zip.path-traversal",
        "manifest.default-organization",
        "manifest.scormtype-spelling",
        "manifest.missing-file",
    }


# -------------------------------------------------------------------------- cmi5


@pytest.mark.parametrize(
    "xml, code, text",
    [
        (
            cmi5_simple().replace("CourseStructure.xsd", "other.xsd"),
            "cmi5.root",
            'a cmi5 course structure is <courseStructure xmlns="https://w3id.org/',
        ),
        (
            cmi5_simple().replace('id="https://example.org/courses/c1/au1"', 'id="au1"'),
            "cmi5.id",
            "<au> id 'au1' is not an absolute IRI",
        ),
        (
            cmi5_simple().replace("/c1/au1", "/c1"),
            "cmi5.duplicate-id",
            "is also used at line 3",
        ),
        (cmi5_simple('moveOn="Finished"'), "cmi5.moveOn", "moveOn 'Finished' is not one of"),
        (
            cmi5_simple('moveOn="Passed" masteryScore="80"'),
            "cmi5.masteryScore",
            "masteryScore '80' is not a decimal in [0, 1]",
        ),
        (
            cmi5_simple('launchMethod="Popup"'),
            "cmi5.launchMethod",
            "launchMethod 'Popup' is not one of AnyWindow, OwnWindow",
        ),
        (cmi5_simple(url="lesson/start.html"), "cmi5.url", "'lesson/start.html' is not in the zip"),
        (cmi5_simple(url="../index.html"), "cmi5.url", "points outside the package"),
        (
            cmi5_simple().replace("<url>index.html</url>", ""),
            "cmi5.structure",
            "<au>: <url> missing",
        ),
        (
            cmi5_simple()
            .replace('<description><langstring lang="en">The lesson</langstring></description>', "")
            .replace(
                "</url>", '</url><description><langstring lang="en">x</langstring></description>'
            ),
            "cmi5.structure",
            "<au>: <description> in the wrong place",
        ),
        (
            cmi5_simple().replace('<langstring lang="en">Lesson</langstring>', "<langstring/>"),
            "cmi5.langstring",
            "<langstring> in <title> has no lang attribute",
        ),
    ],
)
def test_cmi5_structure_defects_are_reported(tmp_path, xml, code, text):
    report = check(tmp_path, {"cmi5.xml": xml, "index.html": ""})
    problems = [p for p in report.errors if p.code == code]
    assert problems, [p.format("pkg") for p in report.problems]
    assert any(text in p.message for p in problems), [p.message for p in problems]


def test_a_cmi5_url_may_carry_parameters_and_escapes(tmp_path):
    xml = cmi5_simple(url="lesson%201/start.html?mode=full#top")
    assert check(tmp_path, {"cmi5.xml": xml, "lesson 1/start.html": ""}).problems == []


def test_a_cmi5_course_without_au_is_reported(tmp_path):
    xml = cmi5_simple()
    xml = xml[: xml.index("<au ")] + "</courseStructure>\n"
    report = check(tmp_path, {"cmi5.xml": xml})
    assert {p.code for p in report.errors} == {"cmi5.structure", "cmi5.no-au"}


def test_check_files_checks_a_package_given_as_files():
    files = {"imsmanifest.xml": scorm12_simple().encode(), "index.html": b""}
    assert check_files(files).ok
    del files["index.html"]
    assert {p.code for p in check_files(files).errors} == {"manifest.missing-file"}
