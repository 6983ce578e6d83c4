"""``cluster-excellence schema``: JSON Schemas of content files."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses.schemas import content_schemas


def test_content_schemas_describe_course_framework_and_case():
    schemas = content_schemas()
    assert set(schemas) == {"course", "framework", "case"}
    assert set(schemas["course"]["required"]) >= {"id", "title", "languages", "modules"}
    assert schemas["case"]["additionalProperties"] is False
    assert "decisions" in schemas["case"]["properties"]


def test_schema_command_writes_every_schema(tmp_path):
    result = CliRunner().invoke(app, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert {"case.schema.json", "course.schema.json", "framework.schema.json"} <= set(names)
    json.loads((tmp_path / "case.schema.json").read_text(encoding="utf-8"))
