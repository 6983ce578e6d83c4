"""The built packages, end to end: the zips ``write_packages`` makes (checked by ``scorm
check``, unzipped and served on 127.0.0.1), each unit launched from the href its manifest
gives, and the learner player run through its screens in Chromium.

- SCORM 1.2 and 2004 in scorm-again (the test LMS page), with the manifest's mastery score
  and objectives handed to the runtime as an LMS does: a whole case (quit half-way and
  resumed), the whole competency self-test by keyboard alone, the whole label
  self-assessment (quit half-way and resumed); the CMI read back from the runtime and the
  commits the LMS received hold every value the player's SCORM contract lists, and the
  scores are the engine's;
- a course package: two of its SCOs launched in turn, each reporting its own score;
- cmi5 against the loopback LMS/LRS: the AU launched as ``cmi5.xml`` describes it, a whole
  case sends cmi5's statements in order, and a relaunch resumes from the State API;
- axe-core on the first and the results screen of a package in the LMS.
"""

from __future__ import annotations

import json
import math
import re
import zipfile

import pytest

from clusterexcellence.courses.decisions import case_result
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.player.bundle import build_bundle
from clusterexcellence.scorm.check import check_package

from .conftest import REPO
from .packages import (
    CHOICE_ID_2004,
    CMI_TIMESPAN_12,
    CONTENT,
    DURATION,
    FORMAT,
    RESPONSES_12,
    RESPONSES_2004,
    RESULTS_12,
    RESULTS_2004,
    TIME_12,
    TIMESPAN_12,
    TIMESTAMP_2004,
    KeyboardFrame,
    PackageLms,
    PackageLrs,
    build,
    cmi5_units,
    first_launch_cmi,
    first_resource_href,
    scorm_units,
    step,
    unzip,
    walk_case,
)
from .player_fixtures import axe_violations, screen, wait_screen
from .scorm_lms import Commits, relaunch_cmi
from .test_cmi5_host import check_cmi5, wait_for_verb
from .test_player_questionnaire import (
    answer_screen,
    engine_json,
    fill_profile,
    keyboard_section,
)

VERSIONS = ["1.2", "2004"]
CASE = "case-studies--governance-conflict.en"
SELF_TEST = "competency-self-test--competency-self-test.en"
LABEL = "label-self-assessment--label-self-assessment.en"
COURSE = "case-studies.en"
EXIT = {"1.2": "cmi.core.exit", "2004": "cmi.exit"}
COMMIT = {"1.2": "LMSCommit", "2004": "Commit"}
TERMINATE = {"1.2": "LMSFinish", "2004": "Terminate"}
#: The statuses that report the end of a run.
STATUSES = {
    "1.2": {("cmi.core.lesson_status", v) for v in ("passed", "failed", "completed")},
    "2004": {
        ("cmi.completion_status", "completed"),
        ("cmi.success_status", "passed"),
        ("cmi.success_status", "failed"),
    },
}


# ----------------------------------------------------------------------------- packages


class Built:
    """The packages of each format, built once for the module (``write_packages`` into a
    temporary folder), checked and unzipped under ``root/<format>/<package>/``."""

    def __init__(self, tmp_path_factory):
        self.out = tmp_path_factory.mktemp("dist")
        self.root = tmp_path_factory.mktemp("served")
        self.zips: dict[str, dict] = {}

    def __call__(self, fmt: str) -> dict:
        if fmt not in self.zips:
            zips = build(fmt, self.out)
            for name, path in zips.items():
                report = check_package(path)
                assert report.problems == [], (name, [p.format(name) for p in report.problems])
                unzip(path, self.root / fmt / name)
            self.zips[fmt] = zips
        return self.zips[fmt]

    def manifest(self, fmt: str, package: str) -> bytes:
        entry = "cmi5.xml" if fmt == "cmi5" else "imsmanifest.xml"
        with zipfile.ZipFile(self(fmt)[package]) as zf:
            return zf.read(entry)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return Built(tmp_path_factory)


@pytest.fixture
def lms(page, serve, built):
    """The scorm-again LMS page and the unzipped packages on one loopback server."""
    commits = Commits()
    mounts = {
        "/pkg/": built.root,
        "/node_modules/": REPO / "node_modules",
        "/tests/": REPO / "tests",
    }
    return PackageLms(page, serve(mounts, routes={("POST", "/commit"): commits}), commits)


def single_sco(built, version: str, package: str):
    """The one SCO of a module's package, launched at the first resource's href (as
    Open edX's SCORM block does; the default organization's item agrees)."""
    manifest = built.manifest(FORMAT[version], package)
    found, units = scorm_units(manifest)
    assert found == version
    assert len(units) == 1
    assert units[0].href == first_resource_href(manifest)
    return units[0]


# ----------------------------------------------------------------------------- CMI checks


def indexed(cmi: dict, collection: str) -> list[dict]:
    """``cmi.<collection>.n.*`` of a flattened CMI as a list by n (numbered from 0)."""
    found: dict[int, dict] = {}
    for key, value in cmi.items():
        m = re.match(rf"^cmi\.{collection}\.(\d+)\.(.+)$", key)
        if m:
            found.setdefault(int(m[1]), {})[m[2]] = value
    assert sorted(found) == list(range(len(found))), f"{collection} are numbered from 0"
    return [found[n] for n in sorted(found)]


def set_values(lms, element: str) -> list[str]:
    """The values the SCO set on ``element`` (a regular expression) in every session."""
    pattern = re.compile(rf"^{element}$")
    logs = [*lms.earlier, lms.log()]
    return [e[2] for log in logs for e in log if e[0] == "set" and pattern.match(e[1])]


def engine_case(module_id: str, path) -> dict:
    """The engine's result JSON of a case path."""
    model = next(m.model for m in CONTENT.modules() if m.id == module_id)
    return case_result(model, list(path)).to_json()


def verdict(score, mastery: float) -> str:
    """``passed`` or ``failed`` against a scaled mastery score (the spec's epsilon)."""
    return "passed" if score is not None and score >= mastery - 1e-9 else "failed"


def outcome(score, graded: bool = True):
    """An interaction's result for an answer's score: ``neutral`` without a right answer,
    ``correct`` (1), ``wrong`` (0, 2004 ``incorrect``), else the score."""
    if not graded or score is None:
        return "neutral"
    if math.isclose(score, 1, abs_tol=1e-9):
        return "correct"
    if math.isclose(score, 0, abs_tol=1e-9):
        return "wrong"
    return float(score)


def check_interactions(version: str, cmi: dict, expected: list[dict]) -> None:
    """One interaction per expected record ``{id, type, response, result}`` (in order),
    each in the version's types and formats, with the exact response and the result
    expected (see :func:`outcome`)."""
    records = indexed(cmi, "interactions")
    assert [r["id"] for r in records] == [e["id"] for e in expected]
    for got, want in zip(records, expected, strict=True):
        assert got["type"] == want["type"], got
        if version == "1.2":
            response = got["student_response"]
            assert RESPONSES_12[want["type"]].match(response), got
            assert RESULTS_12.match(got["result"]), got
            assert TIME_12.match(got["time"]), got
            if got.get("latency"):
                assert CMI_TIMESPAN_12.match(got["latency"]), got
        else:
            response = got["learner_response"]
            assert RESPONSES_2004[want["type"]].match(response), got
            if want["type"] == "choice":
                assert all(CHOICE_ID_2004.match(x) for x in response.split("[,]")), got
            assert RESULTS_2004.match(got["result"]), got
            assert TIMESTAMP_2004.match(got["timestamp"]), got
            assert got["description"].startswith("{lang=en}"), got
            if got.get("latency"):
                assert DURATION.match(got["latency"]), got
        assert response == want["response"], got
        assert float(got["weighting"]) in (0, 1), got
        outcome = want["result"]
        if isinstance(outcome, float):
            assert math.isclose(float(got["result"]), outcome, abs_tol=1e-4), got
        else:
            assert got["result"] == {"wrong": "wrong" if version == "1.2" else "incorrect"}.get(
                outcome, outcome
            ), got


def check_objectives(version, lms, cmi, result, mastery, dims, declared=()) -> None:
    """One objective per dimension id of ``dims`` (a case's competencies, an instrument's
    top-level dimensions) with the score of ``result`` (the engine's JSON) and its status;
    the objectives the manifest declares left as the LMS made them."""
    objectives = indexed(cmi, "objectives")
    ids = [o["id"] for o in objectives]
    assert sorted(ids) == sorted([*declared, *dims]), "one objective per dimension"
    by_id = {o["id"]: o for o in objectives}
    for dim in dims:
        score = result["dimensions"][dim]["score"]
        got = by_id[dim]
        if version == "1.2":
            if score is None:
                assert got["status"] == "not attempted"
                continue
            assert math.isclose(float(got["score.raw"]), score * 100, abs_tol=0.005 + 1e-9)
            assert (got["score.min"], got["score.max"]) == ("0", "100")
            assert got["status"] == ("completed" if mastery is None else verdict(score, mastery))
        else:
            if score is None:
                assert got["completion_status"] == "not attempted"
                continue
            assert math.isclose(float(got["score.scaled"]), score, abs_tol=1e-7)
            assert got["completion_status"] == "completed"
            assert got["success_status"] == (
                "unknown" if mastery is None else verdict(score, mastery)
            )
    sets = [e[1] for e in lms.log() if e[0] == "set"]
    for objective in declared:
        prefix = f"cmi.objectives.{ids.index(objective)}."
        assert not [e for e in sets if e.startswith(prefix)], f"{objective} was written"


def check_run(version, lms, result, mastery, dims, *, declared=()) -> dict:
    """The CMI the LMS stored after the learner finished and left: scores, statuses,
    session time, exit, suspend data, progress, objectives, the commits and the end of the
    session. ``result``: the engine's result JSON; ``mastery``: the scaled mastery score or
    None; ``dims``: the objective ids expected."""
    log = lms.log()
    assert log[-1] == [TERMINATE[version]], "the session ends with Terminate"
    assert [e for e in log if e[0] in ("LMSInitialize", "Initialize")], "the session started"
    calls = lms.calls(COMMIT[version], every=True)
    assert len(lms.commits.payloads) == calls, "every Commit reached the LMS"
    # the score is set before the status that reports it (gradebooks miss a later score)
    sets = [(e[1], e[2]) for e in log if e[0] == "set"]
    score_prefix = "cmi.core.score." if version == "1.2" else "cmi.score."
    scores = [i for i, (element, _) in enumerate(sets) if element.startswith(score_prefix)]
    judged = [i for i, pair in enumerate(sets) if pair in STATUSES[version]]
    assert scores and judged and max(scores) < min(judged)
    cmi = lms.commits.last()
    overall = result["overall"]["score"]
    if version == "1.2":
        assert math.isclose(float(cmi["cmi.core.score.raw"]), overall * 100, abs_tol=0.005 + 1e-9)
        assert (cmi["cmi.core.score.min"], cmi["cmi.core.score.max"]) == ("0", "100")
        status = "completed" if mastery is None else verdict(overall, mastery)
        assert cmi["cmi.core.lesson_status"] == status
        times = set_values(lms, r"cmi\.core\.session_time|cmi\.interactions\.\d+\.latency")
        assert times and all(TIMESPAN_12.match(t) for t in times), times
        states = set_values(lms, r"cmi\.suspend_data")
        assert states and all(len(s) <= 4096 for s in states)
        finished = ("passed", "failed", "completed")
        for payload in lms.commits.payloads:
            done = payload["cmi.core.lesson_status"] in finished
            assert payload["cmi.core.exit"] == ("" if done else "suspend"), payload
    else:
        assert math.isclose(float(cmi["cmi.score.scaled"]), overall, abs_tol=1e-7)
        assert math.isclose(float(cmi["cmi.score.raw"]), overall * 100, abs_tol=0.005 + 1e-9)
        assert (cmi["cmi.score.min"], cmi["cmi.score.max"]) == ("0", "100")
        assert cmi["cmi.completion_status"] == "completed"
        assert cmi["cmi.success_status"] == (
            "unknown" if mastery is None else verdict(overall, mastery)
        )
        assert cmi["cmi.progress_measure"] == "1"
        progress = [float(p) for p in set_values(lms, r"cmi\.progress_measure")]
        assert all(0 <= p <= 1 for p in progress) and min(progress) < 1
        times = set_values(lms, r"cmi\.session_time|cmi\.interactions\.\d+\.latency")
        assert times and all(DURATION.match(t) for t in times), times
        for payload in lms.commits.payloads:
            done = payload["cmi.completion_status"] == "completed"
            assert payload["cmi.exit"] == ("normal" if done else "suspend"), payload
    state = json.loads(cmi["cmi.suspend_data"])
    assert state["f"] == 1 and state["s"] == "results"
    check_objectives(version, lms, cmi, result, mastery, dims, declared)
    return cmi


def no_problems(frame) -> None:
    """Nothing in the app's alert region (host or LMS errors), no uncaught script error."""
    assert frame.locator("#ce-problems").inner_text() == ""
    assert [e for e in frame.page.errors if e.startswith("page error")] == []


class Steps:
    """Counts the commits between the screens the app shows: one at each step at least."""

    def __init__(self, lms):
        self.lms = lms
        self.seen = [lms.calls(COMMIT[lms.version])]

    def __call__(self, shown: str) -> None:
        self.seen.append(self.lms.calls(COMMIT[self.lms.version]))
        assert self.seen[-1] > self.seen[-2], f"no Commit for the step to {shown}"


def case_choices(module_id: str, best: bool) -> dict[str, str]:
    """Point → the option with the highest (``best``) or lowest score of each point."""
    model = next(m.model for m in CONTENT.modules() if m.id == module_id)
    pick = max if best else min
    return {p.id: pick(p.options, key=lambda o: o.score).id for p in model.decisions.points}


def case_competencies(module_id: str) -> list[str]:
    """The competencies a case trains (its bundle's ``case.competencies``)."""
    course = next(c.model.id for c in CONTENT.courses for m in c.modules if m.id == module_id)
    bundle = build_bundle(CONTENT, course, module_id, "en").data
    return [c["id"] for c in bundle["case"]["competencies"]]


def case_records(version: str, module_id: str, path, result: dict) -> list[dict]:
    """The interactions a case path gives: one choice per decision, 1.2 the option's
    index character, 2004 the option id made a valid choice id; the outcome of the point's
    score in ``result`` (the engine's)."""
    model = next(m.model for m in CONTENT.modules() if m.id == module_id)
    points = {p.id: [o.id for o in p.options] for p in model.decisions.points}
    graded = {p.id: p.graded for p in model.decisions.points}
    return [
        {
            "id": point,
            "type": "choice",
            "result": outcome(result["items"].get(point), graded[point]),
            "response": "0123456789abcdefghijklmnopqrstuvwxyz"[points[point].index(option)]
            if version == "1.2"
            else option.replace("-", "_"),
        }
        for point, option in path
    ]


# ----------------------------------------------------------------------------- SCORM runs


@pytest.mark.parametrize(("version", "best"), [("1.2", True), ("2004", False)])
def test_a_whole_case_reports_the_engines_result_and_resumes(lms, built, version, best):
    module = "governance-conflict"
    sco = single_sco(built, version, CASE)
    mastery = float(sco.mastery) / (100 if version == "1.2" else 1)
    choose = case_choices(module, best)
    frame = lms.open(version, f"{FORMAT[version]}/{CASE}", sco.href, first_launch_cmi(version, sco))
    assert frame.locator("#ce-preview-banner").count() == 0, "the LMS records"
    assert screen(frame) == "intro"
    assert axe_violations(frame) == []
    steps = Steps(lms)
    path = walk_case(frame, choose, until=2, on_step=steps)
    halfway = screen(frame)
    assert halfway == f"feedback:{path[-1][0]}"

    # the learner leaves half-way; the LMS relaunches the SCO with what it stored
    lms.leave()
    stored = lms.commits.wait_for(lambda c: c.get(EXIT[version]) == "suspend")
    assert stored == lms.commits.last()
    assert lms.log()[-1] == [TERMINATE[version]]
    saved = relaunch_cmi(version, stored)
    assert saved["cmi.core.entry" if version == "1.2" else "cmi.entry"] == "resume"
    frame = lms.open(version, f"{FORMAT[version]}/{CASE}", sco.href, saved)
    assert screen(frame) == halfway, "back on the same screen"
    assert frame.evaluate("cePlayer.state.path") == [list(x) for x in path]
    point, option = path[-1]
    option_html = frame.evaluate(
        "([p, o]) => cePlayer.bundle.case.points.find((x) => x.id === p)"
        ".options.find((x) => x.id === o).html",
        [point, option],
    )
    shown = frame.locator("#ce-main .ce-choice span").inner_html()
    assert shown == option_html, "the feedback shows the choice made"

    steps = Steps(lms)
    path += walk_case(frame, choose, on_step=steps)
    assert screen(frame) == "results"
    assert axe_violations(frame) == []
    no_problems(frame)
    lms.leave()
    result = engine_case(module, path)
    assert verdict(result["overall"]["score"], mastery) == ("passed" if best else "failed")
    competencies = case_competencies(module)
    assert set(competencies) == set(result["dimensions"])
    cmi = check_run(version, lms, result, mastery, competencies, declared=sco.objectives)
    check_interactions(version, cmi, case_records(version, module, path, result))
    # the decisions of the first session stay as they were recorded then
    first = indexed(stored, "interactions")
    assert len(first) == 2
    assert indexed(cmi, "interactions")[:2] == first
    state = json.loads(cmi["cmi.suspend_data"])
    assert state["p"] == [list(x) for x in path]
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    assert cmi[location] == "results"


def instrument_records(version: str, ins, answers: dict, result: dict) -> list[dict]:
    """The interactions of an instrument's answers, in item order, as each version writes
    them (docs/player.md, the table of interaction types), with the outcome of each item's
    score in ``result`` (the engine's; a likert self-rating has none)."""
    chars = "0123456789abcdefghijklmnopqrstuvwxyz"
    records = []
    for item in ins.items:
        if item.id not in answers:
            continue
        answer = answers[item.id]
        options = [o.id for o in getattr(item, "options", None) or []]
        kind = {"likert": "likert", "numeric": "numeric", "boolean": "true-false"}.get(
            item.type, "choice"
        )
        if kind == "choice":
            picked = answer if isinstance(answer, list) else [answer]
            if version == "1.2":
                response = ",".join(chars[options.index(x)] for x in picked)
            else:
                response = "[,]".join(x.replace("-", "_") for x in picked)
        elif kind == "likert":
            response = str(answer)
        elif kind == "numeric":
            response = f"{answer:g}"
        else:
            response = ("t" if answer else "f") if version == "1.2" else str(answer).lower()
        score = result["items"].get(item.id)
        records.append(
            {
                "id": item.id,
                "type": kind,
                "response": response,
                "result": outcome(score, item.type != "likert"),
            }
        )
    return records


def keyboard_to_next(frame) -> None:
    """Tab to the screen's main button and press Enter."""
    for _ in range(100):
        frame.keyboard.press("Tab")
        if frame.evaluate("document.activeElement.id") == "ce-next":
            frame.keyboard.press("Enter")
            return
    raise AssertionError("never reached the Next button")


@pytest.mark.parametrize(("version", "by_keyboard"), [("1.2", True), ("2004", False)])
def test_the_whole_self_test(lms, built, version, by_keyboard):
    """By keyboard alone (Tab, Space, arrow keys, Enter) in one runtime, by pointer in the
    other."""
    ins = find_instrument("competency-self-test")
    items = {it.id: it for it in ins.items}
    sco = single_sco(built, version, SELF_TEST)
    assert sco.mastery is None, "the self-test is not graded"
    frame = lms.open(
        version, f"{FORMAT[version]}/{SELF_TEST}", sco.href, first_launch_cmi(version, sco)
    )
    keys = KeyboardFrame(lms.page, frame)
    steps = Steps(lms)
    answers: dict = {}
    counter = [0]
    seen = [screen(frame)]
    while seen[-1] != "results":
        assert frame.evaluate("document.activeElement.tagName") == "H2", seen[-1]
        if not by_keyboard:
            if seen[-1].startswith("section:"):
                counter[0] = answer_screen(frame, ins, answers, counter[0])
            seen.append(step(frame))
        else:
            if seen[-1].startswith("section:"):
                keyboard_section(keys, items, answers, counter)
            else:
                keyboard_to_next(keys)
            seen.append(wait_screen(frame, seen[-1]))
        steps(seen[-1])
    assert seen[0] == "intro" and seen[-2:] == ["review", "results"]
    assert len([s for s in seen if s.startswith("section:")]) == len(ins.dimensions)
    assert len(answers) == len(ins.items)
    frame.wait_for_selector("#ce-area-table")
    no_problems(frame)
    lms.leave()
    result = engine_json(ins, answers)
    tops = [d.id for d in ins.dimensions]
    cmi = check_run(version, lms, result, None, tops, declared=sco.objectives)
    check_interactions(version, cmi, instrument_records(version, ins, answers, result))
    assert json.loads(cmi["cmi.suspend_data"])["a"] == answers


def hyphenated_choices(frame, ins, answers: dict) -> None:
    """Choose, on the screen shown, each option whose id has a hyphen (a 2004 choice id
    maps it to ``_``), so that the run reports one."""
    for item in ins.items:
        options = [o.id for o in getattr(item, "options", None) or []]
        box = frame.locator(f'[id="item-{item.id}"] input')
        if item.type != "single_choice" or box.count() == 0:
            continue
        for j, option in enumerate(options):
            if "-" in option:
                box.nth(j).check()
                answers[item.id] = option


@pytest.mark.parametrize("version", VERSIONS)
def test_the_whole_label_self_assessment_resumes_half_way(lms, built, version):
    ins = find_instrument("label-self-assessment")
    sco = single_sco(built, version, LABEL)
    mastery = None if sco.mastery is None else float(sco.mastery) / (100 if version == "1.2" else 1)
    package = f"{FORMAT[version]}/{LABEL}"
    frame = lms.open(version, package, sco.href, first_launch_cmi(version, sco))
    steps = Steps(lms)
    assert step(frame) == "profile"
    profile = fill_profile(frame, ins, portfolio="food")
    answers: dict = {}
    k = 0
    for _ in range(2):
        assert step(frame).startswith("section:")
        steps(screen(frame))
        k = answer_screen(frame, ins, answers, k)
    halfway = screen(frame)

    # the learner leaves half-way; the LMS relaunches the SCO with what it stored
    lms.leave()
    stored = lms.commits.wait_for(lambda c: c.get(EXIT[version]) == "suspend")
    assert stored == lms.commits.last()
    state = json.loads(stored["cmi.suspend_data"])
    assert state["a"] == answers and state["d"] == profile
    frame = lms.open(version, package, sco.href, relaunch_cmi(version, stored))
    assert screen(frame) == halfway, "back on the same screen"
    assert frame.evaluate("cePlayer.state.answers") == answers
    assert frame.evaluate("cePlayer.state.profile") == profile
    shown = frame.evaluate(
        "[...document.querySelectorAll('#ce-main .ce-item')].map(e => e.id.slice(5))"
    )
    assert shown and all(item in answers for item in shown)
    for item_id in shown:
        box = frame.locator(f'[id="item-{item_id}"] input')
        if box.first.get_attribute("type") == "text":
            assert float(box.input_value().replace(",", ".")) == answers[item_id]
        else:
            assert box.evaluate_all("els => els.filter(e => e.checked).length") >= 1, item_id

    steps = Steps(lms)
    while (current := step(frame)).startswith("section:"):
        steps(current)
        k = answer_screen(frame, ins, answers, k)
        hyphenated_choices(frame, ins, answers)
    steps(current)
    assert current == "review"
    steps(step(frame))
    assert screen(frame) == "results"
    frame.wait_for_selector(".ce-groups")
    no_problems(frame)
    lms.leave()
    assert set(answers) == {it.id for it in ins.items}
    assert any("-" in str(a) for a in answers.values()), "an option id with a hyphen"
    result = engine_json(ins, answers)
    tops = [d.id for d in ins.dimensions]
    cmi = check_run(version, lms, result, mastery, tops, declared=sco.objectives)
    check_interactions(version, cmi, instrument_records(version, ins, answers, result))
    state = json.loads(cmi["cmi.suspend_data"])
    assert state["a"] == answers and state["d"] == profile
    assert len(cmi["cmi.suspend_data"]) <= 4096, len(cmi["cmi.suspend_data"])


@pytest.mark.parametrize("version", VERSIONS)
def test_two_scos_of_a_course_package_each_report_their_own_score(lms, built, version):
    manifest = built.manifest(FORMAT[version], COURSE)
    found, units = scorm_units(manifest)
    assert found == version
    course = next(c for c in CONTENT.courses if c.model.id == COURSE.split(".")[0])
    assert [u.href for u in units] == [f"{m.id}/index.html" for m in course.modules]
    assert units[0].href == first_resource_href(manifest)
    scores = {}
    for unit, best in [(units[0], True), (units[1], False)]:
        module = unit.href.split("/")[0]
        frame = lms.open(
            version, f"{FORMAT[version]}/{COURSE}", unit.href, first_launch_cmi(version, unit)
        )
        assert frame.evaluate("cePlayer.bundle.module.id") == module
        path = walk_case(frame, case_choices(module, best))
        no_problems(frame)
        lms.leave()
        cmi = lms.commits.last()
        result = engine_case(module, path)
        overall = result["overall"]["score"]
        mastery = float(unit.mastery) / (100 if version == "1.2" else 1)
        if version == "1.2":
            assert math.isclose(
                float(cmi["cmi.core.score.raw"]), overall * 100, abs_tol=0.005 + 1e-9
            )
            assert cmi["cmi.core.lesson_status"] == verdict(overall, mastery)
        else:
            assert math.isclose(float(cmi["cmi.score.scaled"]), overall, abs_tol=1e-7)
            assert cmi["cmi.success_status"] == verdict(overall, mastery)
        check_objectives(
            version, lms, cmi, result, mastery, case_competencies(module), unit.objectives
        )
        check_interactions(version, cmi, case_records(version, module, path, result))
        scores[module] = overall
    assert len(set(scores.values())) == 2, scores


# ----------------------------------------------------------------------------- cmi5

STATE_DOCUMENT = "https://w3id.org/clusterexcellence/player/learner-state"


@pytest.fixture
def cmi5_case(page, serve, built):
    """The case's cmi5 package served with a loopback LMS/LRS for its one AU: ``(lrs,
    launch)``, ``launch()`` opening the AU at a new launch URL as the LMS does."""
    units = cmi5_units(built.manifest("cmi5", CASE))
    assert len(units) == 1
    au = units[0]
    assert au.move_on == "CompletedAndPassed" and au.mastery is not None
    lrs = PackageLrs(au)
    server = serve({"/pkg/": built.root, "/tests/": REPO / "tests"}, routes=lrs.routes())

    def launch():
        page.goto(server.url + lrs.launch_url(server.url, f"/pkg/cmi5/{CASE}/{au.href}"))
        wait_screen(page)
        return page

    def leave():
        page.goto(f"{server.url}/tests/e2e/pages/left.html")
        wait_for_verb(lrs, "terminated")

    return au, lrs, launch, leave


def test_a_whole_case_in_cmi5_sends_its_statements_in_order(cmi5_case):
    au, lrs, launch, leave = cmi5_case
    module = "governance-conflict"
    page = launch()
    assert lrs.states["LMS.LaunchData"]["moveOn"] == au.move_on
    assert page.locator("#ce-preview-banner").count() == 0, "the LMS records"
    path = walk_case(page, case_choices(module, best=False))
    no_problems(page.main_frame)
    leave()
    mastery = float(au.mastery)
    result = engine_case(module, path)
    score = result["overall"]["score"]
    assert lrs.verbs() == ["initialized", "completed", verdict(score, mastery), "terminated"]
    for statement in lrs.statements:
        check_cmi5(statement, lrs, mastery)
    judged = lrs.statements[2]["result"]
    assert math.isclose(judged["score"]["scaled"], score, abs_tol=1e-7)
    assert all(s["result"]["duration"] for s in lrs.statements[1:])
    assert lrs.refused == []


def test_a_cmi5_relaunch_resumes_from_the_state_api(cmi5_case):
    au, lrs, launch, leave = cmi5_case
    module = "governance-conflict"
    choose = case_choices(module, best=True)
    page = launch()
    path = walk_case(page, choose, until=2)
    halfway = screen(page)
    leave()
    assert lrs.verbs() == ["initialized", "terminated"]
    for statement in lrs.statements:
        check_cmi5(statement, lrs, None)
    assert lrs.states[STATE_DOCUMENT]["location"] == halfway
    first_session = len(lrs.statements)

    page = launch()  # a new launch: a new session and fetch URL
    assert screen(page) == halfway, "back on the same screen"
    assert page.evaluate("cePlayer.state.path") == [list(x) for x in path]
    path += walk_case(page, choose)
    no_problems(page.main_frame)
    leave()
    mastery = float(au.mastery)
    score = engine_case(module, path)["overall"]["score"]
    assert verdict(score, mastery) == "passed"
    assert lrs.verbs() == ["initialized", "terminated"] + [
        "initialized",
        "completed",
        "passed",
        "terminated",
    ]
    for statement in lrs.statements[first_session:]:
        check_cmi5(statement, lrs, mastery)
    assert math.isclose(lrs.statements[-2]["result"]["score"]["scaled"], score, abs_tol=1e-7)
    assert lrs.refused == []


# ----------------------------------------------------------------------------- the zips


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004", "cmi5"])
def test_the_built_packages_pass_scorm_check_and_launch_their_first_unit(built, fmt):
    zips = built(fmt)
    assert set(zips) >= {CASE, SELF_TEST, LABEL, COURSE}
    for name, path in zips.items():
        report = check_package(path)
        assert report.problems == [] and report.kind == fmt, name
        if fmt == "cmi5":
            units = cmi5_units(built.manifest(fmt, name))
        else:
            version, units = scorm_units(built.manifest(fmt, name))
            assert FORMAT[version] == fmt
            assert report.launch == first_resource_href(built.manifest(fmt, name))
        assert report.units == len(units) and report.launch == units[0].href, name
        assert all((built.root / fmt / name / u.href).is_file() for u in units), name
