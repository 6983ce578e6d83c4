"""The player's JavaScript evaluator gives the engine's numbers: the proof that a score is
the same in every LMS. For every bundled instrument and case, thousands of random answer
sets (unanswered items included) are scored by the engine and by the evaluator in node."""

import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from clusterexcellence.courses.decisions import case_instrument
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.engine import compile_instrument, score_answers, scoring_spec
from clusterexcellence.engine.examples import random_answers, random_instrument

HERE = Path(__file__).parent
ANSWER_SETS = 1_000
TOLERANCE = 1e-9


def bundled_instruments():
    found = {m: find_instrument(m) for m in ("competency-self-test", "label-self-assessment")}
    for module in load_content(CONTENT_ROOT).modules():
        if module.kind == "case":
            found[module.id] = case_instrument(module.model)
    return found


INSTRUMENTS = bundled_instruments()


def run_node(spec: dict, answers: list[dict], tmp_path: Path, **about) -> list[dict]:
    """The JS evaluator's output for each answer set; with ``about=``, result.js's JSON."""
    node = shutil.which("node")
    assert node, "node is needed for the player's tests (Node 20: see .ci/run)"
    src, out = tmp_path / "in.json", tmp_path / "out.json"
    src.write_text(json.dumps({"spec": spec, "answers": answers, **about}))
    subprocess.run([node, str(HERE / "parity.mjs"), str(src), str(out)], check=True)
    return json.loads(out.read_text())


def close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isfinite(a) and abs(a - b) <= TOLERANCE


def level_index(level_id, ids) -> int:
    return -1 if level_id is None else ids.index(level_id)


def assert_same(engine, js, compiled):
    levels = compiled.level_ids
    assert close(engine.overall.score, js["overall"]["score"])
    assert close(engine.overall.coverage, js["overall"]["coverage"])
    assert level_index(engine.overall.level, levels) == js["overall"]["level"]
    assert close(engine.answered_share, js["answered_share"])
    for d in engine.dimensions:
        got = js["dimensions"][d.id]
        assert close(d.score, got["score"]) and close(d.coverage, got["coverage"]), d.id
        assert level_index(d.level, levels) == got["level"], d.id
    for item_id, s in engine.items.items():
        assert close(s, js["items"][item_id]), item_id
    if engine.label is None:
        assert js["label"] is None
        return
    lab, got = engine.label, js["label"]
    assert close(lab.points, got["points"]) and close(lab.ratio, got["ratio"])
    assert close(lab.max_points, got["max_points"])
    assert level_index(lab.level, compiled.label.level_ids) == got["level"]
    assert list(lab.indicators_met) == got["indicators_met"]
    assert list(lab.requirements_met) == got["requirements_met"]
    assert [g.indicator for g in lab.gaps] == got["gaps"]
    for check, js_check in zip(lab.levels, got["levels"], strict=True):
        assert check.reachable == js_check["reachable"]
        failed = [r.requirement for r in check.reasons if r.kind == "requirement"]
        assert failed == js_check["requirements_failed"]
        assert any(r.kind == "ratio" for r in check.reasons) != js_check["ratio_ok"]
        assert any(r.kind == "coverage" for r in check.reasons) != js_check["coverage_ok"]


@pytest.mark.parametrize("name", list(INSTRUMENTS))
def test_the_js_evaluator_gives_the_engines_results(name, tmp_path):
    instrument = INSTRUMENTS[name]
    compiled = compile_instrument(instrument)
    rng = np.random.default_rng(sum(map(ord, name)))
    # A spread of missing shares: complete, typical and mostly unanswered answer sets.
    answers = []
    for missing in (0.0, 0.1, 0.3, 0.6, 0.95):
        answers += random_answers(instrument, ANSWER_SETS // 5, rng, missing=missing)
    answers.append({})
    engine = score_answers(compiled, answers)
    js = run_node(scoring_spec(instrument), answers, tmp_path)
    assert len(js) == len(engine) == ANSWER_SETS + 1
    for e, j in zip(engine, js, strict=True):
        assert_same(e, j, compiled)


def test_the_js_evaluator_gives_the_engines_results_on_random_instruments(tmp_path):
    rng = np.random.default_rng(2026)
    for _ in range(8):  # every item type, mode, operator and nesting the engine knows
        instrument = random_instrument(rng, n_items=24, n_areas=4, children=2, with_label=True)
        compiled = compile_instrument(instrument)
        answers = random_answers(instrument, 150, rng, missing=0.3)
        engine = score_answers(compiled, answers)
        for e, j in zip(engine, run_node(scoring_spec(instrument), answers, tmp_path), strict=True):
            assert_same(e, j, compiled)


def test_the_js_evaluator_refuses_what_is_not_a_supported_spec(tmp_path):
    spec = scoring_spec(INSTRUMENTS["competency-self-test"]) | {"version": 99}
    with pytest.raises(subprocess.CalledProcessError):
        run_node(spec, [{}], tmp_path)


def assert_same_json(engine, js, where="result"):
    """Equal JSON trees, numbers within TOLERANCE; ``message`` (English, for logs) aside."""
    if isinstance(engine, dict):
        assert isinstance(js, dict) and set(engine) == set(js), (where, engine, js)
        for key in engine:
            if key != "message":
                assert_same_json(engine[key], js[key], f"{where}.{key}")
    elif isinstance(engine, list):
        assert isinstance(js, list) and len(engine) == len(js), (where, engine, js)
        for k, (a, b) in enumerate(zip(engine, js, strict=True)):
            assert_same_json(a, b, f"{where}[{k}]")
    elif isinstance(engine, bool) or engine is None or isinstance(engine, str):
        assert engine == js, (where, engine, js)
    else:
        assert close(float(engine), js), (where, engine, js)


@pytest.mark.parametrize("name", list(INSTRUMENTS))
def test_result_js_reports_what_the_engine_reports(name, tmp_path):
    """result.js turns the evaluator's output into RespondentResult.to_json(), key by key."""
    from clusterexcellence.player.bundle import build_bundle

    instrument = INSTRUMENTS[name]
    compiled = compile_instrument(instrument)
    rng = np.random.default_rng(sum(map(ord, name)) + 1)
    answers = [{}]
    for missing in (0.0, 0.2, 0.5, 0.9):
        answers += random_answers(instrument, 50, rng, missing=missing)
    engine = [r.to_json() for r in score_answers(compiled, answers)]
    about = None
    if instrument.label is not None:
        content = load_content(CONTENT_ROOT)
        about = build_bundle(content, name, name, "en").data["instrument"]["label"]
    js = run_node(scoring_spec(instrument), answers, tmp_path, about=about)
    for e, j in zip(engine, js, strict=True):
        assert_same_json(e, j)
    if instrument.label is not None:  # the answer sets reach levels, fail and meet rules
        assert {r["label"]["level"] for r in engine} >= {None, "bronze"}
        assert any(g["modules"] for r in engine for g in r["label"]["gaps"])
