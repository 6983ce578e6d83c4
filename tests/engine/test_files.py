"""Outputs appear whole or not at all; bad output paths and huge inputs are refused."""

import os
import stat

import pytest

from clusterexcellence.engine import FileError
from clusterexcellence.engine.files import atomic_output, check_input, csv_records, write_text


def test_an_output_appears_only_when_complete(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write("half")
        raise RuntimeError("stop")
    assert list(tmp_path.iterdir()) == []
    with atomic_output(target) as fh:
        fh.write("whole\n")
    assert target.read_text() == "whole\n" and list(tmp_path.iterdir()) == [target]


def test_an_output_gets_the_permissions_of_a_new_file(tmp_path):
    old = os.umask(0o022)
    try:
        write_text(tmp_path / "spec.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "spec.json").stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("make_path", "message"),
    [
        (lambda t: t, "is a folder"),
        (lambda t: t / "file.txt" / "out.csv", "file.txt is a file, not a folder"),
        (lambda t: t / "missing" / "out.csv", "does not exist; create it first"),
    ],
)
def test_bad_output_paths_are_refused_before_anything_is_written(tmp_path, make_path, message):
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(FileError, match=message), atomic_output(make_path(tmp_path)):
        pytest.fail("the block must not run")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_too_large_input_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("x" * 2000)
    with pytest.raises(FileError, match="2,000 bytes is larger than the limit of 1,000 bytes"):
        check_input(path, max_bytes=1000)
    with pytest.raises(FileError, match="cannot read"):
        check_input(tmp_path / "none.csv", max_bytes=1000)


def test_an_over_long_cell_names_its_line(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("a,b\n1,2\n3," + "x" * 200_000 + "\n")
    with pytest.raises(FileError, match=r"long\.csv:3: malformed CSV: field larger than"):
        list(csv_records(path))
