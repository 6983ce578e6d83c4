"""xAPI 1.0.3: results as statements (checked with ralph's models), statements in."""

import copy
import uuid

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement
from sqlalchemy import func, select

from clusterexcellence.api.results.tables import results
from clusterexcellence.api.xapi.tables import xapi_statements

from .factories import LABEL, SELF_TEST, answers, submission, version

BASE = "https://clusterexcellence.example/xapi"
V = {"X-Experience-API-Version": "1.0.3"}


def statement(**extra) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "https://lms.example", "name": "learner-9"},
        },
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "x"}},
        "object": {"objectType": "Activity", "id": "https://lms.example/activities/intro"},
        **extra,
    }


def answers_statement(instrument=SELF_TEST, version=1, ans=None, **extra) -> dict:
    return statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        object={
            "objectType": "Activity",
            "id": f"{BASE}/instruments/{instrument}/versions/{version}",
        },
        result={
            "score": {"scaled": 1.0},  # ignored: the server scores
            "extensions": {f"{BASE}/extensions/answers": ans if ans is not None else answers()},
        },
        context={
            "extensions": {f"{BASE}/extensions/consent": {"share_with_club": True}},
        },
        **extra,
    )


def count(sessions, table) -> int:
    with sessions() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


@pytest.mark.parametrize("instrument", [SELF_TEST, LABEL])
def test_every_result_reads_as_a_valid_xapi_statement(api, instrument):
    lms = api.new_client("lms")
    created = api.http.post(
        "/results", json=submission(instrument=instrument, seed=2), headers=lms.headers
    ).json()
    r = api.http.get(f"/results/{created['id']}/xapi", headers=lms.headers)
    assert r.status_code == 200 and r.headers["x-experience-api-version"] == "1.0.3"
    data = r.json()
    model = BaseXapiStatement.model_validate(data)
    assert model.version == "1.0.3"
    score = data["result"]["score"]
    assert isinstance(score["scaled"], float)  # a JSON number, not a string
    assert score["scaled"] == created["outcome"]["overall"]["score"]
    assert data["actor"]["account"]["name"] == created["learner_id"]
    assert data["object"]["id"] == f"{BASE}/instruments/{instrument}/versions/{version(instrument)}"
    dims = data["result"]["extensions"][f"{BASE}/extensions/dimensions"]
    assert dims == {d: m["score"] for d, m in created["outcome"]["dimensions"].items()}
    again = api.http.get(f"/results/{created['id']}/xapi", headers=lms.headers).json()
    assert again["id"] == data["id"]


def test_a_result_without_an_overall_score_has_no_score_in_its_statement(api):
    lms = api.new_client("lms")
    body = submission() | {"answers": {"sjt-strategy-1": "b"}}
    rid = api.http.post("/results", json=body, headers=lms.headers).json()["id"]
    data = api.http.get(f"/results/{rid}/xapi", headers=lms.headers).json()
    BaseXapiStatement.model_validate(data)
    assert "score" not in data["result"]


def test_statements_are_stored_once_per_id(api, sessions):
    lms = api.new_client("lms")
    s = statement()
    first = api.http.post("/xapi/statements", json=s, headers={**lms.headers, **V})
    assert first.status_code == 200, first.text
    assert first.json() == {"ids": [s["id"]], "results": [None]}
    again = api.http.post("/xapi/statements", json=[s], headers={**lms.headers, **V})
    assert again.status_code == 200 and again.json()["ids"] == [s["id"]]
    assert count(sessions, xapi_statements) == 1


def test_the_same_id_with_other_content_is_409_and_nothing_of_the_batch_is_stored(api, sessions):
    lms = api.new_client("lms")
    s = statement()
    api.http.post("/xapi/statements", json=s, headers={**lms.headers, **V})
    other = copy.deepcopy(s)
    other["verb"]["id"] = "http://adlnet.gov/expapi/verbs/failed"
    r = api.http.post("/xapi/statements", json=[statement(), other], headers={**lms.headers, **V})
    assert r.status_code == 409 and s["id"] in r.json()["detail"]
    assert count(sessions, xapi_statements) == 1


def test_a_statement_without_an_id_gets_one(api):
    lms = api.new_client("lms")
    s = statement()
    del s["id"]
    r = api.http.post("/xapi/statements", json=s, headers={**lms.headers, **V})
    assert r.status_code == 200 and uuid.UUID(r.json()["ids"][0])


@pytest.mark.parametrize("version", [None, "0.95", "2.0.0", "1.0.3; x"])
def test_the_xapi_version_header_is_checked(api, version, sessions):
    lms = api.new_client("lms")
    headers = dict(lms.headers) | ({"X-Experience-API-Version": version} if version else {})
    r = api.http.post("/xapi/statements", json=statement(), headers=headers)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "X-Experience-API-Version"
    assert count(sessions, xapi_statements) == 0


def test_an_invalid_statement_is_422_naming_the_property(api, sessions):
    lms = api.new_client("lms")
    bad = statement()
    bad["verb"] = {"id": "not an iri"}
    r = api.http.post("/xapi/statements", json=[statement(), bad], headers={**lms.headers, **V})
    assert r.status_code == 422
    assert any(e["field"].startswith("[1].verb.id") for e in r.json()["errors"]), r.json()
    assert count(sessions, xapi_statements) == 0


def test_a_cmi5_statement_with_answers_becomes_a_result_scored_here(api, sessions):
    lms = api.new_client("lms")
    s = answers_statement()
    r = api.http.post("/xapi/statements", json=s, headers={**lms.headers, **V})
    assert r.status_code == 200, r.text
    [rid] = r.json()["results"]
    result = api.http.get(f"/results/{rid}", headers=lms.headers).json()
    assert result["learner_id"] == "learner-9"
    assert result["consent"]["share_with_club"] is True
    assert result["outcome"]["overall"]["score"] != 1.0  # the statement's score is ignored
    direct = api.http.post(
        "/results", json=submission("learner-9", club=True), headers=lms.headers
    ).json()
    assert result["outcome"] == direct["outcome"]
    # Sent again: the same statement, the same result, nothing new.
    again = api.http.post("/xapi/statements", json=s, headers={**lms.headers, **V})
    assert again.json()["results"] == [rid]
    assert count(sessions, results) == 2


def test_answers_out_of_range_in_a_statement_are_422_naming_the_item(api, sessions):
    lms = api.new_client("lms")
    s = answers_statement(ans={"sr-strategy-regional-analysis-1": 9})
    r = api.http.post("/xapi/statements", json=s, headers={**lms.headers, **V})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == (
        "result.extensions.answers.sr-strategy-regional-analysis-1"
    )
    assert count(sessions, xapi_statements) == 0 and count(sessions, results) == 0


def test_a_statement_about_an_unknown_instrument_version_is_422(api, sessions):
    lms = api.new_client("lms")
    r = api.http.post(
        "/xapi/statements", json=[answers_statement(version=9)], headers={**lms.headers, **V}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "[0].object.id"


def test_erasure_deletes_the_learners_statements_too(api, sessions):
    lms = api.new_client("lms")
    api.http.post(
        "/xapi/statements", json=[statement(), answers_statement()], headers={**lms.headers, **V}
    )
    export = api.http.get("/learners/learner-9/export", headers=lms.headers).json()
    assert len(export["xapi_statements"]) == 2 and len(export["results"]) == 1
    r = api.http.delete("/learners/learner-9", headers=lms.headers).json()
    assert r["erased_statements"] == 2 and r["erased_results"] == 1
    assert count(sessions, xapi_statements) == 0 and count(sessions, results) == 0
