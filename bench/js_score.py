"""The player's scoring speed in JavaScript, printed as one JSON object.

Run: ``.venv/bin/python bench/js_score.py`` (``--quick`` for a smaller run). Figures:

- ``js_score_ms``: one learner of the label self-assessment scored in node by the
  player's ``scoreLocally`` (the scoring spec's evaluator and the result JSON: what a
  SCORM or cmi5 host's ``score`` costs in the browser), the mean over a batch of random
  answer sets (10 % unanswered), best of several rounds;
- ``js_evaluate_ms``: the same for the evaluator alone (``evaluate``);
- ``items``: items of the instrument; ``learners``: answer sets per round.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.courses.loader import load_content
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.engine.examples import random_answers
from clusterexcellence.player.bundle import build_bundle

HERE = Path(__file__).parent
MODULE = "label-self-assessment"


def figures(*, quick: bool = False) -> dict:
    """The figures above (``bench/scorm.py`` prints them with the package figures)."""
    node = shutil.which("node")
    if node is None:
        sys.exit("node is needed (Node 20)")
    learners, rounds = (200, 3) if quick else (2000, 7)
    bundle = build_bundle(load_content(CONTENT_ROOT), MODULE, MODULE, "en").data
    answers = random_answers(find_instrument(MODULE), learners, np.random.default_rng(2026))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.json"
        src.write_text(json.dumps({"bundle": bundle, "answers": answers, "rounds": rounds}))
        done = subprocess.run(
            [node, str(HERE / "js_score.mjs"), str(src)], capture_output=True, text=True, check=True
        )
    out = json.loads(done.stdout)
    out.update(items=len(bundle["instrument"]["items"]), learners=learners)
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer learners and rounds")
    args = parser.parse_args(argv)
    out = figures(quick=args.quick)
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
