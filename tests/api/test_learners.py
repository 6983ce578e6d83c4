"""A learner's data: export and erasure by their LMS, each in the audit log."""

from sqlalchemy import func, select

from clusterexcellence.api.audit.service import learner_record
from clusterexcellence.api.audit.tables import audit_log
from clusterexcellence.api.results.tables import idempotency_keys, results

from .factories import submission


def test_export_holds_every_result_of_the_learner_and_is_audited(api, sessions):
    lms = api.new_client("lms")
    ids = [
        api.http.post("/results", json=submission("ann", seed=i), headers=lms.headers).json()["id"]
        for i in range(3)
    ]
    api.http.post("/results", json=submission("bob"), headers=lms.headers)
    r = api.http.get("/learners/ann/export", headers=lms.headers)
    assert r.status_code == 200
    data = r.json()
    assert data["learner_id"] == "ann" and data["exported_at"].endswith("Z")
    assert [x["id"] for x in data["results"]] == ids
    assert data["results"][0]["answers"] and data["results"][0]["outcome"]
    with sessions() as s:
        row = (
            s.execute(select(audit_log).where(audit_log.c.action == "learner.export"))
            .mappings()
            .one()
        )
    assert row["record_id"] == learner_record(lms.id, "ann")
    assert "ann" not in str(dict(row))


def test_another_lms_exports_nothing_of_my_learner(api):
    a, b = api.new_client("lms"), api.new_client("lms")
    api.http.post("/results", json=submission("ann"), headers=a.headers)
    assert api.http.get("/learners/ann/export", headers=b.headers).json()["results"] == []


def test_erasure_deletes_the_learners_results_and_keys_only(api, sessions):
    lms, other = api.new_client("lms"), api.new_client("lms")
    for i in range(2):
        api.http.post(
            "/results",
            json=submission("ann", seed=i, club=True),
            headers={**lms.headers, "Idempotency-Key": f"ann-{i}"},
        )
    api.http.post("/results", json=submission("bob"), headers=lms.headers)
    api.http.post("/results", json=submission("ann"), headers=other.headers)
    r = api.http.delete("/learners/ann", headers=lms.headers)
    assert r.status_code == 200
    assert r.json() == {"learner_id": "ann", "erased_results": 2, "erased_statements": 0}
    with sessions() as s:
        left = s.execute(select(results.c.learner_id, results.c.client_id)).all()
        keys = s.execute(select(func.count()).select_from(idempotency_keys)).scalar_one()
        entry = (
            s.execute(select(audit_log).where(audit_log.c.action == "learner.erase"))
            .mappings()
            .one()
        )
    assert sorted(left) == sorted([("bob", lms.id), ("ann", other.id)])
    assert keys == 0
    assert entry["record_id"] == learner_record(lms.id, "ann") and "ann" not in str(dict(entry))
    assert api.http.get("/learners/ann/results", headers=lms.headers).json()["total"] == 0
    # A key of an erased result is free again (its stored response held personal data).
    again = api.http.post(
        "/results",
        json=submission("ann", seed=5),
        headers={**lms.headers, "Idempotency-Key": "ann-0"},
    )
    assert again.status_code == 201 and "idempotent-replayed" not in again.headers


def test_erasing_an_unknown_learner_erases_nothing(api):
    lms = api.new_client("lms")
    r = api.http.delete("/learners/nobody", headers=lms.headers)
    assert r.status_code == 200 and r.json()["erased_results"] == 0
