"""The one reader of reference CSVs: strict checks with file:line and column."""

from __future__ import annotations

import re

import numpy as np
import pytest

from clusterexcellence.courses.population.bundled import (
    bundled_reference_path,
)
from clusterexcellence.courses.population.calibration import REFERENCE_DIR
from clusterexcellence.engine import FileError, ReferenceDataError, ReferenceSet
from clusterexcellence.engine.reference import portfolio_ids, read_reference_csv


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def test_reader_accepts_the_shipped_files(label_ins, test_ins, orgs):
    imported = read_reference_csv(bundled_reference_path(), instrument=label_ins)
    assert len(imported) == len(orgs)
    assert all(_same(imported.measures[k], orgs.measures[k]) for k in orgs.measures)
    managers = read_reference_csv(
        REFERENCE_DIR / "managers.csv",
        instrument=test_ins,
        portfolios=portfolio_ids(label_ins),
        extra_measures=["years_experience"],
    )
    assert len(managers) == 2000


HEADER = (
    "unit_id,portfolio,country,size_band,label,"
    "b-members-total,b-staff-fte,b-service-catalogue,dim:structure,overall"
)
GOOD = "cmo-1,ict,DE,small,bronze,120,4.5,2,0.8,0.75"


@pytest.mark.parametrize(
    ("header", "row", "line", "column", "message"),
    [
        ("id," + HEADER[8:], GOOD, 1, None, "first column must be 'unit_id'"),
        (HEADER + ",b-unknown", GOOD + ",1", 1, "b-unknown", "unknown column"),
        (HEADER + ",overall", GOOD + ",0.5", 1, "overall", "duplicate column"),
        (HEADER, "cmo-2,ict,DE,small,bronze,120,4.5", 3, None, "7 cells, the header has 10"),
        (HEADER, GOOD, 3, "unit_id", "duplicate unit id 'cmo-1' (first on line 2)"),
        (HEADER, ",ict,DE,small,bronze,120,4.5,2,0.8,0.75", 3, "unit_id", "empty unit id"),
        (
            HEADER,
            "cmo-2,space,DE,small,bronze,120,4.5,2,0.8,0.75",
            3,
            "portfolio",
            "'space' is not one of",
        ),
        (
            HEADER,
            "cmo-2,ict,Germany,small,bronze,120,4.5,2,0.8,0.75",
            3,
            "country",
            "not an ISO 3166-1",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,tiny,bronze,120,4.5,2,0.8,0.75",
            3,
            "size_band",
            "'tiny' is not one of",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,platinum,120,4.5,2,0.8,0.75",
            3,
            "label",
            "'platinum' is not one of",
        ),
        (HEADER, "cmo-2,ict,DE,small,,120,4.5,2,0.8,0.75", 3, "label", "empty value"),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,many,4.5,2,0.8,0.75",
            3,
            "b-members-total",
            "'many' is not a number",
        ),
        (HEADER, "cmo-2,ict,DE,small,bronze,120,inf,2,0.8,0.75", 3, "b-staff-fte", "not finite"),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,-3,4.5,2,0.8,0.75",
            3,
            "b-members-total",
            "-3 is outside [0, 10000]",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120.5,4.5,2,0.8,0.75",
            3,
            "b-members-total",
            "not a whole number",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120,4.5,4,0.8,0.75",
            3,
            "b-service-catalogue",
            "outside [0, 3]",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120,4.5,1.5,0.8,0.75",
            3,
            "b-service-catalogue",
            "whole number",
        ),
        (
            HEADER,
            "cmo-2,ict,DE,small,bronze,120,4.5,2,80,0.75",
            3,
            "dim:structure",
            "outside [0, 1] (a score)",
        ),
    ],
)
def test_reader_rejects_each_error_with_file_line_and_column(
    tmp_path, label_ins, header, row, line, column, message
):
    path = tmp_path / "broken.csv"
    path.write_text(f"{header}\n{GOOD}\n{row}\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as info:
        read_reference_csv(path, instrument=label_ins)
    texts = [str(i) for i in info.value.issues]
    prefix = f"{path}:{line}:" + (f" column {column!r}:" if column else "")
    assert any(t.startswith(prefix) and message in t for t in texts), texts


def test_reader_collects_every_error_before_raising(tmp_path, label_ins):
    path = tmp_path / "many.csv"
    rows = [
        HEADER,
        GOOD,
        "cmo-2,space,DE,small,bronze,120,4.5,2,0.8,0.75",
        "cmo-2,ict,DE,small,bronze,-1,4.5,2,0.8,0.75",
        "cmo-4,ict,DE,tiny,gold,12.5,x,2,0.8,2",
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as info:
        read_reference_csv(path, instrument=label_ins)
    found = {(i.line, i.column) for i in info.value.issues}
    assert found == {
        (3, "portfolio"),
        (4, "unit_id"),
        (4, "b-members-total"),
        (5, "size_band"),
        (5, "b-members-total"),
        (5, "b-staff-fte"),
        (5, "overall"),
    }
    assert f"{path}:5: column 'overall'" in str(info.value)
    assert "7 problem(s)" in str(info.value)


def test_reader_reports_an_empty_file(tmp_path, label_ins):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"empty\.csv:1: the first column"):
        read_reference_csv(path, instrument=label_ins)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,portfolio,m\nu1,ict,1\n", "1: the first column must be 'unit_id'"),
        (
            "unit_id,portfolio,m\nu1,ict,1\nu1,ict,2\n",
            "3: column 'unit_id': duplicate unit id 'u1' (first on line 2)",
        ),
        ("unit_id,portfolio,m\nu1,ict,abc\n", "2: column 'm': 'abc' is not a number"),
        ("unit_id,portfolio,m\nu1,ict\n", "2: 2 cells, the header has 3"),
    ],
)
def test_reference_csv_errors_give_file_and_line(tmp_path, text, message):
    path = tmp_path / "ref.csv"
    path.write_text(text)
    with pytest.raises(ReferenceDataError, match=re.escape(f"ref.csv:{message}")):
        ReferenceSet.from_csv(path)


def test_reference_csv_reads_attributes_and_missing_values(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("unit_id,portfolio,m,n\nu1,ict,1,\nu2,food,2.5,3\n")
    ref = ReferenceSet.from_csv(path)
    assert ref.attributes["portfolio"].tolist() == ["ict", "food"]
    assert ref.measures["m"].tolist() == [1.0, 2.5] and np.isnan(ref.measures["n"][0])


def test_without_an_instrument_attributes_are_still_checked(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("unit_id,label,size_band,country,m\nu1,platinum,tiny,Germany,x\n")
    with pytest.raises(ReferenceDataError) as info:
        ReferenceSet.from_csv(path)
    assert [i.column for i in info.value.issues] == ["label", "size_band", "country", "m"]


def test_a_reference_csv_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_bytes(b"unit_id,m\nu1,1\nu\xe92,2\n")
    with pytest.raises(FileError, match=r"ref\.csv:3: not valid UTF-8"):
        ReferenceSet.from_csv(path)
