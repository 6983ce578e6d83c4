"""The player's JavaScript, tested in node (``node --test tests/player/js/*.test.mjs``):
the learner state, the text helpers, the screens and the chart geometry. The bundles of
the bundled content are built here and handed to node in a file (``CE_BUNDLES``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.validate import validate_content
from clusterexcellence.player.bundle import build_bundle

HERE = Path(__file__).parent


def content_bundles() -> list[dict]:
    """The bundle of every bundled module in every language it is complete in."""
    content = validate_content(CONTENT_ROOT).content
    return [
        build_bundle(content, course.model.id, module.id, lang).data
        for course in content.courses
        for module in course.modules
        for lang in module.languages
    ]


def test_the_players_javascript_passes_its_node_tests(tmp_path):
    node = shutil.which("node")
    assert node, "node is needed for the player's tests (Node 20)"
    bundles = tmp_path / "bundles.json"
    bundles.write_text(json.dumps(content_bundles()), encoding="utf-8")
    files = sorted(str(p) for p in (HERE / "js").glob("*.test.mjs"))
    assert len(files) >= 3
    run = subprocess.run(
        [node, "--test", *files],
        env={**os.environ, "CE_BUNDLES": str(bundles)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
