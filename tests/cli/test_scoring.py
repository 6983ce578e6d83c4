"""The scoring commands (score, spec, schema, analyse) of the real program."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine import compile_instrument, encode_rows, label_report, score
from clusterexcellence.engine.examples import random_answers
from clusterexcellence.engine.psychometrics import cronbach_alpha
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


def test_analyse_reports_alpha_per_scale_and_item_statistics(tmp_path):
    ins = find_instrument("competency-self-test")
    rows = random_answers(ins, 120, np.random.default_rng(4), missing=0.1)
    write_responses(tmp_path / "in.csv", ins, rows)
    result = runner.invoke(
        app, ["analyse", "competency-self-test", str(tmp_path / "in.csv"), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["respondents"] == 120
    c = compile_instrument(ins)
    S = score(encode_rows(c, rows), c).item_scores
    cols = c.scale_items()["strategy"]
    assert report["scales"]["strategy"]["alpha"] == pytest.approx(
        cronbach_alpha(S[:, cols]).alpha, abs=1e-4
    )
    first = report["items"][c.item_ids[0]]
    assert first["difficulty"] == pytest.approx(np.nanmean(S[:, 0]), abs=1e-4)
    human = runner.invoke(app, ["analyse", "competency-self-test", str(tmp_path / "in.csv")])
    assert human.exit_code == 0 and "Scales (120 respondents)" in human.output


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("folder", "is a folder; give a file name to write"),
        ("file.txt/out.csv", "file.txt is a file, not a folder"),
        ("missing/out.csv", "folder"),
    ],
)
@pytest.mark.parametrize("command", ["score", "spec"])
def test_a_bad_output_path_is_one_line_and_leaves_nothing(tmp_path, target, message, command):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "in.csv").write_text("respondent_id,sjt-strategy-1\nann,a\n")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    args = [command, "competency-self-test"]
    args += [str(tmp_path / "in.csv")] if command == "score" else []
    result = runner.invoke(app, [*args, "-o", str(tmp_path / target)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ") and message in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_responses_file_that_is_not_utf8_is_one_line(tmp_path):
    (tmp_path / "in.csv").write_bytes(b"respondent_id,sjt-strategy-1\nann,a\nb\xe9a,b\n")
    args = ["score", "competency-self-test", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o")]
    for command in (args, ["analyse", *args[1:3]]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        where = f"{tmp_path / 'in.csv'}:3"
        assert result.output == f"error: {where}: not valid UTF-8 (invalid continuation byte); " + (
            "save the file as UTF-8\n"
        )
    assert not (tmp_path / "o").exists()


def test_an_out_of_range_answer_names_file_and_line(tmp_path):
    (tmp_path / "in.csv").write_text(
        "respondent_id,sr-strategy-regional-analysis-1\nann,3\n\nbob,7\n"
    )
    args = ["score", "competency-self-test", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o")]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    item = "sr-strategy-regional-analysis-1"
    assert (
        f"{tmp_path / 'in.csv'}:4: respondent 'bob', item '{item}': answer 7 is outside 1..5"
        in (result.output)
    )
    assert not (tmp_path / "o").exists()


def test_messages_stay_on_one_line_however_long_the_path(tmp_path):
    deep = tmp_path.joinpath(*["a-rather-long-folder-name"] * 8)
    deep.mkdir(parents=True)
    (deep / "in.csv").write_text("respondent_id,sjt-strategy-1\nann,zz\n")
    args = ["score", "competency-self-test", str(deep / "in.csv"), "-o", str(deep / "o.csv")]
    result = runner.invoke(app, args, env={"COLUMNS": "40"})
    assert result.exit_code == 1
    assert f"{deep / 'in.csv'}:2: respondent 'ann'" in result.output
    assert result.output.count("\n") == 1
