"""The scoring path's outputs stay byte-identical (golden files in tests/data/golden)."""

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app

GOLDEN = Path(__file__).parents[1] / "data" / "golden"
INSTRUMENTS = ["competency-self-test", "label-self-assessment"]
runner = CliRunner()


@pytest.mark.parametrize("module_id", INSTRUMENTS)
def test_spec_command_writes_the_golden_bytes(tmp_path, module_id):
    out = tmp_path / "spec.json"
    result = runner.invoke(app, ["spec", module_id, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == (GOLDEN / f"{module_id}.spec.json").read_bytes()


@pytest.mark.parametrize("items", [False, True])
@pytest.mark.parametrize("module_id", INSTRUMENTS)
def test_score_command_writes_the_golden_bytes(tmp_path, module_id, items):
    out = tmp_path / "scores.csv"
    answers = GOLDEN / f"{module_id}.answers.csv"
    args = ["score", module_id, str(answers), "-o", str(out)] + (["--items"] if items else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    golden = GOLDEN / f"{module_id}.scores{'-items' if items else ''}.csv"
    assert out.read_bytes() == golden.read_bytes()


def test_case_specs_are_the_golden_ones():
    spec = importlib.util.spec_from_file_location("regenerate", GOLDEN / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.case_specs() == json.loads((GOLDEN / "case-specs.json").read_text())
