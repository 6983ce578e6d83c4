"""``cluster-excellence validate``: one broken fixture per error class, and bundled content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses import validate
from clusterexcellence.courses.files import MAX_CSV_BYTES, MAX_MARKDOWN_BYTES, MAX_YAML_BYTES
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.validate import validate_content, validate_path

DATA = Path(__file__).parent.parent / "data" / "content"
runner = CliRunner()

CASE = "demo-case/module.yaml"
TEST = "demo-test/module.yaml"


def run_validate(path: Path) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["validate", str(path)])
    return result.exit_code, result.stdout.splitlines()


@pytest.mark.parametrize(
    ("fixture", "file", "line", "message"),
    [
        ("yaml-syntax", CASE, 11, "YAML syntax error: mapping values are not allowed here"),
        ("wrong-type", CASE, 8, "duration_minutes: Input should be a valid integer"),
        ("unknown-key", CASE, 9, "unknown key 'durration' in the file"),
        ("unknown-competency", CASE, 7, "unknown competency 'strategy.priority-settings'"),
        ("unknown-module", "course.yaml", 5, "unknown module id 'no-such-module'"),
        ("unknown-module-ref", TEST, 7, "unknown module id 'no-such-case'"),
        ("instrument-error", TEST, 15, "items[0].points: Input should be less than or equal to 11"),
        ("instrument-error", TEST, 16, "unknown key 'colour' in items[0]"),
        ("duplicate-id", CASE, 35, "duplicate decision point id 'first' (first on line 28)"),
        ("missing-next", CASE, 48, "next 'nowhere' of option 'b' in 'second' is no decision point"),
        ("unreachable", CASE, 35, "decision point 'recovery' cannot be reached"),
        ("no-way-out", CASE, 28, "no path from decision point 'first' reaches 'end'"),
        ("no-way-out", CASE, 40, "next 'second' of 'recovery' closes a loop"),
        ("cycle", CASE, 48, "next 'first' of 'second' closes a loop: first → second → first"),
        ("missing-translation", CASE, 3, "missing 'fr' translation of title"),
        ("missing-markdown", CASE, 15, "missing Markdown file sections/context.fr.md"),
        ("exhibit-shape", CASE, 20, "exhibits/figures.fr.csv has 4 rows × 2 columns"),
        ("exhibit-ragged", "demo-case/exhibits/figures.en.csv", 3, "row has 3 cells"),
        ("missing-image", CASE, 23, "missing image 'exhibits/chart-missing.svg'"),
        ("missing-image", "demo-case/sections/context.en.md", 5, "missing image 'img/members.png'"),
        ("unsafe-html", "demo-case/sections/context.en.md", 5, "<script> and its content would be"),
        ("unsafe-html", "demo-case/sections/context.en.md", 7, "javascript: URL in <a href>"),
        ("unsafe-html", "demo-case/sections/context.en.md", 7, "event handler attribute 'onclick'"),
    ],
)
def test_broken_fixture_is_reported_with_file_line_and_message(fixture, file, line, message):
    code, lines = run_validate(DATA / fixture)
    assert code == 1
    wanted = [
        ln
        for ln in lines
        if ln.split(":")[0].endswith(f"{fixture}/{file}") and f":{line}:" in ln and message in ln
    ]
    assert wanted, f"no '{file}:{line}: {message}' in:\n" + "\n".join(lines)
    # Every reported line reads file:line:column: message (hint).
    for ln in lines:
        path, lno, col, rest = ln.split(":", 3)
        assert Path(path).name and int(lno) >= 1 and int(col) >= 1 and rest.strip()
        assert rest.rstrip().endswith(")")


def test_every_problem_is_reported_at_once(tmp_path):
    problems = validate_path(DATA / "unsafe-html")
    assert len(problems) == 3
    assert [p.line for p in problems] == [5, 7, 7]


def test_validation_keeps_the_content_and_sorts_problems_once(monkeypatch):
    checked = validate.check_content
    # Problems the checks find twice, in reverse order, are reported once, sorted.
    monkeypatch.setattr(validate, "check_content", lambda c: 2 * checked(c)[::-1])
    result = validate_content(DATA / "unsafe-html")
    assert [p.line for p in result.problems] == [5, 7, 7]
    assert result.problems == sorted(set(result.problems))
    assert [m.id for m in result.content.modules()] == ["demo-case"]


def test_valid_fixture_passes_with_a_one_line_summary():
    code, lines = run_validate(DATA / "valid")
    assert code == 0
    assert len(lines) == 1 and lines[0].startswith("ok: 1 course(s), 1 module(s)")


def test_bundled_content_validates():
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("ok: 3 course(s), 9 module(s), 1 framework(s)")
    assert "warning" not in result.stdout
    strict = runner.invoke(app, ["validate", "--strict"])
    assert strict.exit_code == 0, strict.stdout
    assert validate_path(CONTENT_ROOT) == []


def test_validate_runs_as_a_console_program():
    exe = Path(sys.executable).parent / "cluster-excellence"
    done = subprocess.run(
        [str(exe), "validate", str(CONTENT_ROOT)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "are valid" in done.stdout
    broken = subprocess.run(
        [str(exe), "validate", str(DATA / "missing-next")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 1
    assert "module.yaml:48:" in broken.stdout


def test_validate_writes_nothing(tmp_path):
    before = sorted(p for p in (DATA / "valid").rglob("*"))
    run_validate(DATA / "valid")
    assert sorted(p for p in (DATA / "valid").rglob("*")) == before


def test_a_missing_root_is_an_error(tmp_path):
    code, lines = run_validate(tmp_path / "nowhere")
    assert code == 1
    assert "not a folder" in lines[0]


@pytest.mark.parametrize(
    ("file", "limit"),
    [
        ("demo-case/sections/context.en.md", MAX_MARKDOWN_BYTES),
        ("demo-case/exhibits/figures.fr.csv", MAX_CSV_BYTES),
        ("demo-case/module.yaml", MAX_YAML_BYTES),
    ],
)
def test_an_oversized_file_is_one_problem_naming_the_limit(tmp_path, file, limit):
    root = tmp_path / "valid"
    shutil.copytree(DATA / "valid", root)
    path = root / file
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n" + "#" * limit)
    size = path.stat().st_size
    code, lines = run_validate(root)
    assert code == 1
    assert f"{path}:1:1: file too large: {size:,} bytes, the limit is {limit:,}" in lines[0]
    assert len(lines) == 1
