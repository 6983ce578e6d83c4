import csv

from typer.testing import CliRunner

from clusterexcellence.cli.main import app


def test_demo_runs_end_to_end_and_writes_its_outputs(tmp_path):
    result = CliRunner().invoke(app, ["demo", "--out", str(tmp_path), "--respondents", "50"])
    assert result.exit_code == 0, result.output
    assert "1. Validate the bundled courses" in result.output
    assert "ready for:" in result.output and "percentile" in result.output
    # Step 5: the API on SQLite with a demo client, over HTTP, stopped at the end.
    assert "POST /results → 201" in result.output and "GET /results/{id}/xapi" in result.output
    assert (tmp_path / "api.db").exists()
    assert (tmp_path / "api-token.txt").read_text().startswith("cex_")
    rows = list(csv.DictReader((tmp_path / "self-test-scores.csv").read_text().splitlines()))
    assert len(rows) == 50 and all(r["overall"] for r in rows)
