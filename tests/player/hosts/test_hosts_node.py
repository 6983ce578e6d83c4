"""The player's LMS hosts (SCORM 1.2, SCORM 2004, cmi5) under node's test runner, against
fake API objects and a fake LRS: call order, data formats, error handling. One pytest
test per node test file, so that ``make test`` runs them and names the failing file."""

import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).parent
FILES = sorted(HERE.glob("*.test.mjs"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_node_suite_passes(path):
    node = shutil.which("node")
    assert node, "node is needed for the player's tests (Node 20: see .ci/run)"
    run = subprocess.run(
        [node, "--test", "--test-reporter=tap", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    failed = [line for line in run.stdout.splitlines() if line.startswith("not ok")]
    assert run.returncode == 0, "\n".join(failed) + "\n" + run.stdout[-4000:] + run.stderr[-2000:]
