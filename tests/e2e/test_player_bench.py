"""The player's benchmark runs and prints its figures (their values are not asserted)."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "player.py"


def test_player_bench_prints_the_first_render_of_each_module():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    figures = json.loads(done.stdout)
    by_module = figures["first_render_ms_by_module"]
    assert set(by_module) == {
        "governance-conflict",
        "competency-self-test",
        "label-self-assessment",
    }
    assert all(ms > 0 for ms in by_module.values())
    assert figures["first_render_ms"] == max(by_module.values())
    assert figures["quick"] is True
