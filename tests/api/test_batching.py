"""Group commit: submissions written together, each answered as if it were alone."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from clusterexcellence.api.audit.tables import audit_log
from clusterexcellence.api.clients.schemas import Caller
from clusterexcellence.api.exceptions import Unprocessable
from clusterexcellence.api.results import service
from clusterexcellence.api.results.batching import SubmissionBatcher
from clusterexcellence.api.results.schemas import ResultCreate, ResultRead
from clusterexcellence.api.results.tables import idempotency_keys, results

from .factories import LABEL, SELF_TEST, submission


def count(sessions, table) -> int:
    with sessions() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def body(*args, **kwargs) -> ResultCreate:
    return ResultCreate.model_validate(submission(*args, **kwargs))


async def submit_all(batcher, caller, items):
    """Submit ``(body, key)`` pairs at once: they queue while the first batch is written."""
    return await asyncio.gather(
        *(batcher.submit(caller=caller, body=b, idempotency_key=k) for b, k in items),
        return_exceptions=True,
    )


def test_one_batch_answers_each_submission_as_if_alone(api, sessions):
    lms = api.new_client("lms")
    caller = Caller(lms.id, "lms", "lms")
    out_of_range = submission("bad", seed=2)
    item = next(iter(out_of_range["answers"]))
    out_of_range["answers"][item] = 99
    unknown = submission("unknown")
    unknown["instrument"]["version"] = 99
    items = [
        (body("a", seed=1), None),
        (ResultCreate.model_validate(out_of_range), None),
        (body("k", seed=3), "key-1"),
        (body("k", seed=3), "key-1"),  # the same key and body, in the same batch
        (body("other", seed=4), "key-1"),  # the same key, another body
        (ResultCreate.model_validate(unknown), None),
        (body("label", instrument=LABEL, seed=5), None),
    ]
    batcher = SubmissionBatcher(api.app.state.sessions)
    sizes = []
    write = batcher.write
    batcher.write = lambda batch: sizes.append(len(batch)) or write(batch)
    got = asyncio.run(submit_all(batcher, caller, items))
    assert sizes == [7]  # written together
    a, bad, first, again, other, unknown_version, label = got
    assert a[0] == 201 and a[1]["learner_id"] == "a" and not a[2]
    assert isinstance(bad, Unprocessable) and bad.errors[0].field == f"answers.{item}"
    assert {first[2], again[2]} == {False, True}  # one stored, one replayed
    assert first[1] == again[1] and first[0] == again[0] == 201
    assert isinstance(other, Unprocessable) and other.errors[0].field == "idempotency-key"
    assert isinstance(unknown_version, Unprocessable)
    assert unknown_version.errors[0].field == "instrument.version"
    assert label[0] == 201 and label[1]["outcome"]["label"] is not None
    assert count(sessions, results) == 3  # a, k, label: nothing of the refused ones
    assert count(sessions, idempotency_keys) == 1
    with sessions() as s:
        created = s.execute(
            select(func.count()).where(audit_log.c.action == "result.create")
        ).scalar_one()
    assert created == 3
    for _, response, _ in (a, first, label):
        with sessions() as s:
            row = s.execute(select(results).where(results.c.id == response["id"])).mappings().one()
        assert service.to_read(row) == response
        assert row["outcome"] == service.score(body_of(items, response))


def body_of(items, response) -> ResultCreate:
    return next(b for b, _ in items if b.learner_id == response["learner_id"])


def test_concurrent_requests_share_commits_and_each_gets_its_own_result(api, sessions):
    lms = api.new_client("lms")
    batcher = api.app.state.submissions
    sizes = []
    write = batcher.write
    batcher.write = lambda batch: sizes.append(len(batch)) or write(batch)

    async def send() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=api.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await asyncio.gather(
                *(
                    http.post("/results", json=submission(f"c-{i}", seed=i), headers=lms.headers)
                    for i in range(64)
                )
            )

    responses = asyncio.run(send())
    assert [r.status_code for r in responses] == [201] * 64
    assert sorted(r.json()["learner_id"] for r in responses) == sorted(f"c-{i}" for i in range(64))
    assert sum(sizes) == 64 and max(sizes) > 1  # grouped: fewer transactions than results
    assert count(sessions, results) == 64
    for r in responses[:5]:
        got = api.http.get(f"/results/{r.json()['id']}", headers=lms.headers)
        assert got.json() == r.json()


def test_a_database_error_fails_every_submission_of_the_batch_and_writes_nothing(
    api, sessions, monkeypatch
):
    lms = api.new_client("lms")
    caller = Caller(lms.id, "lms", "lms")

    def broken(**_):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(service, "add_scored", broken)
    batcher = SubmissionBatcher(api.app.state.sessions)
    got = asyncio.run(submit_all(batcher, caller, [(body(f"e-{i}"), None) for i in range(3)]))
    assert all(isinstance(g, OperationalError) for g in got)
    assert count(sessions, results) == 0
    monkeypatch.undo()
    r = api.http.post("/results", json=submission("after"), headers=lms.headers)
    assert r.status_code == 201  # the writer goes on after a failed batch


@pytest.mark.parametrize("instrument", [SELF_TEST, LABEL])
def test_the_read_json_is_what_the_response_model_gives(instrument):
    """``to_read`` builds ResultRead's JSON directly: the same as the model's dump."""
    for seed in range(5):
        b = body("x", instrument=instrument, seed=seed, portfolio="ict", country="FR")
        row = {
            "id": "3f2b8c1d-6a4e-4c7b-9d1f-0e2a5b7c9d11",
            "client_id": "c",
            "learner_id": b.learner_id,
            "instrument": b.instrument.id,
            "instrument_version": b.instrument.version,
            "answers": copy.deepcopy(b.answers),
            "outcome": service.score(b),
            "portfolio": "ict",
            "country": "FR",
            "size_band": None,
            "share_with_label_body": bool(seed % 2),
            "share_with_club": True,
            "consent_changed_at": None
            if seed % 2
            else dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
            "created_at": dt.datetime(2026, 1, 2, 3, 4, 5, 123456 * (seed % 2), tzinfo=dt.UTC),
        }
        model = ResultRead.model_validate(
            {
                **{k: row[k] for k in ("id", "learner_id", "client_id", "created_at")},
                "instrument": {"id": row["instrument"], "version": row["instrument_version"]},
                "consent": {
                    "share_with_label_body": row["share_with_label_body"],
                    "share_with_club": row["share_with_club"],
                    "changed_at": row["consent_changed_at"],
                },
                "peer_group": {k: row[k] for k in ("portfolio", "country", "size_band")},
                "answers": row["answers"],
                "outcome": row["outcome"],
            }
        ).model_dump(mode="json")
        assert service.to_read(row) == model
