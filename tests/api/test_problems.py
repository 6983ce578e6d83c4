"""Every error is an RFC 9457 problem; authentication comes before validation."""

import json

import pytest
from fastapi.testclient import TestClient

from clusterexcellence.api.database import make_engine, make_sessionmaker
from clusterexcellence.api.main import create_app
from clusterexcellence.api.settings import Settings

PROBLEM = "application/problem+json"


def assert_problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["type"] == "about:blank"
    return body


def test_unknown_path_is_a_404_problem(api):
    body = assert_problem(api.http.get("/no/such/thing"), 404)
    assert body["instance"] == "/no/such/thing"


def test_wrong_method_is_a_405_problem_with_allow(api):
    r = api.http.put("/healthz")
    assert_problem(r, 405)
    assert r.headers["allow"] == "GET"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer cex_not-a-real-token"}, {"Authorization": "Basic abc"}],
)
def test_an_anonymous_invalid_body_gets_401_not_422(api, headers):
    for content in ('{"name": 5}', "{not json", "[" * 5000):
        r = api.http.post(
            "/clients", content=content, headers={"Content-Type": "application/json", **headers}
        )
        body = assert_problem(r, 401)
        assert "errors" not in body
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_a_wrong_role_with_an_invalid_body_gets_403_not_422(api):
    lms = api.new_client("lms")
    r = api.http.post("/clients", json={"name": 5}, headers=lms.headers)
    assert_problem(r, 403)


def test_invalid_fields_are_named_with_their_location(api):
    admin = api.new_client("admin")
    r = api.http.post("/clients", json={"name": "x", "role": "king"}, headers=admin.headers)
    body = assert_problem(r, 422)
    assert body["errors"][0]["location"] == "body"
    assert body["errors"][0]["field"] == "role"
    assert "role" in body["detail"]
    r = api.http.get("/audit?limit=0", headers=admin.headers)
    assert assert_problem(r, 422)["errors"][0] == {
        "location": "query",
        "field": "limit",
        "message": "Input should be greater than or equal to 1",
    }


def test_strict_models_refuse_a_number_for_a_string(api):
    admin = api.new_client("admin")
    r = api.http.post("/clients", json={"name": 12, "role": "lms"}, headers=admin.headers)
    assert assert_problem(r, 422)["errors"][0]["field"] == "name"


def test_malformed_json_is_a_400_problem(api):
    admin = api.new_client("admin")
    r = api.http.post(
        "/clients",
        content='{"name": "x",',
        headers={**admin.headers, "Content-Type": "application/json"},
    )
    assert_problem(r, 400)


def test_deeply_nested_json_is_a_4xx_problem(api):
    admin = api.new_client("admin")
    for content in ("[" * 100_000 + "]" * 100_000, '{"a":' * 20_000 + "1" + "}" * 20_000):
        r = api.http.post(
            "/clients",
            content=content,
            headers={**admin.headers, "Content-Type": "application/json"},
        )
        assert_problem(r, 400)


def test_a_body_that_is_not_json_is_a_415_problem(api):
    admin = api.new_client("admin")
    r = api.http.post(
        "/clients",
        content=json.dumps({"name": "x", "role": "lms"}),
        headers={**admin.headers, "Content-Type": "text/plain"},
    )
    assert_problem(r, 415)


def test_an_oversized_body_is_a_413_problem(api):
    admin = api.new_client("admin")
    big = json.dumps({"name": "x" * 300_000, "role": "lms"})
    assert_problem(api.http.post("/clients", content=big, headers=admin.headers), 413)

    def chunks():  # no Content-Length: counted while read
        for _ in range(400):
            yield b"x" * 1024

    r = api.http.post(
        "/clients", content=chunks(), headers={**admin.headers, "Content-Type": "application/json"}
    )
    assert_problem(r, 413)


def test_an_unexpected_error_is_a_500_problem_without_internals(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}"))

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    r = TestClient(app, raise_server_exceptions=False).get("/boom")
    body = assert_problem(r, 500)
    assert "secret" not in r.text and "Traceback" not in r.text
    assert body["detail"] == "an unexpected error occurred; it has been logged"


def test_unknown_or_repeated_query_parameters_are_422_after_authentication(api):
    admin = api.new_client("admin")
    assert api.http.get("/audit?limti=5").status_code == 401
    r = api.http.get("/audit?limti=5", headers=admin.headers)
    assert assert_problem(r, 422)["errors"] == [
        {"location": "query", "field": "limti", "message": "unknown query parameter"}
    ]
    r = api.http.get("/audit?limit=5&limit=6", headers=admin.headers)
    assert assert_problem(r, 422)["errors"][0]["message"] == "given more than once"
    assert api.http.get("/healthz?x=1").status_code == 422


def test_a_database_that_went_away_is_a_503_to_retry(api):
    lms = api.new_client("lms")
    dead = make_engine("postgresql://nobody:nothing@127.0.0.1:9/none?connect_timeout=1")
    api.app.state.sessions = make_sessionmaker(dead)
    r = api.http.get("/instruments", headers=lms.headers)
    body = assert_problem(r, 503)
    assert r.headers["retry-after"] == "1" and "nobody" not in r.text
    assert body["detail"] == "the database is unavailable or busy; retry shortly"
