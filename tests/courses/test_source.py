"""Reading YAML content: located syntax errors, and no alias expansion or oversized files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from clusterexcellence.courses.exceptions import ContentError
from clusterexcellence.courses.files import MAX_YAML_BYTES
from clusterexcellence.courses.source import load_yaml, read_yaml


def alias_bomb(levels: int = 9) -> str:
    """The "billion laughs" pattern: each level lists the previous one nine times."""
    names = "abcdefghi"[:levels]
    lines = [f"a: &a [{','.join(['x'] * 9)}]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def one_problem(path: Path, **kw) -> str:
    with pytest.raises(ContentError) as info:
        load_yaml(path, **kw)
    (problem,) = info.value.problems
    return problem.format()


def test_the_bomb_is_small():
    assert len(alias_bomb().encode()) < 400


@pytest.mark.parametrize("fast", [False, True])
def test_an_alias_is_refused_at_its_place_before_anything_expands(tmp_path, fast):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    assert one_problem(path, fast=fast) == (
        f"{path}:2:8: YAML alias *a: content files may not use aliases "
        "(write the value out in full: aliases can make a small file expand enormously)"
    )


def test_anchors_without_aliases_and_plain_files_load(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("a: &a [1, 2]\nb: {c: x}\n", encoding="utf-8")
    assert load_yaml(path, fast=True) == {"a": [1, 2], "b": {"c": "x"}}
    assert read_yaml(path).data == {"a": [1, 2], "b": {"c": "x"}}


def test_a_merge_key_is_an_alias_too(tmp_path):
    path = tmp_path / "merge.yaml"
    path.write_text("base: &base {x: 1}\nother:\n  <<: *base\n  y: 2\n", encoding="utf-8")
    assert one_problem(path).startswith(f"{path}:3:7: YAML alias *base:")


def test_validate_refuses_the_bomb_in_a_moment(tmp_path):
    # A child process with a deadline: expanding the bomb would take minutes and gigabytes.
    (tmp_path / "course.yaml").write_text(alias_bomb(), encoding="utf-8")
    exe = Path(sys.executable).parent / "cluster-excellence"
    done = subprocess.run(
        [str(exe), "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert done.returncode == 1
    assert f"{tmp_path / 'course.yaml'}:2:8: YAML alias *a:" in done.stdout


@pytest.mark.parametrize("fast", [False, True])
def test_an_oversized_file_is_refused_before_reading(tmp_path, fast, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text("a: 1\n" + "#" * MAX_YAML_BYTES, encoding="utf-8")
    size = path.stat().st_size
    read = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda *a, **k: pytest.fail("read") or read(*a, **k))
    assert one_problem(path, fast=fast) == (
        f"{path}:1:1: file too large: {size:,} bytes, the limit is {MAX_YAML_BYTES:,} "
        "(split the content into smaller files)"
    )


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("a: 1\nb: [\n", "3:1", "YAML syntax error: while parsing a flow"),
        ("a: 1\na: 2\n", "2:1", "YAML syntax error: while constructing a mapping"),
        ("a: !!python/object:os.system x\n", "1:4", "unsupported YAML tag 'tag:yaml.org,2002:"),
        ("a: !!str x\nb: !!set {x}\n", "2:4", "unsupported YAML tag 'tag:yaml.org,2002:set'"),
    ],
)
@pytest.mark.parametrize("fast", [False, True])
def test_yaml_errors_are_located(tmp_path, text, where, message, fast):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    assert one_problem(path, fast=fast).startswith(f"{path}:{where}: {message}")


def test_a_file_that_is_not_utf8_is_one_problem(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Café\n".encode("latin-1"))
    assert one_problem(path).startswith(f"{path}:1:1: cannot read file: 'utf-8' codec")
