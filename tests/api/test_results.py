"""Results: scored by the server, idempotent, scoped to the LMS that submitted them."""

import copy

import pytest
from sqlalchemy import func, select

from clusterexcellence.api.audit.tables import audit_log
from clusterexcellence.api.results.tables import idempotency_keys, results
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine import compile_instrument, score_answers

from .factories import LABEL, SELF_TEST, answers, submission, version


def count(sessions, table) -> int:
    with sessions() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def test_the_server_scores_the_answers_with_the_engine(api):
    lms = api.new_client("lms")
    body = submission(instrument=LABEL, seed=3)
    r = api.http.post("/results", json=body, headers=lms.headers)
    assert r.status_code == 201, r.text
    got = r.json()
    [expected] = score_answers(compile_instrument(find_instrument(LABEL)), [body["answers"]])
    want = expected.to_json()
    del want["instrument"]
    assert got["outcome"] == want
    assert got["outcome"]["label"]["levels"] and "gaps" in got["outcome"]["label"]
    assert got["instrument"] == {"id": LABEL, "version": version(LABEL)}
    assert got["client_id"] == lms.id and got["answers"] == body["answers"]
    assert r.headers["location"] == f"/results/{got['id']}"
    assert api.http.get(r.headers["location"], headers=lms.headers).json() == got


def test_a_score_sent_by_the_client_is_refused(api):
    lms = api.new_client("lms")
    body = submission() | {"outcome": {"overall": {"score": 1.0}}}
    r = api.http.post("/results", json=body, headers=lms.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "outcome"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["instrument"].update(id="nope"), "instrument.id"),
        (lambda b: b["instrument"].update(version=99), "instrument.version"),
        (lambda b: b["answers"].update({"q-unknown": 1}), "answers.q-unknown"),
        (
            lambda b: b["answers"].update({"sr-strategy-regional-analysis-1": 9}),
            "answers.sr-strategy-regional-analysis-1",
        ),
        (lambda b: b["answers"].update({"sjt-strategy-1": "z"}), "answers.sjt-strategy-1"),
        (
            lambda b: b["answers"].update({"sr-strategy-regional-analysis-1": True}),
            "answers.sr-strategy-regional-analysis-1",
        ),
        (
            lambda b: b["answers"].update({"sr-strategy-regional-analysis-1": {"a": 1}}),
            "answers.sr-strategy-regional-analysis-1",
        ),
        (lambda b: b.update(learner_id=""), "learner_id"),
        (lambda b: b.update(learner_id="has space"), "learner_id"),
        (lambda b: b["consent"].update(share_with_club="yes"), "consent.share_with_club"),
        (lambda b: b["peer_group"].update(portfolio="pirates"), "peer_group.portfolio"),
        (lambda b: b["peer_group"].update(country="France"), "peer_group.country"),
        (lambda b: b["instrument"].update(version="1"), "instrument.version"),
        (lambda b: b.pop("answers"), "answers"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(api, sessions, change, field):
    lms = api.new_client("lms")
    body = submission()
    change(body)
    before = count(sessions, audit_log)
    r = api.http.post("/results", json=body, headers={**lms.headers, "Idempotency-Key": "k"})
    assert r.status_code == 422, r.text
    problem = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in problem["errors"]], problem
    assert field in problem["detail"]
    assert count(sessions, results) == 0 and count(sessions, idempotency_keys) == 0
    assert count(sessions, audit_log) == before


def test_the_same_key_and_body_return_the_first_response(api, sessions):
    lms = api.new_client("lms")
    body = submission()
    headers = {**lms.headers, "Idempotency-Key": "attempt-1"}
    first = api.http.post("/results", json=body, headers=headers)
    # The same content with keys in another order is the same body.
    again = api.http.post("/results", json=dict(reversed(body.items())), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count(sessions, results) == 1


def test_the_first_response_is_replayed_even_after_consent_changed(api):
    lms = api.new_client("lms")
    headers = {**lms.headers, "Idempotency-Key": "attempt-1"}
    first = api.http.post("/results", json=submission(club=True), headers=headers).json()
    api.http.patch(
        f"/results/{first['id']}/consent", json={"share_with_club": False}, headers=lms.headers
    )
    again = api.http.post("/results", json=submission(club=True), headers=headers)
    assert again.json() == first


def test_the_same_key_with_another_body_is_422(api, sessions):
    lms = api.new_client("lms")
    headers = {**lms.headers, "Idempotency-Key": "attempt-1"}
    assert api.http.post("/results", json=submission(seed=1), headers=headers).status_code == 201
    r = api.http.post("/results", json=submission(seed=2), headers=headers)
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "location": "header",
            "field": "idempotency-key",
            "message": "this key was used with another body; use a new key for a new submission",
        }
    ]
    assert count(sessions, results) == 1


def test_keys_are_per_client(api, sessions):
    a, b = api.new_client("lms"), api.new_client("lms")
    for who in (a, b):
        r = api.http.post(
            "/results", json=submission(), headers={**who.headers, "Idempotency-Key": "same"}
        )
        assert r.status_code == 201 and r.json()["client_id"] == who.id
    assert count(sessions, results) == 2


def test_without_a_key_each_post_is_a_new_result(api, sessions):
    lms = api.new_client("lms")
    ids = {
        api.http.post("/results", json=submission(), headers=lms.headers).json()["id"]
        for _ in range(3)
    }
    assert len(ids) == 3 and count(sessions, results) == 3


def test_each_submission_is_in_the_audit_log(api, sessions):
    lms = api.new_client("lms", name="moodle")
    rid = api.http.post("/results", json=submission(), headers=lms.headers).json()["id"]
    with sessions() as s:
        row = (
            s.execute(select(audit_log).where(audit_log.c.action == "result.create"))
            .mappings()
            .one()
        )
    assert row["record_id"] == rid and row["actor"] == "lms:moodle"
    assert row["detail"] == {"instrument": SELF_TEST, "version": version(SELF_TEST)}


def test_an_lms_sees_only_its_own_learners_results(api):
    a, b = api.new_client("lms"), api.new_client("lms")
    mine = api.http.post("/results", json=submission("x"), headers=a.headers).json()
    api.http.post("/results", json=submission("x"), headers=b.headers)
    assert api.http.get(f"/results/{mine['id']}", headers=b.headers).status_code == 404
    page = api.http.get("/learners/x/results", headers=b.headers).json()
    assert page["total"] == 1 and page["items"][0]["client_id"] == b.id
    listing = api.http.get("/results", headers=b.headers).json()
    assert [r["client_id"] for r in listing["items"]] == [b.id]


def test_label_bodies_and_the_club_see_what_was_shared_with_them(api):
    lms = api.new_client("lms")
    ids = {}
    for name, flags in {
        "none": {},
        "label": {"label_body": True},
        "club": {"club": True},
        "both": {"label_body": True, "club": True},
    }.items():
        ids[name] = api.http.post(
            "/results", json=submission(name, **flags), headers=lms.headers
        ).json()["id"]
    expected = {
        "label-body": {"label", "both"},
        "assessor": {"label", "both"},
        "club-admin": {"club", "both"},
        "admin": {"none", "label", "club", "both"},
    }
    for role, names in expected.items():
        who = api.new_client(role)
        seen = {
            r["learner_id"] for r in api.http.get("/results", headers=who.headers).json()["items"]
        }
        assert seen == names, role
        for name, rid in ids.items():
            status = api.http.get(f"/results/{rid}", headers=who.headers).status_code
            assert status == (200 if name in names else 404), (role, name)


def test_a_learners_results_are_paginated_oldest_first(api):
    lms = api.new_client("lms")
    made = [
        api.http.post("/results", json=submission("p", seed=i), headers=lms.headers).json()["id"]
        for i in range(5)
    ]
    api.http.post("/results", json=submission("other"), headers=lms.headers)
    pages = [
        api.http.get(f"/learners/p/results?limit=2&offset={o}", headers=lms.headers).json()
        for o in (0, 2, 4)
    ]
    assert [p["total"] for p in pages] == [5, 5, 5]
    assert [r["id"] for p in pages for r in p["items"]] == made
    assert api.http.get("/learners/p/results?limit=101", headers=lms.headers).status_code == 422


def test_consent_withdrawal_stops_sharing_at_once_and_is_audited(api, sessions):
    lms, club = api.new_client("lms"), api.new_client("club-admin")
    rid = api.http.post("/results", json=submission(club=True), headers=lms.headers).json()["id"]
    assert api.http.get(f"/results/{rid}", headers=club.headers).status_code == 200
    r = api.http.patch(
        f"/results/{rid}/consent", json={"share_with_club": False}, headers=lms.headers
    )
    assert r.status_code == 200
    assert r.json()["consent"]["share_with_club"] is False and r.json()["consent"]["changed_at"]
    assert api.http.get(f"/results/{rid}", headers=club.headers).status_code == 404
    with sessions() as s:
        row = (
            s.execute(select(audit_log).where(audit_log.c.action == "result.consent"))
            .mappings()
            .one()
        )
    assert row["record_id"] == rid
    assert row["detail"] == {
        "before": {"share_with_club": True},
        "after": {"share_with_club": False},
    }


def test_only_the_submitting_lms_changes_consent(api):
    a, b = api.new_client("lms"), api.new_client("lms")
    rid = api.http.post("/results", json=submission(club=True), headers=a.headers).json()["id"]
    r = api.http.patch(
        f"/results/{rid}/consent", json={"share_with_club": False}, headers=b.headers
    )
    assert r.status_code == 404
    assert api.http.get(f"/results/{rid}", headers=a.headers).json()["consent"]["share_with_club"]


def test_answers_may_be_partial_and_null_means_unanswered(api):
    lms = api.new_client("lms")
    body = submission()
    body["answers"] = {k: None for k in copy.deepcopy(answers())} | {"sjt-strategy-1": "b"}
    r = api.http.post("/results", json=body, headers=lms.headers)
    assert r.status_code == 201
    assert r.json()["outcome"]["overall"]["score"] is None  # below the minimum coverage
