"""Every item type of the engine has a view in the player (``ITEM_VIEWS`` of
``views/questionnaire.js``); ``tests/e2e/test_player_questionnaire.py`` renders and
answers each of them in Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from clusterexcellence.engine.items import ITEM_TYPES

VIEWS = (
    Path(__file__).resolve().parents[2] / "player" / "static" / "js" / "views" / "questionnaire.js"
)


def test_every_item_type_of_the_engine_has_a_view_in_the_player():
    node = shutil.which("node")
    assert node, "node is needed for the player's tests"
    script = (
        f"import({json.dumps(VIEWS.as_uri())})"
        ".then(m => console.log(JSON.stringify(Object.keys(m.ITEM_VIEWS))))"
    )
    out = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    assert set(json.loads(out.stdout)) == set(ITEM_TYPES)
