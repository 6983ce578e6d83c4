import csv

from typer.testing import CliRunner

from clusterexcellence.cli.main import app


def test_demo_runs_end_to_end_and_writes_its_outputs(tmp_path):
    dist = tmp_path / "dist"
    result = CliRunner().invoke(
        app, ["demo", "--out", str(tmp_path), "--respondents", "50", "--dist", str(dist)]
    )
    assert result.exit_code == 0, result.output
    assert "1. Validate the bundled courses" in result.output
    assert "ready for:" in result.output and "percentile" in result.output
    # Step 5: the API on SQLite with a demo client, over HTTP, stopped at the end.
    assert "POST /results → 201" in result.output and "GET /results/{id}/xapi" in result.output
    assert (tmp_path / "api.db").exists()
    assert (tmp_path / "api-token.txt").read_text().startswith("cex_")
    rows = list(csv.DictReader((tmp_path / "self-test-scores.csv").read_text().splitlines()))
    assert len(rows) == 50 and all(r["overall"] for r in rows)
    # Step 6: every package of every course, in the three formats.
    for fmt in ("scorm12", "scorm2004", "cmi5"):
        packages = sorted(p.name for p in (dist / fmt).glob("*.zip"))
        assert "case-studies.en.zip" in packages and "case-studies.fr.zip" in packages
        assert "case-studies--governance-conflict.fr.zip" in packages
        assert len(packages) == 24, packages
        assert f"{len(packages)} packages in" in result.output


def test_the_demo_builds_its_packages_without_the_official_schemas_beside_it(tmp_path, monkeypatch):
    """A checkout alone (no ../shared): the packages are built, their manifests get every
    check but the schemas', and the demo says so."""
    from clusterexcellence.cli.demo import build_packages
    from clusterexcellence.courses.paths import CONTENT_ROOT
    from clusterexcellence.courses.validate import validate_content

    monkeypatch.setenv("CLUSTEREXCELLENCE_SCORM_SCHEMAS", str(tmp_path / "missing"))
    build_packages(validate_content(CONTENT_ROOT).content, tmp_path / "dist")
    for fmt in ("scorm12", "scorm2004", "cmi5"):
        assert len(list((tmp_path / "dist" / fmt).glob("*.zip"))) == 24
