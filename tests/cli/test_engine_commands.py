"""The engine commands of the real ``cluster-excellence`` program."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine import compile_instrument, encode_rows, label_report, score
from clusterexcellence.engine.examples import random_answers
from clusterexcellence.engine.responses import write_responses_csv

runner = CliRunner()


def write_responses(path: Path, instrument, rows):
    write_responses_csv(path, instrument, rows, [f"r{r}" for r in range(len(rows))])


@pytest.mark.parametrize("module_id", ["competency-self-test", "label-self-assessment"])
def test_score_command_writes_the_engines_scores(tmp_path, module_id):
    ins = find_instrument(module_id)
    rows = random_answers(ins, 40, np.random.default_rng(1), missing=0.2)
    write_responses(tmp_path / "in.csv", ins, rows)
    result = runner.invoke(
        app,
        ["score", module_id, str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--items"],
    )
    assert result.exit_code == 0, result.output
    c = compile_instrument(ins)
    expected = score(encode_rows(c, rows), c)
    with open(tmp_path / "out.csv") as fh:
        out = list(csv.DictReader(fh))
    assert len(out) == 40
    for r, row in enumerate(out):
        assert row["respondent_id"] == f"r{r}"
        want = expected.overall[r]
        assert (
            (row["overall"] == "")
            if np.isnan(want)
            else float(row["overall"]) == pytest.approx(want, abs=1e-6)
        )
        for d, dim in enumerate(c.dimension_ids):
            lv = expected.dimension_levels[r, d]
            assert row[f"{dim}:level"] == (c.level_ids[lv] if lv >= 0 else "")
        if c.label is not None:
            lv = expected.label.level[r]
            assert row["label_level"] == (c.label.level_ids[lv] if lv >= 0 else "")
            rep = label_report(expected, r)
            assert row["label_gaps"] == " ".join(g.indicator for g in rep.gaps)
            assert float(row["label_points"]) == pytest.approx(rep.points)


def test_bad_answer_fails_with_file_line_and_item_and_writes_nothing(tmp_path):
    ins = find_instrument("competency-self-test")
    (tmp_path / "in.csv").write_text(
        "respondent_id,sr-strategy-regional-analysis-1,sjt-strategy-1\nalice,3,a\nbob,9,b\n"
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["score", "competency-self-test", str(tmp_path / "in.csv"), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert (
        "respondent 'bob', item 'sr-strategy-regional-analysis-1': answer 9 is outside 1..5"
        in result.output
    )
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "in.csv"]
    (tmp_path / "in.csv").write_text("respondent_id,sjt-strategy-1\nalice,z\n")
    result = runner.invoke(
        app, ["score", "competency-self-test", str(tmp_path / "in.csv"), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert (
        "in.csv:2: respondent 'alice', item 'sjt-strategy-1': unknown option 'z'" in result.output
    )
    assert ins.item("sjt-strategy-1").type == "situational"


def test_invalid_answers_can_be_scored_as_missing(tmp_path):
    (tmp_path / "in.csv").write_text("respondent_id,sr-strategy-regional-analysis-1\nbob,9\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "score",
            "competency-self-test",
            str(tmp_path / "in.csv"),
            "-o",
            str(out),
            "--invalid-as-missing",
        ],
    )
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(out.read_text().splitlines()))
    assert row["answered_share"] == "0" and row["overall"] == ""


def test_unknown_column_and_unknown_instrument_are_refused(tmp_path):
    (tmp_path / "in.csv").write_text("respondent_id,not-an-item\nbob,1\n")
    result = runner.invoke(
        app,
        ["score", "competency-self-test", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv")],
    )
    assert (
        result.exit_code == 1
        and "in.csv:1: unknown item 'not-an-item' in the header" in result.output
    )
    result = runner.invoke(
        app, ["score", "no-such-thing", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1 and "no instrument 'no-such-thing'" in result.output


def test_empty_responses_file_gives_a_header_only(tmp_path):
    (tmp_path / "in.csv").write_text("respondent_id,sjt-strategy-1\n")
    result = runner.invoke(
        app,
        ["score", "competency-self-test", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv")],
    )
    assert result.exit_code == 0
    assert (tmp_path / "o.csv").read_text().count("\n") == 1


def test_spec_command_prints_the_versioned_spec():
    result = runner.invoke(app, ["spec", "label-self-assessment"])
    assert result.exit_code == 0
    spec = json.loads(result.output)
    assert spec["format"] == "clusterexcellence.scoring-spec" and spec["version"] == 1
    assert len(spec["label"]["indicators"]) == 31


def test_schema_command_writes_the_instrument_schema(tmp_path):
    result = runner.invoke(app, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    schema = json.loads((tmp_path / "instrument.schema.json").read_text())
    assert "items" in schema["properties"]


def test_benchmark_command_positions_units_among_same_portfolio_peers(tmp_path):
    ref = tmp_path / "ref.csv"
    lines = ["unit_id,portfolio,m"] + [f"u{i},{'ict' if i < 10 else 'food'},{i}" for i in range(13)]
    ref.write_text("\n".join(lines) + "\n")
    units = tmp_path / "units.csv"
    units.write_text("unit_id,portfolio,m\nme,ict,5\nyou,food,11\n")
    out = tmp_path / "pos.csv"
    result = runner.invoke(
        app,
        ["benchmark", str(units), "--reference", str(ref), "--same", "portfolio", "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    rows = {r["unit_id"]: r for r in csv.DictReader(out.read_text().splitlines())}
    assert rows["me"]["percentile"] == "55" and rows["me"]["group_n"] == "10"  # (5 + 0.5) / 10
    assert rows["you"]["percentile"] == "" and "at least 5 are needed" in rows["you"]["withheld"]
    # default excellence group: the top 10 % of the 10 ict peers is one unit (value 9),
    # fewer than k = 5: the gap is withheld too
    assert rows["me"]["excellence_gap"] == "" and "excellence group has 1" in rows["me"]["withheld"]
    result = runner.invoke(
        app,
        ["benchmark", str(units), "--reference", str(ref), "--same", "portfolio", "-o", str(out)]
        + ["--excellence", "top=0.5"],
    )
    assert result.exit_code == 0, result.output
    rows = {r["unit_id"]: r for r in csv.DictReader(out.read_text().splitlines())}
    # top half of 0..9 is 5..9, mean 7: gap = 7 - 5
    assert rows["me"]["excellence_gap"] == "2" and rows["me"]["excellence_n"] == "5"
    assert rows["me"]["withheld"] == ""


def test_benchmark_excellence_group_by_attribute_and_bad_option(tmp_path):
    ref = tmp_path / "ref.csv"
    lines = ["unit_id,label,m"] + [f"u{i},{'gold' if i % 2 else 'none'},{i}" for i in range(12)]
    ref.write_text("\n".join(lines) + "\n")
    units = tmp_path / "units.csv"
    units.write_text("unit_id,label,m\nme,none,4\n")
    out = tmp_path / "pos.csv"
    args = ["benchmark", str(units), "--reference", str(ref), "-o", str(out)]
    result = runner.invoke(app, [*args, "--excellence", "label=gold"])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader(out.read_text().splitlines()))
    assert row["excellence_n"] == "6" and row["excellence_gap"] == "2"  # mean of 1,3,..,11 = 6
    result = runner.invoke(app, [*args, "--excellence", "colour=red"])
    assert result.exit_code == 1 and "excellence group by 'colour'" in result.output
    assert "no such attribute (label)" in result.output
    result = runner.invoke(app, [*args, "--excellence", "gold"])
    assert result.exit_code == 1 and "use top=SHARE or ATTR=VALUE" in result.output


def test_every_subcommand_has_help():
    group = typer.main.get_command(app)
    names = sorted(group.commands)
    assert {"score", "spec", "schema", "benchmark"} <= set(names)
    for name in names:
        cmd = group.commands[name]
        subs = sorted(getattr(cmd, "commands", {})) or [None]
        for sub in subs:
            args = [name, sub, "--help"] if sub else [name, "--help"]
            result = runner.invoke(app, args)
            assert result.exit_code == 0 and "Usage" in result.output, args
            assert (cmd.commands[sub] if sub else cmd).help, args


def test_program_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "clusterexcellence.cli", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0 and "score" in result.stdout


def test_the_first_unreadable_cell_in_file_order_is_reported(tmp_path):
    (tmp_path / "in.csv").write_text(
        "respondent_id,sjt-strategy-1,sjt-strategy-2\nann,a,zz\nbob,yy,a\n"
    )
    result = runner.invoke(
        app,
        ["score", "competency-self-test", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv")],
    )
    assert result.exit_code == 1
    assert "in.csv:2: respondent 'ann', item 'sjt-strategy-2': unknown option 'zz'" in result.output
