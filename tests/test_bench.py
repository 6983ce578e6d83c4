"""The speed benchmark runs and prints its figures (their values are not asserted)."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent.parent / "bench" / "engine.py"


def test_engine_bench_prints_one_json_object_with_every_figure():
    done = subprocess.run(
        [sys.executable, "-W", "error", str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    figures = json.loads(done.stdout)
    assert figures["respondents"] == 100_000 and figures["items"] == 48
    for key in (
        "score_1m_48_ms",
        "score_1m_48_with_items_ms",
        "python_loop_ratio",
        "positions_1m_vs_100k_ms",
        "peak_mem_ratio",
        "bare_lookup_sum_ms",
    ):
        assert figures[key] > 0, key


def test_api_bench_prints_one_json_object_with_every_figure():
    done = subprocess.run(
        [sys.executable, str(BENCH.parent / "api.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    figures = json.loads(done.stdout)
    for key in ("submit_rps", "p99_ms_at_300rps", "bare_rps", "ratio"):
        assert figures[key] > 0, key
    assert abs(figures["ratio"] - figures["submit_rps"] / figures["bare_rps"]) < 0.002
    assert figures["database"] == "sqlite" and figures["quick"] is True


def test_js_score_bench_prints_one_json_object_with_every_figure():
    done = subprocess.run(
        [sys.executable, str(BENCH.parent / "js_score.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    figures = json.loads(done.stdout)
    assert figures["items"] > 0 and figures["learners"] == 200
    for key in ("js_score_ms", "js_evaluate_ms"):
        assert figures[key] > 0, key
