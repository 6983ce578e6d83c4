"""The app with a SCORM host, in a real runtime (scorm-again in the test LMS page): a case
run to its results reports the engine's score and the app's learner state, and a
relaunch with the saved CMI resumes on the same screen."""

from __future__ import annotations

import json
import math

import pytest

from clusterexcellence.courses.decisions import case_result
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.validate import validate_content
from clusterexcellence.player.site import app_files, module_files

from .conftest import REPO
from .player_fixtures import page_fixture  # noqa: F401 - fixture
from .scorm_lms import Commits, relaunch_cmi

CONTENT = validate_content(CONTENT_ROOT).content
MODULE = "member-engagement-services"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """A package's layout: the app under ``player/``, the module's launch folder beside it."""
    folder = tmp_path_factory.mktemp("package")
    files = dict(app_files())
    for name, data in module_files(CONTENT, "case-studies", MODULE, "en", host="scorm12").items():
        files[f"{MODULE}/{name}"] = data
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def launch(page, server, saved=None):
    page.goto(f"{server.url}/tests/e2e/pages/scorm-lms.html")
    settings = {
        "lmsCommitUrl": f"{server.url}/commit",
        "dataCommitFormat": "flattened",
        "autocommit": False,
    }
    content = f"/pkg/{MODULE}/index.html"
    page.evaluate(
        "o => lms.start(o)",
        {"version": "1.2", "settings": settings, "saved": saved, "content": content},
    )
    page.wait_for_function(
        "() => { const w = document.getElementById('content').contentWindow;"
        " return w && w.document.getElementById('ce-app')?.dataset.screen; }"
    )
    return next(f for f in page.frames if f.url.endswith(f"{MODULE}/index.html"))


def shown(frame) -> str:
    return frame.evaluate("document.getElementById('ce-app').dataset.screen")


def step(frame) -> str:
    before = shown(frame)
    frame.click("#ce-next")
    frame.wait_for_function(
        "prev => document.getElementById('ce-app').dataset.screen !== prev", arg=before
    )
    return shown(frame)


def test_a_case_in_scorm_12_reports_the_engines_score_and_resumes(page, serve, package):
    commits = Commits()
    server = serve(
        {"/pkg/": package, "/node_modules/": REPO / "node_modules", "/tests/": REPO / "tests"},
        routes={("POST", "/commit"): commits},
    )
    frame = launch(page, server)
    assert frame.locator("#ce-preview-banner").count() == 0  # an LMS records
    while not shown(frame).startswith("point:"):
        step(frame)
    path = []
    while shown(frame).startswith("point:"):
        point = shown(frame).split(":", 1)[1]
        option = frame.locator("#ce-main input[type=radio]").nth(1)
        path.append((point, option.get_attribute("value")))
        option.check()
        step(frame)  # the feedback
        if len(path) == 2:
            # leave half-way and come back with what the LMS kept
            saved = relaunch_cmi("1.2", page.evaluate("lms.cmi()"))
            assert saved["cmi.core.entry"] == "resume"
            frame = launch(page, server, saved)
            assert shown(frame) == f"feedback:{point}"
        step(frame)
    assert shown(frame) == "debrief"
    assert step(frame) == "results"
    cmi = page.evaluate("lms.cmi()")
    expected = case_result(next(m.model for m in CONTENT.modules() if m.id == MODULE), path)
    assert math.isclose(
        float(cmi["cmi.core.score.raw"]), expected.overall.score * 100, abs_tol=0.01
    )
    state = json.loads(cmi["cmi.suspend_data"])
    assert state["p"] == [list(x) for x in path] and state["f"] == 1
    assert cmi["cmi.core.lesson_location"] == "results"
