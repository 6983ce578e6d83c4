"""Responses in, scores out: the CSV rules, every error with file:line, nothing half-written."""

import csv

import numpy as np
import pytest

from clusterexcellence.engine import (
    FileError,
    ResponseError,
    compile_instrument,
    load_instrument,
    score,
)
from clusterexcellence.engine.examples import labelled_instrument, tiny_instrument
from clusterexcellence.engine.responses import (
    encode_rows,
    iter_csv_batches,
    score_csv,
    score_rows,
    scores_header,
)

from .conftest import make, options


@pytest.fixture
def tiny():
    return compile_instrument(tiny_instrument())


def batches(path, compiled, **kw):
    return list(iter_csv_batches(path, compiled, **kw))


def write(tmp_path, text, name="in.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_a_bom_and_spaces_around_cells_are_accepted(tmp_path, tiny):
    path = write(tmp_path, "\ufeffrespondent_id, q1 ,q2\n ann , 4 , some \n", encoding="utf-8")
    [b] = batches(path, tiny)
    assert b.ids == ["ann"] and b.lines == [2]
    np.testing.assert_array_equal(b.answers, [[4.0, 1.0, np.nan]])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,q1\na,1\n", "in.csv:1: the first column must be 'respondent_id'"),
        ("respondent_id,q1,qx\na,1,2\n", "in.csv:1: unknown item 'qx' in the header"),
        ("respondent_id,q1,q1\na,1,2\n", "in.csv:1: item 'q1' has two columns in the header"),
        ("respondent_id,q1\na,1\nb\n", "in.csv:3: 1 cells, the header has 2"),
        ("respondent_id,q1\na,1\n ,2\n", "in.csv:3: empty respondent id"),
        ("respondent_id,q1\na,1\n\nb,2\na,3\n", "in.csv:5: respondent 'a' again (first on line 2)"),
        ("respondent_id,q1\na,nan\n", "in.csv:2: respondent 'a', item 'q1': 'nan' is not a finite"),
        (
            "respondent_id,q3\na,inf\n",
            "in.csv:2: respondent 'a', item 'q3': 'inf' is not a boolean",
        ),
        ('respondent_id,q2\na,"so\nme"\n', "in.csv:2: respondent 'a', item 'q2': unknown option"),
    ],
)
def test_each_bad_responses_file_is_refused_with_file_and_line(tmp_path, tiny, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ResponseError) as info:
        batches(path, tiny)
    assert str(info.value).startswith(f"{path}:") and message in str(info.value)
    assert info.value.path == str(path) and info.value.line == int(message.split(":")[1])


def test_nan_answers_follow_invalid_as_missing(tmp_path, tiny):
    path = write(tmp_path, "respondent_id,q1,q3\na,nan,maybe\nb,2,yes\n")
    [b] = batches(path, tiny, invalid="missing")
    np.testing.assert_array_equal(b.answers, [[np.nan, np.nan, np.nan], [2.0, np.nan, 1.0]])


def test_invalid_utf8_names_the_line_of_the_bad_byte(tmp_path, tiny):
    path = write(tmp_path, b"respondent_id,q1\na,1\nb,\xff2\n")
    with pytest.raises(FileError, match=r"in\.csv:3: not valid UTF-8"):
        batches(path, tiny)


def test_an_answer_out_of_range_names_file_line_and_writes_nothing(tmp_path, tiny):
    path = write(tmp_path, "respondent_id,q1\na,1\nb,5\nc,9\n")
    out = tmp_path / "scores.csv"
    with pytest.raises(ResponseError) as info:
        score_csv(path, tiny, out)
    assert str(info.value) == (
        f"{path}:4: respondent 'c', item 'q1': answer 9 is outside 1..5 (whole numbers)"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_score_csv_writes_what_score_rows_gives(tmp_path):
    c = compile_instrument(labelled_instrument())
    path = write(tmp_path, "respondent_id,has-strategy,survey,events\na,yes,no,30\nb,,yes,45\n")
    out = tmp_path / "scores.csv"
    assert score_csv(path, c, out, items=True) == 2
    rows = list(csv.reader(out.read_text().splitlines()))
    assert rows[0] == scores_header(c, items=True)
    answers = [
        {"has-strategy": True, "survey": "no", "events": 30},
        {"survey": "yes", "events": 45},
    ]
    X = encode_rows(c, answers)
    want = score_rows(["a", "b"], score(X, c), items=True)
    assert [tuple(r) for r in rows[1:]] == want
    gaps, level = rows[0].index("label_gaps"), rows[0].index("label_level")
    assert (rows[1][gaps], rows[1][level]) == ("qi-events", "bronze")  # no survey: not gold
    assert (rows[2][gaps], rows[2][level]) == ("qi-strategy", "gold")  # ratio 2 / 4


def test_encode_rows_names_the_respondent_of_an_unknown_item(tiny):
    with pytest.raises(ResponseError, match="respondent 'x': unknown item 'nope'"):
        encode_rows(tiny, [{"nope": 1}], respondent_ids=["x"])
    data = make([{"id": "q", "type": "single_choice", "options": options(0, 1)}])
    c = compile_instrument(load_instrument(data))
    assert np.isnan(encode_rows(c, [{"q": "zz"}], invalid="missing")[0, 0])
