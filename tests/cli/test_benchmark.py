"""The benchmark command of the real program."""

import csv

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app

runner = CliRunner()


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


@pytest.mark.parametrize("k", ["0", "-1", "1"])
def test_k_anonymity_cannot_be_switched_off_from_the_command_line(tmp_path, k):
    units = tmp_path / "units.csv"
    units.write_text("unit_id,m\nme,1\n")
    result = runner.invoke(app, ["benchmark", str(units), "--k", k, "-o", str(tmp_path / "o")])
    assert result.exit_code != 0 and "--k" in result.output
    assert not (tmp_path / "o").exists()


def test_units_get_the_strict_checks_of_reference_data(tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("unit_id,label,m\nme,platinum,1\nme,gold,x\n")
    result = runner.invoke(app, ["benchmark", str(units), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert f"{units}:2: column 'label': 'platinum' is not one of" in result.output
    assert f"{units}:3: column 'unit_id': duplicate unit id 'me'" in result.output
    assert f"{units}:3: column 'm': 'x' is not a number" in result.output
    assert not (tmp_path / "o").exists()


def test_with_an_instrument_the_measure_columns_are_checked_against_it(tmp_path):
    units = tmp_path / "units.csv"
    units.write_text("unit_id,portfolio,b-members-total,dim:nope\nme,ict,-3,0.5\n")
    args = ["benchmark", str(units), "--instrument", "label-self-assessment"]
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "column 'dim:nope': unknown column" in result.output
    assert "column 'b-members-total': -3 is outside [0, 10000]" in result.output
    units.write_text("unit_id,portfolio,b-members-total\nme,ict,120\n")
    result = runner.invoke(app, [*args, "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    row = next(csv.DictReader((tmp_path / "o").read_text().splitlines()))
    assert row["measure"] == "b-members-total" and row["group_n"] == "1300"
