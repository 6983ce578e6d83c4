"""Packages made by the tests: zips written entry by entry, and manifests in the layouts
other authoring tools produce (Articulate Storyline, iSpring, Adapt, multi-SCO courses
with metadata files and ``xml:base``)."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from clusterexcellence.scorm.schemas import schema_set

IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
NS_12 = (
    f'xmlns="{IMSCP_12}" xmlns:adlcp="{ADLCP_12}" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)


def write_zip(path: Path, entries, *, symlinks=(), compress=zipfile.ZIP_DEFLATED) -> Path:
    """A zip of ``entries`` (name → bytes or str, or (name, bytes) pairs, duplicates kept)."""
    items = entries.items() if isinstance(entries, dict) else entries
    with zipfile.ZipFile(path, "w", compression=compress) as zf:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(2024, 5, 1, 12, 0, 0))
            info.compress_type = compress
            info.create_system = 3
            mode = stat.S_IFLNK | 0o777 if name in symlinks else stat.S_IFREG | 0o644
            info.external_attr = mode << 16
            zf.writestr(info, data.encode() if isinstance(data, str) else data)
    return path


def scorm12_simple(files=("index.html",), *, extra_resource_attrs='adlcp:scormtype="sco"'):
    """A minimal valid SCORM 1.2 manifest launching ``index.html``."""
    listed = "\n      ".join(f'<file href="{f}"/>' for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MAN" version="1" {NS_12}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>Course</title>
      <item identifier="ITEM1" identifierref="RES1" isvisible="true">
        <title>Lesson</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES1" type="webcontent" {extra_resource_attrs} href="index.html">
      {listed}
    </resource>
  </resources>
</manifest>
"""


def scorm2004_simple(files=("index.html",), *, schemaversion="2004 4th Edition"):
    """A minimal valid SCORM 2004 manifest launching ``index.html``."""
    listed = "\n      ".join(f'<file href="{f}"/>' for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MAN" version="1" {NS_2004}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>{schemaversion}</schemaversion>
  </metadata>
  <organizations default="ORG">
    <organization identifier="ORG">
      <title>Course</title>
      <item identifier="ITEM1" identifierref="RES1">
        <title>Lesson</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES1" type="webcontent" adlcp:scormType="sco" href="index.html">
      {listed}
    </resource>
  </resources>
</manifest>
"""


def articulate_like_12() -> dict[str, bytes | str]:
    """Storyline-style SCORM 1.2: launch page at the root, content in subfolders, the 1.2
    control files (XSDs) at the root, inline IMS 1.2 metadata, every file listed."""
    content = [
        "index_lms.html",
        "story.html",
        "meta.xml",
        "story_content/user.js",
        "story_content/data.js",
        "story_content/5xTx2ZJ9Ab1.mp4",
        "html5/lib/scripts/bootstrapper.min.js",
        "lms/SCORMFunctions.js",
        "lms/API.js",
    ]
    listed = "\n".join(f'        <file href="{f}" />' for f in content)
    manifest = f"""<?xml version="1.0" encoding="utf-8" standalone="no" ?>
<manifest identifier="Storyline_6a8uCsNuN3U_course" version="1.0" {NS_12}
  xsi:schemaLocation="{IMSCP_12} imscp_rootv1p1p2.xsd
    http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd
    {ADLCP_12} adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">
      <general>
        <title><langstring xml:lang="x-none">Onboarding &amp; safety</langstring></title>
        <description><langstring xml:lang="x-none">Annual training</langstring></description>
      </general>
    </lom>
  </metadata>
  <organizations default="Storyline_6a8uCsNuN3U_course_ORG">
    <organization identifier="Storyline_6a8uCsNuN3U_course_ORG">
      <title>Onboarding &amp; safety</title>
      <item identifier="Storyline_6a8uCsNuN3U_course_SCO"
            identifierref="Storyline_6a8uCsNuN3U_course_RES" isvisible="true">
        <title>Onboarding &amp; safety</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="Storyline_6a8uCsNuN3U_course_RES" type="webcontent"
              href="index_lms.html" adlcp:scormtype="sco">
{listed}
    </resource>
  </resources>
</manifest>
"""
    files: dict[str, bytes | str] = {"imsmanifest.xml": manifest}
    files.update({f: f"/* {f} */" for f in content})
    for xsd in sorted(schema_set().scorm12.glob("*.xsd")):
        files[xsd.name] = xsd.read_bytes()
    return files


def ispring_like_2004() -> dict[str, bytes | str]:
    """iSpring-style SCORM 2004 3rd Edition: everything under ``res/``, inline LOM, the
    2004 control files with LOM's folders at the root, simple sequencing."""
    content = ["res/index.html", "res/data/player.js", "res/data/slide1.css", "res/data/img1.png"]
    listed = "\n".join(f'      <file href="{f}"/>' for f in content)
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="iSpring-7E2A" version="1.0" {NS_2004}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 3rd Edition</schemaversion>
    <lom xmlns="http://ltsc.ieee.org/xsd/LOM">
      <general>
        <title><string language="en-US">Quarterly sales review</string></title>
        <description><string language="en-US">Slides with a quiz</string></description>
        <keyword><string language="en-US">sales</string></keyword>
      </general>
      <lifeCycle><version><string language="x-none">1.0</string></version></lifeCycle>
    </lom>
  </metadata>
  <organizations default="org_1">
    <organization identifier="org_1">
      <title>Quarterly sales review</title>
      <item identifier="item_1" identifierref="res_1">
        <title>Quarterly sales review</title>
        <adlcp:completionThreshold completedByMeasure="false" minProgressMeasure="1.0"/>
        <imsss:sequencing>
          <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
        </imsss:sequencing>
      </item>
      <imsss:sequencing>
        <imsss:controlMode choice="true" flow="true"/>
      </imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_1" type="webcontent" href="res/index.html" adlcp:scormType="sco">
{listed}
    </resource>
  </resources>
</manifest>
"""
    files: dict[str, bytes | str] = {"imsmanifest.xml": manifest}
    files.update({f: f"<!-- {f} -->" for f in content})
    for name in (
        "imscp_v1p1.xsd",
        "adlcp_v1p3.xsd",
        "adlseq_v1p3.xsd",
        "adlnav_v1p3.xsd",
        "imsss_v1p0.xsd",
        "lom.xsd",
        "common/anyElement.xsd",
        "extend/strict.xsd",
        "unique/strict.xsd",
        "vocab/strict.xsd",
        "XMLSchema.dtd",
        "datatypes.dtd",
    ):
        files[name] = f"<!-- control file {name} -->"
    return files


def adapt_like_12() -> dict[str, bytes | str]:
    """Adapt-style SCORM 1.2: the manifest lists only the launch page (the framework's
    files are not listed), metadata in an ``adlcp:location`` file."""
    content = ["index.html", "adapt/js/adapt.min.js", "course/en/course.json", "assets/a.png"]
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="adapt_manifest" version="1" {NS_12}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
    <adlcp:location>metadata.xml</adlcp:location>
  </metadata>
  <organizations default="adapt_org">
    <organization identifier="adapt_org">
      <title>Adapt course</title>
      <item identifier="adapt_item" identifierref="adapt_res" isvisible="true">
        <title>Adapt course</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="adapt_res" type="webcontent" href="index.html" adlcp:scormtype="sco">
      <file href="index.html"/>
    </resource>
  </resources>
</manifest>
"""
    files: dict[str, bytes | str] = {"imsmanifest.xml": manifest}
    files.update({f: f"/* {f} */" for f in content})
    files["metadata.xml"] = (
        '<?xml version="1.0"?><lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1">'
        "<general><title><langstring>Adapt course</langstring></title></general></lom>"
    )
    return files


def multi_sco_2004() -> dict[str, bytes | str]:
    """A hand-made SCORM 2004 4th Edition course: two organisations (the default is the
    second), nested items, resources under ``xml:base`` folders, a shared asset, and
    LOM metadata in an ``adlcp:location`` file."""
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.course" version="1.3" {NS_2004}>
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
    <adlcp:location>metadata/course.xml</adlcp:location>
  </metadata>
  <organizations default="ORG-FULL">
    <organization identifier="ORG-SHORT">
      <title>Short path</title>
      <item identifier="S1" identifierref="RES-1"><title>Lesson 1</title></item>
    </organization>
    <organization identifier="ORG-FULL" adlseq:objectivesGlobalToSystem="false">
      <title>Full course</title>
      <item identifier="MOD-A">
        <title>Module A</title>
        <item identifier="A1" identifierref="RES-1"><title>Lesson 1</title></item>
        <item identifier="A2" identifierref="RES-2"><title>Lesson 2</title></item>
        <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
      </item>
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="RES-1" type="webcontent" adlcp:scormType="sco" xml:base="lesson1/"
              href="index.html?start=1">
      <file href="index.html"/>
      <file href="lesson%201.css"/>
      <dependency identifierref="SHARED"/>
    </resource>
    <resource identifier="RES-2" type="webcontent" adlcp:scormType="sco" xml:base="lesson2/"
              href="index.html">
      <file href="index.html"/>
      <dependency identifierref="SHARED"/>
    </resource>
    <resource identifier="SHARED" type="webcontent" adlcp:scormType="asset">
      <file href="shared/api.js"/>
    </resource>
  </resources>
</manifest>
"""
    lom = """<?xml version="1.0" encoding="UTF-8"?>
<lom xmlns="http://ltsc.ieee.org/xsd/LOM">
  <general>
    <title><string language="en">Full course</string></title>
    <language>en</language>
  </general>
  <educational>
    <typicalLearningTime><duration>PT1H30M</duration></typicalLearningTime>
  </educational>
</lom>
"""
    return {
        "imsmanifest.xml": manifest,
        "metadata/course.xml": lom,
        "content/lesson1/index.html": "<html></html>",
        "content/lesson1/lesson 1.css": "body {}",
        "content/lesson2/index.html": "<html></html>",
        "content/shared/api.js": "// api",
    }


def cmi5_simple(au_attrs='moveOn="CompletedAndPassed" masteryScore="0.8"', url="index.html"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.org/courses/c1">
    <title><langstring lang="en">Course</langstring></title>
    <description><langstring lang="en">About the course</langstring></description>
  </course>
  <au id="https://example.org/courses/c1/au1" {au_attrs}>
    <title><langstring lang="en">Lesson</langstring></title>
    <description><langstring lang="en">The lesson</langstring></description>
    <url>{url}</url>
  </au>
</courseStructure>
"""
