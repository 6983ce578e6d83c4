"""The SCORM 1.2 and 2004 hosts in Chromium against a real SCORM runtime (npm
scorm-again), with real bundles of the shipped content: a whole case path, every item of
the self-test and of the label self-assessment, a quit and relaunch, and the failure modes
LMS users report most (API late, last commit lost on leaving, resume not restored, score
after status, 1.2 passed semantics, LMS errors)."""

from __future__ import annotations

import random
import re

import pytest

from clusterexcellence.courses.decisions import case_result
from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.player.bundle import build_bundle, find_module

from .conftest import REPO
from .scorm_lms import Commits, Lms, relaunch_cmi

CONTENT = load_content(CONTENT_ROOT)
MODULES = {
    "case": ("case-studies", "governance-conflict"),
    "self-test": ("competency-self-test", "competency-self-test"),
    "label": ("label-self-assessment", "label-self-assessment"),
}
BUNDLES = {name: build_bundle(CONTENT, *ids, "en").data for name, ids in MODULES.items()}
VERSIONS = ["1.2", "2004"]

TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
DURATION = re.compile(r"^P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?)?$")
TIMESTAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,2})?Z$")
CHOICE_2004 = re.compile(r"^[\w.]{1,250}(\[,\][\w.]{1,250})*$")
RESPONSES_12 = {
    "choice": re.compile(r"^[0-9a-z](,[0-9a-z])*$"),
    "likert": re.compile(r"^[0-9a-z]$"),
    "numeric": re.compile(r"^-?\d+(\.\d+)?$"),
    "true-false": re.compile(r"^[01tf]$"),
}
RESPONSES_2004 = {
    "choice": CHOICE_2004,
    "likert": re.compile(r"^[\w.]{1,250}$"),
    "numeric": re.compile(r"^-?\d+(\.\d{1,7})?$"),
    "true-false": re.compile(r"^(true|false)$"),
}

# Walk a case from its start: save on each point, decide, follow `next`; then score the
# path and finish, as the app does.
WALK_CASE = """async (host, { start, choose }) => {
  const path = [];
  let point = start;
  while (point !== "end") {
    await host.save(JSON.stringify({ path }), { location: point, progress: path.length / 10 });
    const decision = await host.decide(point, choose[point], path.map((x) => [...x]));
    path.push([point, choose[point]]);
    point = decision.next;
  }
  const result = await host.score(Object.fromEntries(path));
  await host.save(JSON.stringify({ path, done: true }), { location: "debrief", progress: 1 });
  await host.finish(result);
  return { path, result };
}"""

# Answer a questionnaire, save section by section, score and finish.
ANSWER_ALL = """async (host, { answers, sections }) => {
  for (const [k, section] of sections.entries()) {
    await host.save(JSON.stringify({ k }), { location: section, progress: k / sections.length });
  }
  const result = await host.score(answers);
  await host.finish(result);
  return result;
}"""


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundles")
    for name, (course, module) in MODULES.items():
        (folder / f"{name}.json").write_text(build_bundle(CONTENT, course, module, "en").json())
    return folder


@pytest.fixture
def lms(page, serve, bundle_dir):
    commits = Commits()
    mounts = {
        "/player/": REPO / "player",
        "/node_modules/": REPO / "node_modules",
        "/tests/": REPO / "tests",
        "/data/": bundle_dir,
    }
    return Lms(page, serve(mounts, routes={("POST", "/commit"): commits}), commits)


def choices(bundle, seed):
    rng = random.Random(seed)
    return {p["id"]: rng.choice(p["options"])["id"] for p in bundle["case"]["points"]}


def random_answers(bundle, seed):
    """An answer to every item of an instrument bundle, drawn with ``seed``."""
    rng = random.Random(seed)
    out = {}
    for item in bundle["instrument"]["items"]:
        kind = item["type"]
        if kind == "likert":
            out[item["id"]] = rng.randint(1, item["points"])
        elif kind in ("single_choice", "situational"):
            out[item["id"]] = rng.choice(item["options"])["id"]
        elif kind == "multiple_choice":
            out[item["id"]] = [o["id"] for o in item["options"] if rng.random() < 0.5]
        elif kind == "numeric":
            low = item["min"] if item["min"] is not None else 0
            high = item["max"] if item["max"] is not None else low + 1000
            value = rng.uniform(low, high)
            out[item["id"]] = round(value) if item["integer"] else round(value, 2)
        elif kind == "boolean":
            out[item["id"]] = rng.random() < 0.5
    return out


def interactions(cmi, count_of):
    """The interactions in a flattened CMI: ``[{id, type, ...}]`` by index."""
    found = {}
    for key, value in cmi.items():
        m = re.match(r"^cmi\.interactions\.(\d+)\.([a-z_]+)$", key)
        if m:
            found.setdefault(int(m[1]), {})[m[2]] = value
    assert sorted(found) == list(range(len(found))), "interactions are numbered from 0"
    assert len(found) == count_of
    return [found[n] for n in sorted(found)]


def objectives(cmi):
    found = {}
    for key, value in cmi.items():
        m = re.match(r"^cmi\.objectives\.(\d+)\.(.+)$", key)
        if m:
            found.setdefault(int(m[1]), {})[m[2]] = value
    return {o["id"]: o for o in found.values()}


def set_values(lms, element):
    return [entry[2] for entry in lms.log() if entry[0] == "set" and entry[1] == element]


def raw(score):
    return f"{round(score * 100, 2):g}"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_whole_case_path_reaches_the_runtime(lms, version):
    bundle = BUNDLES["case"]
    lms.launch(version, "/data/case.json")
    run = lms.call(WALK_CASE, {"start": bundle["case"]["start"], "choose": choices(bundle, 7)})
    path = [tuple(step) for step in run["path"]]
    _, module = find_module(CONTENT, *MODULES["case"])
    engine = case_result(module.model, path).to_json()
    assert abs(run["result"]["overall"]["score"] - engine["overall"]["score"]) <= 1e-9
    score = engine["overall"]["score"]
    passed = score >= bundle["module"]["mastery_score"] - 1e-9
    cmi = lms.commits.last()
    decisions = {p: o for p, o in path}
    points = {p["id"]: p for p in bundle["case"]["points"]}
    keys = bundle["keys"]["decisions"]
    records = interactions(cmi, len(path))
    assert [r["id"] for r in records] == [p for p, _ in path]
    for r in records:
        option_ids = [o["id"] for o in points[r["id"]]["options"]]
        chosen = decisions[r["id"]]
        expected = keys[r["id"]][chosen]["score"]
        assert r["type"] == "choice"
        if version == "1.2":
            assert r["student_response"] == "0123456789"[option_ids.index(chosen)]
            assert r["result"] == {1.0: "correct", 0.0: "wrong"}.get(expected, f"{expected:g}")
            assert TIMESPAN_12.match(r["latency"])
        else:
            assert r["learner_response"] == chosen.replace("-", "_")
            assert CHOICE_2004.match(r["learner_response"])
            assert r["result"] == {1.0: "correct", 0.0: "incorrect"}.get(expected, f"{expected:g}")
            assert DURATION.match(r["latency"])
            assert TIMESTAMP_2004.match(r["timestamp"])
    objs = objectives(cmi)
    assert set(objs) == {c["id"] for c in bundle["case"]["competencies"]}
    mastery = bundle["module"]["mastery_score"]
    for comp, measure in engine["dimensions"].items():
        got = measure["score"]
        verdict = None if got is None else ("passed" if got >= mastery - 1e-9 else "failed")
        if version == "1.2":
            assert objs[comp]["status"] == (verdict or "not attempted")
            if verdict:
                assert objs[comp]["score.raw"] == raw(got)
        elif verdict is None:
            assert objs[comp]["completion_status"] == "not attempted"
        else:
            assert abs(float(objs[comp]["score.scaled"]) - got) <= 1e-7
            assert objs[comp]["success_status"] == verdict
    if version == "1.2":
        assert cmi["cmi.core.score.raw"] == raw(score)
        assert (cmi["cmi.core.score.min"], cmi["cmi.core.score.max"]) == ("0", "100")
        assert cmi["cmi.core.lesson_status"] == ("passed" if passed else "failed")
        assert cmi["cmi.core.exit"] == ""
        assert all(TIMESPAN_12.match(v) for v in set_values(lms, "cmi.core.session_time"))
    else:
        assert abs(float(cmi["cmi.score.scaled"]) - score) <= 1e-7
        assert cmi["cmi.score.raw"] == raw(score)
        assert cmi["cmi.completion_status"] == "completed"
        assert cmi["cmi.success_status"] == ("passed" if passed else "failed")
        assert cmi["cmi.progress_measure"] == "1"
        assert cmi["cmi.exit"] == "normal"
        assert all(DURATION.match(v) for v in set_values(lms, "cmi.session_time"))
    assert '"done":true' in cmi["cmi.suspend_data"]
    assert lms.problems() == []
    assert lms.page.errors == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name", ["self-test", "label"])
def test_every_item_of_an_instrument_reaches_the_runtime(lms, version, name):
    bundle = BUNDLES[name]
    answers = random_answers(bundle, 11)
    sections = [s["id"] for s in bundle["instrument"]["sections"]]
    lms.launch(version, f"/data/{name}.json")
    result = lms.call(ANSWER_ALL, {"answers": answers, "sections": sections})
    cmi = lms.commits.last()
    items = {i["id"]: i for i in bundle["instrument"]["items"]}
    records = interactions(cmi, len(answers))
    assert [r["id"] for r in records] == [i["id"] for i in bundle["instrument"]["items"]]
    responses = RESPONSES_12 if version == "1.2" else RESPONSES_2004
    for r in records:
        item = items[r["id"]]
        expected_type = {"likert": "likert", "numeric": "numeric", "boolean": "true-false"}.get(
            item["type"], "choice"
        )
        assert r["type"] == expected_type
        response = r["student_response"] if version == "1.2" else r["learner_response"]
        assert responses[expected_type].match(response), (r["id"], response)
        if item["type"] == "likert":
            assert response == str(answers[r["id"]])
            assert r["result"] == "neutral"
        if item["type"] == "numeric":
            assert float(response) == pytest.approx(answers[r["id"]])
    objs = objectives(cmi)
    tops = [d["id"] for d in bundle["instrument"]["dimensions"]]
    assert set(objs) == set(tops)
    overall = result["overall"]["score"]
    if version == "1.2":
        assert cmi["cmi.core.lesson_status"] == "completed", "an ungraded module is completed"
        assert cmi["cmi.core.score.raw"] == raw(overall)
        for top in tops:
            assert objs[top]["status"] == "completed"
    else:
        assert cmi["cmi.completion_status"] == "completed"
        assert cmi["cmi.success_status"] == "unknown", "an ungraded module has no success status"
        assert abs(float(cmi["cmi.score.scaled"]) - overall) <= 1e-7
        for top in tops:
            assert (
                abs(float(objs[top]["score.scaled"]) - result["dimensions"][top]["score"]) <= 1e-7
            )
    assert lms.problems() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_the_score_is_set_before_the_status(lms, version):
    bundle = BUNDLES["case"]
    lms.launch(version, "/data/case.json")
    lms.call(WALK_CASE, {"start": bundle["case"]["start"], "choose": choices(bundle, 3)})
    log = [entry for entry in lms.log() if entry[0] == "set"]
    prefix = "cmi.core.score." if version == "1.2" else "cmi.score."
    verdicts = {
        "1.2": {("cmi.core.lesson_status", "passed"), ("cmi.core.lesson_status", "failed")},
        "2004": {
            ("cmi.completion_status", "completed"),
            ("cmi.success_status", "passed"),
            ("cmi.success_status", "failed"),
        },
    }[version]
    scores = [i for i, (_, element, _) in enumerate(log) if element.startswith(prefix)]
    statuses = [i for i, (_, element, value) in enumerate(log) if (element, value) in verdicts]
    assert scores and statuses
    assert max(scores) < min(statuses)


def test_scorm12_passed_means_completed_and_the_lms_mastery_score_decides(lms):
    lms.launch("1.2", "/data/case.json")
    lms.call("async (host) => host.finish({overall: {score: 0.65}, dimensions: {}})")
    cmi = lms.cmi()
    assert cmi["cmi.core.lesson_status"] == "passed"
    assert cmi["cmi.core.score.raw"] == "65"
    # the same score against the manifest's adlcp:masteryscore of 80 fails
    lms.launch("1.2", "/data/case.json", saved={"cmi.student_data.mastery_score": "80"})
    lms.call("async (host) => host.finish({overall: {score: 0.65}, dimensions: {}})")
    assert lms.cmi()["cmi.core.lesson_status"] == "failed"


@pytest.mark.parametrize("version", VERSIONS)
def test_quit_half_way_and_relaunch_resumes(lms, version):
    bundle = BUNDLES["case"]
    state = "v1|" + "x" * 3000  # a learner state of realistic size
    lms.launch(version, "/data/case.json")
    start = bundle["case"]["start"]
    first = next(p for p in bundle["case"]["points"] if p["id"] == start)["options"][0]["id"]
    lms.call(
        "async (host, a) => { await host.decide(a.start, a.option, []);"
        " await host.save(a.state, {location: a.start, progress: 0.2}); }",
        {"start": start, "state": state, "option": first},
    )
    lms.leave()
    exit_element = "cmi.core.exit" if version == "1.2" else "cmi.exit"
    committed = lms.commits.wait_for(
        lambda c: c.get(exit_element) == "suspend" and c.get("cmi.suspend_data") == state
    )

    lms.launch(version, "/data/case.json", saved=relaunch_cmi(version, committed))
    assert lms.call("async (host) => host.load()") == state
    assert lms.call("async (host) => host.location") == start
    # the next decision is recorded after the one of the first session
    second = bundle["keys"]["decisions"][start][first]["next"]
    option = next(p for p in bundle["case"]["points"] if p["id"] == second)["options"][0]["id"]
    lms.call(
        "async (host, a) => host.decide(a.point, a.option, [])", {"point": second, "option": option}
    )
    cmi = lms.cmi()
    assert cmi["cmi.interactions.0.id"] == start
    assert cmi["cmi.interactions.1.id"] == second
    assert lms.problems() == []


@pytest.mark.parametrize("version", VERSIONS)
def test_leaving_the_page_commits_and_ends_the_session(lms, version):
    lms.launch(version, "/data/case.json")
    lms.call("async (host) => host.save('v1|last words', {location: 'first-weeks', progress: 0.1})")
    lms.leave()
    names = [entry[0] for entry in lms.log()]
    assert names[-1] == ("LMSFinish" if version == "1.2" else "Terminate")
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    committed = lms.commits.wait_for(
        lambda c: c.get("cmi.suspend_data") == "v1|last words" and c.get(location) == "first-weeks"
    )
    assert committed[("cmi.core.exit" if version == "1.2" else "cmi.exit")] == "suspend"


@pytest.mark.parametrize("version", VERSIONS)
def test_an_api_that_comes_a_second_late_is_found(lms, version):
    lms.launch(version, "/data/case.json", delay_ms=1000)
    assert lms.call("async (host) => host.recording") is True
    names = [entry[0] for entry in lms.log()]
    assert names.index("api-ready") < names.index(
        "LMSInitialize" if version == "1.2" else "Initialize"
    )
    assert lms.frame.evaluate("document.getElementById('status').textContent") == "recording"


def test_without_an_lms_the_content_runs_in_marked_preview_mode(lms):
    lms.launch("1.2", "/data/case.json", wait=300, api=False)
    assert lms.call("async (host) => host.recording") is False
    assert lms.frame.evaluate("document.getElementById('status').textContent") == "preview"
    lms.call("async (host) => host.save('v1|mem', {location: 'x'})")
    assert lms.call("async (host) => host.load()") == "v1|mem"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_refused_set_value_loses_nothing(lms, version):
    lms.launch(version, "/data/case.json")
    lms.wait_ready()
    lms.page.evaluate("lms.refuseSets('cmi.suspend_data', 101, 1)")
    lms.call("async (host) => host.save('v1|first', {location: 'first-weeks', progress: 0.1})")
    problems = lms.problems()
    assert len(problems) == 1 and "cmi.suspend_data" in problems[0] and "101" in problems[0]
    assert lms.cmi()["cmi.suspend_data"] == ""
    lms.call("async (host) => host.save('v1|second', {location: 'board-meeting', progress: 0.2})")
    cmi = lms.commits.last()
    assert cmi["cmi.suspend_data"] == "v1|second"
    location = "cmi.core.lesson_location" if version == "1.2" else "cmi.location"
    assert cmi[location] == "board-meeting"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_refused_commit_is_reported_and_committed_again(lms, version):
    lms.launch(version, "/data/case.json")
    lms.wait_ready()
    lms.commits.refusing = 1
    lms.call("async (host) => host.finish({overall: {score: 0.9}, dimensions: {}})")
    problems = lms.problems()
    assert len(problems) == 1 and "committing" in problems[0]
    status = "cmi.core.lesson_status" if version == "1.2" else "cmi.completion_status"
    assert lms.commits.last().get(status) != ("passed" if version == "1.2" else "completed")
    lms.call("async (host) => host.save('v1|after', {location: 'debrief', progress: 1})")
    assert lms.commits.last()[status] == ("passed" if version == "1.2" else "completed")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_page_put_in_the_back_forward_cache_ends_the_session(lms, version):
    # Entering the back-forward cache fires pagehide (persisted) and no unload.
    lms.launch(version, "/data/case.json")
    lms.call("async (host) => host.save('v1|cached', {location: 'first-weeks', progress: 0.1})")
    lms.frame.evaluate(
        "() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))"
    )
    names = [entry[0] for entry in lms.log()]
    assert names[-2:] == (
        ["LMSCommit", "LMSFinish"] if version == "1.2" else ["Commit", "Terminate"]
    )
    lms.commits.wait_for(lambda c: c.get("cmi.suspend_data") == "v1|cached")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_hidden_page_commits_and_keeps_the_session(lms, version):
    lms.launch(version, "/data/case.json")
    lms.call(
        "async (host) => host.save('v1|tab switched', {location: 'first-weeks', progress: 0.1})"
    )
    before = len(lms.commits.payloads)
    lms.frame.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    names = [entry[0] for entry in lms.log()]
    assert names[-1] == ("LMSCommit" if version == "1.2" else "Commit")
    assert len(lms.commits.payloads) == before + 1
    assert lms.call("async (host) => host.recording") is True
