"""The API for real: uvicorn on 127.0.0.1 in a subprocess, on each database.

Idempotency under 1,000 concurrent duplicates, a SIGKILL in the middle of a stream of
submissions, and two servers on one PostgreSQL. Every request loop is bounded.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from clusterexcellence.api.database import make_engine
from clusterexcellence.api.results.tables import idempotency_keys, results

from .conftest import DATABASES
from .factories import submission
from .server import Server, new_token


@pytest.fixture(params=DATABASES)
def database(request, fresh_database) -> str:
    return fresh_database(request.param)


def count_rows(url: str, table) -> int:
    engine = make_engine(url)
    with engine.connect() as connection:
        n = connection.execute(select(func.count()).select_from(table)).scalar_one()
    engine.dispose()
    return n


def test_serve_migrates_and_answers_over_http(database, tmp_path):
    with Server(database, tmp_path / "server.log") as server:
        token = new_token(database)
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.base, headers=auth, timeout=30) as http:
            assert http.get("/healthz").json() == {"status": "ok"}
            created = http.post("/results", json=submission("real"))
            assert created.status_code == 201, created.text
            got = http.get(f"/results/{created.json()['id']}")
            assert got.json() == created.json()
            assert http.get("/learners/real/results").json()["total"] == 1
            r = http.post("/results", content=b"{", headers={"Content-Type": "application/json"})
            assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
            assert httpx.get(f"{server.base}/results").status_code == 401


async def _duplicates(base: str, token: str, keys: list[str], copies: int) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=auth, limits=limits, timeout=120) as http:
        requests = [
            http.post("/results", json=submission(f"dup-{k}"), headers={"Idempotency-Key": k})
            for k in keys
            for _ in range(copies)
        ]
        return await asyncio.gather(*requests)


def test_a_thousand_concurrent_duplicates_make_one_result_per_key(database, tmp_path):
    keys = [f"key-{i}" for i in range(20)]
    with Server(database, tmp_path / "server.log", workers=2) as server:
        token = new_token(database)
        responses = asyncio.run(_duplicates(server.base, token, keys, copies=50))
    assert len(responses) == 1000
    assert {r.status_code for r in responses} == {201}, {
        r.text for r in responses if r.status_code != 201
    }
    by_key: dict[str, set[str]] = {}
    for r in responses:
        by_key.setdefault(r.json()["learner_id"], set()).add(r.text)
    assert len(by_key) == 20 and all(len(bodies) == 1 for bodies in by_key.values())
    assert count_rows(database, results) == 20
    assert count_rows(database, idempotency_keys) == 20


async def _stream(base: str, token: str, n: int, acknowledged: list[str], server: Server) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=auth, timeout=30) as http:

        async def one(i: int) -> None:
            try:
                r = await http.post("/results", json=submission(f"crash-{i}", seed=i))
            except httpx.TransportError:
                return  # the server died under this request: no acknowledgement
            if r.status_code == 201:
                acknowledged.append(r.json()["id"])

        sent = 0
        while sent < n:  # bounded: n requests, 8 in flight
            batch = [one(i) for i in range(sent, min(sent + 8, n))]
            sent += len(batch)
            await asyncio.gather(*batch)
            if sent >= n // 2 and server.process.poll() is None:
                # Kill it while the next requests are in flight.
                asyncio.get_running_loop().call_later(0.005, server.kill)


def test_every_acknowledged_submission_survives_a_sigkill(database, tmp_path):
    log = tmp_path / "server.log"
    server = Server(database, log).start()
    token = new_token(database)
    acknowledged: list[str] = []
    try:
        asyncio.run(_stream(server.base, token, 200, acknowledged, server))
    finally:
        server.kill()
    assert 50 <= len(acknowledged) < 200  # it died in the middle
    with Server(database, log, port=server.port) as again:
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=again.base, headers=auth, timeout=30) as http:
            missing = [
                rid for rid in acknowledged if http.get(f"/results/{rid}").status_code != 200
            ]
    assert missing == []
    assert count_rows(database, results) >= len(acknowledged)


@pytest.mark.skipif(
    "postgresql" not in DATABASES, reason="needs CLUSTEREXCELLENCE_TEST_POSTGRES_URL"
)
def test_two_servers_on_one_postgresql_serve_the_same_data(fresh_database, tmp_path):
    url = fresh_database("postgresql")
    with Server(url, tmp_path / "a.log") as a, Server(url, tmp_path / "b.log") as b:
        token = new_token(url)
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(headers=auth, timeout=30) as http:
            key = {"Idempotency-Key": str(uuid.uuid4())}
            first = http.post(f"{a.base}/results", json=submission("both"), headers=key)
            assert first.status_code == 201
            assert http.get(f"{b.base}/results/{first.json()['id']}").json() == first.json()
            replay = http.post(f"{b.base}/results", json=submission("both"), headers=key)
            assert replay.json() == first.json() and replay.headers["idempotent-replayed"] == "true"
            http.patch(
                f"{b.base}/results/{first.json()['id']}/consent", json={"share_with_club": True}
            )
            assert http.get(f"{a.base}/results/{first.json()['id']}").json()["consent"][
                "share_with_club"
            ]
