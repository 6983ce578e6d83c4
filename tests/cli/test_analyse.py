import json

import numpy as np
import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.analyse import scale_items
from clusterexcellence.cli.main import app
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine import compile_instrument, encode_rows, score
from clusterexcellence.engine.examples import random_answers
from clusterexcellence.engine.psychometrics import cronbach_alpha

from .test_engine_commands import write_responses


def test_scales_cover_the_items_of_their_leaves():
    c = compile_instrument(find_instrument("competency-self-test"))
    scales = scale_items(c)
    area = scales["strategy"]
    kids = [d for d in c.dimension_ids if d.startswith("strategy.")]
    assert sorted(sum((scales[k] for k in kids), [])) == area
    assert all(c.item_ids[j].split("-")[1] == "strategy" for j in area)


def test_analyse_reports_alpha_per_scale_and_item_statistics(tmp_path):
    ins = find_instrument("competency-self-test")
    rows = random_answers(ins, 120, np.random.default_rng(4), missing=0.1)
    write_responses(tmp_path / "in.csv", ins, rows)
    result = CliRunner().invoke(
        app, ["analyse", "competency-self-test", str(tmp_path / "in.csv"), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["respondents"] == 120
    c = compile_instrument(ins)
    S = score(encode_rows(c, rows), c).item_scores
    cols = scale_items(c)["strategy"]
    assert report["scales"]["strategy"]["alpha"] == pytest.approx(
        cronbach_alpha(S[:, cols]).alpha, abs=1e-4
    )
    first = report["items"][c.item_ids[0]]
    assert first["difficulty"] == pytest.approx(np.nanmean(S[:, 0]), abs=1e-4)
    human = CliRunner().invoke(app, ["analyse", "competency-self-test", str(tmp_path / "in.csv")])
    assert human.exit_code == 0 and "Scales (120 respondents)" in human.output
