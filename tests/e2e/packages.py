"""Real packages in the browser tests: built by the package builder, checked, unzipped and
served on 127.0.0.1, then launched as an LMS launches them, from what their manifest says
(``imsmanifest.xml``, ``cmi5.xml``), with the player's screens driven in the content.

- :func:`build` writes the zips of one format for the bundled courses (English);
- :func:`scorm_units` / :func:`first_resource_href` / :func:`cmi5_units` read a manifest
  as an importer does;
- :func:`first_launch_cmi` is the CMI an LMS hands a SCO's first launch (its mastery
  score and objectives from the manifest);
- :class:`PackageLms` opens a SCO of an unzipped package in the scorm-again LMS page;
- :class:`PackageLrs` is the cmi5 LMS of ``lrs.py`` launching an AU of ``cmi5.xml``;
- :func:`walk_case` takes the app through a case on a given path.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.validate import validate_content
from clusterexcellence.scorm.build import PackageBuilder, select_targets, write_packages

from .lrs import Lrs
from .player_fixtures import screen, wait_screen
from .scorm_lms import Lms

CONTENT = validate_content(CONTENT_ROOT).content
#: The courses built: every bundled one (a course package and one per module each).
COURSES = ["case-studies", "competency-self-test", "label-self-assessment"]
LANG = "en"
FORMAT = {"1.2": "scorm12", "2004": "scorm2004"}

NS_12 = {
    "cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
}
NS_2004 = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
NS_CMI5 = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# Formats of the run-time data models (SCORM 1.2 RTE 3.4, SCORM 2004 4th edition RTE 4.1).
#: What the player writes (HHHH:MM:SS.SS); the runtime may store it with 2 to 4 hour digits.
TIMESPAN_12 = re.compile(r"^\d{4}:[0-5]\d:[0-5]\d\.\d{2}$")
CMI_TIMESPAN_12 = re.compile(r"^\d{2,4}:[0-5]\d:[0-5]\d(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
DURATION = re.compile(r"^PT(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")
TIMESTAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?Z$")
CHOICE_ID_2004 = re.compile(r"^[\w.]{1,250}$")
RESPONSES_12 = {
    "choice": re.compile(r"^[0-9a-z](,[0-9a-z])*$"),
    "likert": re.compile(r"^[0-9a-z]$"),
    "numeric": re.compile(r"^-?\d+(\.\d+)?$"),
    "true-false": re.compile(r"^[01tf]$"),
}
RESPONSES_2004 = {
    "choice": re.compile(r"^([\w.]{1,250}(\[,\][\w.]{1,250})*)?$"),
    "likert": CHOICE_ID_2004,
    "numeric": re.compile(r"^-?\d+(\.\d{1,7})?$"),
    "true-false": re.compile(r"^(true|false)$"),
}
RESULTS_12 = re.compile(r"^(correct|wrong|unanticipated|neutral|-?\d+(\.\d+)?)$")
RESULTS_2004 = re.compile(r"^(correct|incorrect|unanticipated|neutral|-?\d+(\.\d+)?)$")


def build(fmt: str, out: Path) -> dict[str, Path]:
    """The zips of format ``fmt`` for :data:`COURSES` in :data:`LANG`, written by
    ``write_packages`` into ``out``: package name → zip."""
    targets = select_targets(CONTENT, COURSES, langs=[LANG])
    written = write_packages(PackageBuilder(CONTENT, fmt), targets, out)
    return {path.name.removesuffix(".zip"): path for path in written}


def unzip(package: Path, folder: Path) -> Path:
    """The package's files under ``folder`` (a checked package: safe names only)."""
    with zipfile.ZipFile(package) as zf:
        zf.extractall(folder)
    return folder


@dataclass(frozen=True)
class Unit:
    """A launchable unit of a manifest: a SCO (item and resource) or a cmi5 AU."""

    identifier: str
    href: str
    #: The item's ``adlcp:masteryscore`` (1.2, as written), or the 2004 primary
    #: objective's ``minNormalizedMeasure`` when satisfied by measure; cmi5 ``masteryScore``.
    mastery: str | None = None
    #: 2004: the objective ids the item's sequencing declares, primary first.
    objectives: tuple[str, ...] = ()
    #: cmi5: the AU's ``moveOn``.
    move_on: str | None = None


def _version(root: ElementTree.Element) -> tuple[str, dict[str, str]]:
    if root.tag == f"{{{NS_12['cp']}}}manifest":
        return "1.2", NS_12
    if root.tag == f"{{{NS_2004['cp']}}}manifest":
        return "2004", NS_2004
    raise AssertionError(f"not a SCORM manifest: root {root.tag}")


def _joined(*parts: str | None) -> str:
    return posixpath.join(*[p for p in parts if p])


def first_resource_href(manifest: bytes) -> str:
    """The page openedx-scorm-xblock launches: the ``href`` of the first resource that has
    one, in the manifest's default namespace."""
    root = ElementTree.fromstring(manifest)
    _, ns = _version(root)
    resource = root.find("cp:resources/cp:resource[@href]", ns)
    assert resource is not None, "no resource with an href"
    return resource.get("href")


def scorm_units(manifest: bytes) -> tuple[str, list[Unit]]:
    """The SCORM version and the SCOs of the default organization, in order, each with
    the href of its resource (``xml:base`` applied) and what the LMS takes from the item."""
    root = ElementTree.fromstring(manifest)
    version, ns = _version(root)
    organizations = root.find("cp:organizations", ns)
    default = organizations.get("default")
    organization = next(
        o for o in organizations.findall("cp:organization", ns) if o.get("identifier") == default
    )
    resources = root.find("cp:resources", ns)
    by_id = {r.get("identifier"): r for r in resources.findall("cp:resource", ns)}
    units = []
    for item in organization.iter(f"{{{ns['cp']}}}item"):
        ref = item.get("identifierref")
        if ref is None:
            continue
        resource = by_id[ref]
        href = _joined(resources.get(XML_BASE), resource.get(XML_BASE), resource.get("href"))
        mastery, objectives = None, ()
        if version == "1.2":
            mastery = item.findtext("adlcp:masteryscore", namespaces=ns)
        else:
            declared = item.find("imsss:sequencing/imsss:objectives", ns)
            if declared is not None:
                primary = declared.find("imsss:primaryObjective", ns)
                if primary is not None and primary.get("satisfiedByMeasure") == "true":
                    mastery = primary.findtext("imsss:minNormalizedMeasure", namespaces=ns)
                objectives = tuple(
                    o.get("objectiveID") for o in declared if o.get("objectiveID") is not None
                )
        units.append(Unit(item.get("identifier"), href, mastery, objectives))
    return version, units


def cmi5_units(course_structure: bytes) -> list[Unit]:
    """The AUs of a ``cmi5.xml`` in order: id, url, ``masteryScore`` and ``moveOn``."""
    root = ElementTree.fromstring(course_structure)
    assert root.tag == f"{{{NS_CMI5['c']}}}courseStructure", root.tag
    return [
        Unit(
            au.get("id"),
            au.findtext("c:url", namespaces=NS_CMI5).strip(),
            au.get("masteryScore"),
            (),
            au.get("moveOn"),
        )
        for au in root.iter(f"{{{NS_CMI5['c']}}}au")
    ]


def first_launch_cmi(version: str, unit: Unit) -> dict[str, str]:
    """The CMI an LMS gives a SCO's first attempt: ``entry`` ``ab-initio``, the mastery
    score of the manifest (1.2 ``cmi.student_data.mastery_score`` on 0..100, 2004
    ``cmi.scaled_passing_score``) and, in 2004, the objectives its sequencing declares."""
    if version == "1.2":
        cmi = {"cmi.core.entry": "ab-initio"}
        if unit.mastery is not None:
            cmi["cmi.student_data.mastery_score"] = unit.mastery
        return cmi
    cmi = {"cmi.entry": "ab-initio"}
    if unit.mastery is not None:
        cmi["cmi.scaled_passing_score"] = unit.mastery
    for n, objective in enumerate(unit.objectives):
        cmi[f"cmi.objectives.{n}.id"] = objective
    return cmi


class PackageLms(Lms):
    """The scorm-again LMS page launching a SCO of an unzipped package served under
    ``/pkg/<package>/``: ``open(version, package, href, saved)`` → the SCO's frame."""

    def __init__(self, page, server, commits):
        super().__init__(page, server, commits)
        self.earlier: list[list[list[str]]] = []  # the call logs of the sessions before

    def open(self, version: str, package: str, href: str, saved: dict[str, str]):
        if self.version is not None:
            self.earlier.append(self.log())
        self.version = version
        self.content = f"/pkg/{package}/{href}"
        self.page.goto(f"{self.server.url}/tests/e2e/pages/scorm-lms.html")
        settings = {
            "lmsCommitUrl": f"{self.server.url}/commit",
            "dataCommitFormat": "flattened",
            "autocommit": False,
            "logLevel": 5,
        }
        options = {
            "version": version,
            "settings": settings,
            "saved": saved,
            "content": self.content,
        }
        self.page.evaluate("o => lms.start(o)", options)
        self.page.wait_for_function(
            "() => { const w = document.getElementById('content').contentWindow;"
            " return w && w.document.getElementById('ce-app')?.dataset.screen; }"
        )
        return self.frame

    @property
    def frame(self):
        return next(f for f in self.page.frames if f.url.endswith(self.content))

    def leave(self) -> None:
        """The learner leaves the SCO (its frame navigates away: ``pagehide``)."""
        self.frame.evaluate("() => { location.href = '/tests/e2e/pages/left.html?left'; }")
        self.page.wait_for_function(
            "() => document.getElementById('content').contentWindow.location.search === '?left'"
        )

    def calls(self, name: str, *, every: bool = False) -> int:
        """How many times the SCO called ``name`` (``Commit``, ``LMSCommit``, ...) in this
        session, or in ``every`` session of this LMS."""
        logs = [*self.earlier, self.log()] if every else [self.log()]
        return sum(1 for log in logs for entry in log if entry == [name])


class PackageLrs(Lrs):
    """The cmi5 LMS of ``lrs.py`` launching one AU of a ``cmi5.xml``: the activity is the
    AU's id, and ``LMS.LaunchData`` has the AU's ``masteryScore`` and ``moveOn``."""

    def __init__(self, unit: Unit, **kwargs: Any):
        mastery = float(unit.mastery) if unit.mastery is not None else None
        super().__init__(
            activity_id=unit.identifier,
            publisher_id=unit.identifier,
            mastery_score=mastery,
            **kwargs,
        )
        self.move_on = unit.move_on

    def launch_url(self, base: str, au_path: str) -> str:
        url = super().launch_url(base, au_path)
        with self.lock:
            self.states["LMS.LaunchData"]["moveOn"] = self.move_on
        return url


def step(frame) -> str:
    """Press the screen's main button (``#ce-next``) and wait for the next screen."""
    before = screen(frame)
    frame.click("#ce-next")
    return wait_screen(frame, before)


def walk_case(
    frame, choose: dict[str, str], *, until: int | None = None, on_step=None
) -> list[tuple[str, str]]:
    """Take the app through a case from the screen shown: every reading screen, at each
    decision point the option ``choose[point]``, each feedback; stop on ``results``, or on
    the feedback of the ``until``-th decision. ``on_step(screen)`` is called on each new
    screen. The decisions taken, ``[(point, option)]``."""
    path = []
    while (current := screen(frame)) != "results":
        if current.startswith("point:"):
            point = current.split(":", 1)[1]
            frame.check(f'#ce-main input[type=radio][value="{choose[point]}"]')
            path.append((point, choose[point]))
        elif current.startswith("feedback:") and until is not None and len(path) >= until:
            break
        shown = step(frame)
        if on_step:
            on_step(shown)
    return path


class KeyboardFrame:
    """A content frame with its page's keyboard: what the keyboard helpers of the player's
    preview tests take for a page (``keyboard``, ``evaluate`` on the frame's document)."""

    def __init__(self, page, frame):
        self.keyboard = page.keyboard
        self.frame = frame

    def __getattr__(self, name: str):
        return getattr(self.frame, name)
