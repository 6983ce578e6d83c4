"""Finding instruments: bundled ids, module folders, YAML and JSON files."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from clusterexcellence.cli.main import app
from clusterexcellence.courses.exceptions import (
    CoursesError,
    InstrumentFileError,
    UnknownInstrumentError,
)
from clusterexcellence.courses.instruments import bundled_instrument_files, find_instrument
from clusterexcellence.engine import InstrumentError


def test_bundled_ids_folders_and_files_name_the_same_instrument():
    path = bundled_instrument_files()["competency-self-test"]
    by_id = find_instrument("competency-self-test")
    assert find_instrument(str(path.parent)) == by_id
    assert find_instrument(str(path)) == by_id


def test_json_files_are_read(tmp_path):
    data = find_instrument("competency-self-test").model_dump(mode="json", by_alias=True)
    path = tmp_path / "test.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert find_instrument(str(path)).id == "competency-self-test"


def test_an_unknown_reference_names_the_bundled_ids():
    with pytest.raises(UnknownInstrumentError) as info:
        find_instrument("no-such-thing")
    assert str(info.value) == (
        "no instrument 'no-such-thing': not a file or folder, nor a bundled id "
        "(competency-self-test, label-self-assessment)"
    )
    assert isinstance(info.value, CoursesError)


def test_an_invalid_instrument_is_an_instrument_error(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("kind: instrument\nid: bad\n", encoding="utf-8")
    with pytest.raises(InstrumentError, match="bad.yaml is invalid"):
        find_instrument(str(path))


BOMB = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\n"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "tagged.yaml",
            b"kind: instrument\nid: !!python/object:os.system x\n",
            ":2:5: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system' (remove",
        ),
        ("latin1.yaml", "title: Café\n".encode("latin-1"), ":1:1: cannot read file: 'utf-8'"),
        ("syntax.yaml", b"kind: instrument\nid: [x\n", ":3:1: YAML syntax error: while parsing"),
        ("alias.yaml", BOMB.encode(), ":2:8: YAML alias *a: content files may not use aliases"),
        ("broken.json", b'{"kind": "instrument",\n "id": }', ":2:8: JSON syntax error: Expecting"),
        ("list.yaml", b"- kind: instrument\n", ":1:1: an instrument file holds a mapping"),
        ("list.json", b"[1, 2]", ":1:1: an instrument file holds a mapping (kind, id, items...), "),
        ("empty.yaml", b"", ":1:1: an instrument file holds a mapping (kind, id, items...), "),
    ],
)
def test_an_unreadable_file_is_one_located_line(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InstrumentFileError) as info:
        find_instrument(str(path))
    text = str(info.value)
    assert text.startswith(f"{path}{message}"), text
    assert "\n" not in text and "<unicode string>" not in text
    assert info.value.problem.file == path


@pytest.mark.parametrize(
    "args",
    [["spec"], ["score", "{answers}", "-o", "{out}"], ["analyse", "{answers}"]],
    ids=["spec", "score", "analyse"],
)
def test_the_cli_prints_the_error_and_exits_1(tmp_path, args):
    path = tmp_path / "syntax.yaml"
    path.write_text("kind: instrument\nid: [x\n", encoding="utf-8")
    answers = tmp_path / "answers.csv"
    answers.write_text("respondent_id,q1\nr1,1\n", encoding="utf-8")
    names = {"answers": answers, "out": tmp_path / "scores.csv"}
    command, *rest = args
    result = CliRunner().invoke(app, [command, str(path), *(a.format(**names) for a in rest)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"error: {path}:3:1: YAML syntax error" in " ".join(result.output.split())
    assert "Traceback" not in result.output
