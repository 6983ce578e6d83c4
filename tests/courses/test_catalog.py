"""``cluster-excellence catalog``: figures of the bundled courses."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app

runner = CliRunner()


@pytest.fixture(scope="module")
def catalog() -> dict:
    result = runner.invoke(app, ["catalog", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def modules(catalog) -> dict[str, dict]:
    return {m["id"]: m for c in catalog["courses"] for m in c["modules"]}


def test_catalog_lists_three_courses(catalog):
    assert sorted(c["id"] for c in catalog["courses"]) == [
        "case-studies",
        "competency-self-test",
        "label-self-assessment",
    ]
    assert catalog["problems"] == 0


def test_self_test_figures(catalog):
    m = modules(catalog)["competency-self-test"]
    assert m["kind"] == "instrument" and m["valid"]
    assert m["items"] >= 48
    assert m["items_by_type"]["likert"] >= 32
    assert m["items_by_type"]["situational"] >= 16
    assert m["languages_complete"] == ["en", "fr"]


def test_label_self_assessment_figures(catalog):
    from clusterexcellence.courses.instruments import find_instrument

    m = modules(catalog)["label-self-assessment"]
    assert m["indicators"]["label_indicators"] == 31
    assert m["indicators"]["minimum_requirements"] >= 1
    ins = find_instrument("label-self-assessment")
    assert sum(it.id.startswith("b-") for it in ins.items) == 36
    assert m["items"] == len(ins.items)


def test_every_case_has_its_figures(catalog):
    cases = [m for m in modules(catalog).values() if m["kind"] == "case"]
    assert len(cases) == 7
    for m in cases:
        assert m["words"]["en"] >= 1500, m["id"]
        assert m["exhibits"] >= 2, m["id"]
        assert m["decision_points"] >= 3, m["id"]
        assert m["branching_points"] >= 1, m["id"]
        assert m["items_by_type"] == {"single_choice": m["graded_points"]}
        assert m["languages_complete"] == ["en", "fr"], m["id"]


def test_catalog_table_for_humans():
    result = runner.invoke(app, ["catalog"])
    assert result.exit_code == 0
    assert "catalogue" in result.stdout
