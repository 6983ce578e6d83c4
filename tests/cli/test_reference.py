"""``cluster-excellence reference generate`` and ``reference import``."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from clusterexcellence.cli.reference import register
from clusterexcellence.courses.population.bundled import bundled_reference_path

from ..engine.test_reference import GOOD, HEADER


@pytest.fixture()
def cli():
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Test root."""

    return app


def test_cli_generate_writes_the_files(tmp_path, cli):
    out = tmp_path / "ref"
    result = CliRunner().invoke(
        cli,
        [
            "reference",
            "generate",
            "--out",
            str(out),
            "--seed",
            "3",
            "--organisations",
            "40",
            "--managers",
            "30",
        ],
    )
    assert result.exit_code == 0, result.output
    meta = (out / "metadata.json").read_text(encoding="utf-8")
    assert '"synthetic": true' in meta and '"seed": 3' in meta
    assert len((out / "organisations.csv").read_text().splitlines()) == 41
    assert len((out / "managers.csv").read_text().splitlines()) == 31


def test_cli_import_summarises_a_valid_file(cli):
    result = CliRunner().invoke(cli, ["reference", "import", str(bundled_reference_path())])
    assert result.exit_code == 0, result.output
    # Rich wraps the summary at the console width (a long checkout path moves the break).
    summary = " ".join(result.output.split())
    assert "1300 unit(s), 43 measure(s) — valid" in summary


def test_cli_import_lists_every_error_and_exits_1(tmp_path, cli):
    path = tmp_path / "bad.csv"
    path.write_text(
        f"{HEADER}\n{GOOD}\ncmo-2,space,DE,small,bronze,-1,4.5,2,0.8,0.75\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["reference", "import", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3: column 'portfolio'" in result.output
    assert f"{path}:3: column 'b-members-total'" in result.output
    assert "2 problem(s)" in result.output


def test_cli_import_refuses_an_unknown_instrument(cli):
    args = ["reference", "import", str(bundled_reference_path()), "--instrument", "nope"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "no instrument 'nope'" in " ".join(result.output.split())
