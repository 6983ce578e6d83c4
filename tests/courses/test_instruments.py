"""Finding instruments: bundled ids, module folders, YAML and JSON files."""

from __future__ import annotations

import json

import pytest

from clusterexcellence.courses.exceptions import CoursesError, UnknownInstrumentError
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
