"""Clients: a token shown once and stored as a digest, revocable, every change audited."""

import datetime as dt
import hashlib
import time

from sqlalchemy import select, update

from clusterexcellence.api.audit.tables import audit_log
from clusterexcellence.api.clients import service
from clusterexcellence.api.clients.schemas import Caller
from clusterexcellence.api.clients.tables import clients
from clusterexcellence.api.database import make_engine


def test_an_admin_creates_a_client_whose_token_works_once_shown(api, sessions):
    admin = api.new_client("admin")
    r = api.http.post("/clients", json={"name": "moodle", "role": "lms"}, headers=admin.headers)
    assert r.status_code == 201
    created = r.json()
    token = created["token"]
    assert token.startswith("cex_") and len(token) >= 40
    assert created["role"] == "lms" and created["revoked_at"] is None
    # Only the digest is stored; the listing never shows a token.
    with sessions() as s:
        stored = s.execute(select(clients.c.token_hash).where(clients.c.id == created["id"]))
        assert stored.scalar_one() == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(s.execute(select(clients)).all())
    listing = api.http.get("/clients", headers=admin.headers)
    assert listing.status_code == 200 and "token" not in listing.text
    assert {c["name"] for c in listing.json()["items"]} >= {"moodle"}
    # The new token authenticates as an lms (which may not list clients).
    r = api.http.get("/clients", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403


def test_two_clients_never_get_the_same_token(api):
    admin = api.new_client("admin")
    tokens = {
        api.http.post(
            "/clients", json={"name": f"c{i}", "role": "lms"}, headers=admin.headers
        ).json()["token"]
        for i in range(5)
    }
    assert len(tokens) == 5


def test_a_revoked_token_stops_working_at_once_in_the_process_that_revoked_it(api):
    admin = api.new_client("admin")
    other = api.new_client("admin")
    assert api.http.get("/clients", headers=other.headers).status_code == 200
    r = api.http.delete(f"/clients/{other.id}", headers=admin.headers)
    assert r.status_code == 200 and r.json()["revoked_at"]
    r = api.http.get("/clients", headers=other.headers)
    assert r.status_code == 401 and "revoked" in r.json()["detail"]
    # Revoking again keeps the first date.
    again = api.http.delete(f"/clients/{other.id}", headers=admin.headers).json()
    assert again["revoked_at"] == r.json().get("revoked_at", again["revoked_at"])


def test_a_revocation_made_elsewhere_takes_effect_within_the_caller_ttl(api, monkeypatch):
    """Another server (or the command line) revoked the client: this process trusts the
    caller it authenticated for at most CALLER_TTL seconds, then asks the database."""
    lms = api.new_client("lms")
    assert api.http.get("/results", headers=lms.headers).status_code == 200  # remembered
    engine = make_engine(api.url)  # another process's connection
    with engine.begin() as connection:
        connection.execute(
            update(clients).where(clients.c.id == lms.id).values(revoked_at=dt.datetime.now(dt.UTC))
        )
    engine.dispose()
    now = time.monotonic()
    monkeypatch.setattr(service.time, "monotonic", lambda: now + service.CALLER_TTL * 0.5)
    assert api.http.get("/results", headers=lms.headers).status_code == 200
    monkeypatch.setattr(service.time, "monotonic", lambda: now + service.CALLER_TTL + 0.01)
    r = api.http.get("/results", headers=lms.headers)
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_the_caller_cache_forgets_when_full_and_never_keeps_an_unknown_token():
    cache = service.CallerCache(ttl=60, size=2)
    for k in range(3):
        cache.put(service.hash_token(f"t{k}"), Caller(f"c{k}", "n", "lms"))
    assert cache.get("t2") is not None and cache.get("t0") is None  # emptied, then t2
    assert cache.get("unknown") is None


def test_revoking_an_unknown_client_is_404(api):
    admin = api.new_client("admin")
    assert api.http.delete("/clients/nope", headers=admin.headers).status_code == 404


def test_client_changes_are_in_the_audit_log(api, sessions):
    admin = api.new_client("admin", name="root")
    new = api.http.post("/clients", json={"name": "x", "role": "assessor"}, headers=admin.headers)
    api.http.delete(f"/clients/{new.json()['id']}", headers=admin.headers)
    with sessions() as s:
        rows = s.execute(select(audit_log).order_by(audit_log.c.id)).mappings().all()
    actions = [(r["action"], r["actor"], r["record_id"]) for r in rows]
    assert ("client.create", "cli", admin.id) in actions
    assert ("client.create", "admin:root", new.json()["id"]) in actions
    assert ("client.revoke", "admin:root", new.json()["id"]) in actions
    page = api.http.get("/audit", headers=admin.headers).json()
    assert page["total"] == 3 and page["items"][0]["action"] == "client.revoke"
