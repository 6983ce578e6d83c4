"""``cluster-excellence new``: skeletons validate and nothing is overwritten."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses.authoring.skeleton import new_module
from clusterexcellence.courses.exceptions import (
    CoursesError,
    ModuleNameError,
    SkeletonExistsError,
)
from clusterexcellence.courses.validate import validate_path

runner = CliRunner()


def course(folder, modules, languages="en, fr"):
    (folder / "course.yaml").write_text(
        "id: trial\ntitle: {en: Trial, fr: Essai, de: Probe}\n"
        "description: {en: Trial, fr: Essai, de: Probe}\n"
        f"languages: [{languages}]\nmodules: [{', '.join(modules)}]\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("kind", ["case", "instrument"])
def test_new_skeleton_validates_once_added_to_a_course(tmp_path, kind):
    result = runner.invoke(app, ["new", kind, "my-module", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "my-module" / "module.yaml").is_file()
    course(tmp_path, ["my-module"])
    assert validate_path(tmp_path) == []
    check = runner.invoke(app, ["validate", str(tmp_path)])
    assert check.exit_code == 0, check.stdout


def test_new_skeleton_in_other_languages_validates(tmp_path):
    new_module("case", "trois-langues", tmp_path, languages=["en", "fr", "de"])
    course(tmp_path, ["trois-langues"], languages="en, fr, de")
    assert validate_path(tmp_path) == []


def test_new_refuses_to_overwrite_an_existing_folder(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.md").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["new", "case", "taken", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.md"]
    with pytest.raises(SkeletonExistsError):
        new_module("instrument", "taken", tmp_path, languages=["en"])


def test_new_refuses_a_name_that_is_not_an_id(tmp_path):
    result = runner.invoke(app, ["new", "case", "My Case", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "kebab-case" in result.output
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ModuleNameError, match="'My Case' is not a lowercase kebab-case id"):
        new_module("case", "My Case", tmp_path, languages=["en"])
    assert issubclass(SkeletonExistsError, CoursesError)
