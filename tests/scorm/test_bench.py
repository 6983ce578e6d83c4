"""The package benchmark runs and prints its figures (their values are not asserted)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_scorm_bench_prints_one_json_line_with_every_figure():
    done = subprocess.run(
        [sys.executable, "-W", "error", str(ROOT / "bench" / "scorm.py"), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    (line,) = done.stdout.splitlines()
    figures = json.loads(line)
    assert figures["quick"] is True and figures["packages"] == 72
    for key in (
        "build_all_s",
        "validate_s",
        "player_s",
        "max_package_kb",
        "first_render_ms",
        "js_score_ms",
        "js_evaluate_ms",
    ):
        assert figures[key] > 0, key
    assert figures["validate_s"] + figures["player_s"] < figures["build_all_s"]
