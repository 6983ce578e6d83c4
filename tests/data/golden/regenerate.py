"""Regenerate the golden outputs of the scoring path (run from the project root).

    .venv/bin/python tests/data/golden/regenerate.py

The answers CSVs are drawn once from a fixed seed; the spec JSON and scores CSVs are what
``cluster-excellence spec`` and ``cluster-excellence score`` write for them. The files pin
the bytes of those outputs: a refactor must leave them unchanged, and a content change
regenerates them (review the diff). The player bundles of the test content's case pin the
bundle format (``docs/player.md``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
INSTRUMENTS = {"competency-self-test": 300, "label-self-assessment": 120}


def main() -> None:
    from clusterexcellence.courses.instruments import find_instrument
    from clusterexcellence.engine.examples import random_answers
    from clusterexcellence.engine.responses import write_responses_csv

    cli = [sys.executable, "-m", "clusterexcellence.cli"]
    for k, (module_id, n) in enumerate(INSTRUMENTS.items()):
        answers = HERE / f"{module_id}.answers.csv"
        if not answers.exists():
            ins = find_instrument(module_id)
            rows = random_answers(ins, n, np.random.default_rng(100 + k), missing=0.15)
            write_responses_csv(answers, ins, rows, [f"g{r:04d}" for r in range(n)])
        subprocess.run(
            [*cli, "spec", module_id, "-o", str(HERE / f"{module_id}.spec.json")], check=True
        )
        for items in (False, True):
            out = HERE / f"{module_id}.scores{'-items' if items else ''}.csv"
            flags = ["--items"] if items else []
            subprocess.run(
                [*cli, "score", module_id, str(answers), "-o", str(out), *flags], check=True
            )
    cases = case_specs()
    (HERE / "case-specs.json").write_text(json.dumps(cases, indent=2, ensure_ascii=False) + "\n")
    bundles()


def bundles() -> None:
    """The player bundles of the test content's case, with and without answer keys."""
    from clusterexcellence.courses import loader
    from clusterexcellence.player.bundle import build_bundle

    content = loader.load_content(HERE.parent / "content" / "valid")
    for keys in (True, False):
        text = build_bundle(content, "demo", "demo-case", "fr", keys=keys).json()
        name = f"bundle.demo-case.fr{'' if keys else '.nokeys'}.json"
        (HERE / name).write_text(text + "\n", encoding="utf-8")


def case_specs() -> dict:
    """Scoring spec of every bundled case, by case id."""
    from clusterexcellence.courses import decisions, loader, paths
    from clusterexcellence.engine import scoring_spec

    content = loader.load_content(paths.CONTENT_ROOT)
    return {
        m.id: scoring_spec(decisions.case_instrument(m.model))
        for m in content.modules()
        if m.kind == "case"
    }


if __name__ == "__main__":
    main()
