"""The authorisation matrix: every endpoint × every role and no credential.

``other-lms`` is a second LMS client: it must see nothing of the first one's learners.
The table is the specification; a new endpoint fails
``test_the_matrix_covers_every_endpoint`` until it has a row here.
"""

import uuid

import pytest

from .factories import submission

CALLERS = ("anonymous", "lms", "other-lms", "label-body", "assessor", "club-admin", "admin")
V = {"X-Experience-API-Version": "1.0.3"}


def _statement():
    return {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": "https://l.example", "name": "x"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"objectType": "Activity", "id": "https://l.example/a"},
    }


def row(a, lms, other, label, assessor, club, admin):
    return dict(zip(CALLERS, (a, lms, other, label, assessor, club, admin), strict=True))


OPEN = row(200, 200, 200, 200, 200, 200, 200)
ANY_ROLE = row(401, 200, 200, 200, 200, 200, 200)
OWNER_AND_ADMIN = row(401, 200, 404, 404, 404, 404, 200)
LMS_ONLY = row(401, 200, 200, 403, 403, 403, 403)
ADMIN_ONLY = row(401, 403, 403, 403, 403, 403, 200)

# (method, path, body, extra headers, expected status by caller)
MATRIX = [
    ("GET", "/healthz", None, {}, OPEN),
    ("GET", "/readyz", None, {}, OPEN),
    ("GET", "/instruments", None, {}, ANY_ROLE),
    ("GET", "/instruments/{instrument}", None, {}, ANY_ROLE),
    ("GET", "/instruments/{instrument}/versions/1/spec", None, {}, ANY_ROLE),
    ("POST", "/results", submission, {}, row(401, 201, 201, 403, 403, 403, 403)),
    ("GET", "/results", None, {}, ANY_ROLE),
    ("GET", "/results/{result}", None, {}, OWNER_AND_ADMIN),
    ("GET", "/results/{result}/xapi", None, {}, OWNER_AND_ADMIN),
    ("GET", "/results/{result}/benchmark", None, {}, OWNER_AND_ADMIN),
    (
        "PATCH",
        "/results/{result}/consent",
        lambda: {"share_with_club": False},
        {},
        row(401, 200, 404, 403, 403, 403, 403),
    ),
    ("GET", "/learners/{learner}/results", None, {}, LMS_ONLY),
    ("GET", "/learners/{learner}/export", None, {}, LMS_ONLY),
    ("DELETE", "/learners/nobody", None, {}, LMS_ONLY),
    ("POST", "/xapi/statements", _statement, V, LMS_ONLY),
    ("GET", "/benchmarks/{instrument}/versions/1", None, {}, ANY_ROLE),
    (
        "POST",
        "/clients",
        lambda: {"name": "new", "role": "lms"},
        {},
        row(401, 403, 403, 403, 403, 403, 201),
    ),
    ("GET", "/clients", None, {}, ADMIN_ONLY),
    ("DELETE", "/clients/{victim}", None, {}, ADMIN_ONLY),
    ("GET", "/audit", None, {}, ADMIN_ONLY),
]


def _template(path: str) -> str:
    return (
        path.replace("{instrument}", "{instrument_id}")
        .replace("{result}", "{result_id}")
        .replace("{learner}", "{learner_id}")
        .replace("{victim}", "{client_id}")
        .replace("/versions/1", "/versions/{version}")
        .replace("/learners/nobody", "/learners/{learner_id}")
    )


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "expected"),
    MATRIX,
    ids=[f"{m} {p}" for m, p, *_ in MATRIX],
)
def test_authorisation_matrix(api, method, path, body, headers, expected):
    creds = {c: api.new_client(c.removeprefix("other-")) for c in CALLERS if c != "anonymous"}
    owner = creds["lms"]
    result = api.http.post("/results", json=submission("learner-m"), headers=owner.headers).json()
    got = {}
    for caller in CALLERS:
        victim = api.new_client("lms").id if "{victim}" in path else ""
        url = path.format(
            instrument="competency-self-test",
            result=result["id"],
            learner="learner-m",
            victim=victim,
        )
        auth = {} if caller == "anonymous" else creds[caller].headers
        r = api.http.request(
            method,
            url,
            json=body() if body else None,
            headers={**auth, **headers},
        )
        got[caller] = r.status_code
        if r.status_code >= 400:
            assert r.headers["content-type"] == "application/problem+json"
    assert got == expected


def test_a_revoked_or_malformed_credential_is_401_everywhere(api):
    admin = api.new_client("admin")
    gone = api.new_client("lms")
    api.http.delete(f"/clients/{gone.id}", headers=admin.headers)
    for auth in (
        gone.headers,
        {"Authorization": "Bearer"},
        {"Authorization": "Token abc"},
        {"Authorization": admin.token},
    ):
        for method, path, *_ in MATRIX:
            if path in ("/healthz", "/readyz"):
                continue
            url = path.format(instrument="x", result="x", learner="x", victim="x")
            assert api.http.request(method, url, headers=auth).status_code == 401, (method, path)


def test_nothing_leaks_across_lms_clients(api):
    a, b = api.new_client("lms"), api.new_client("lms")
    rid = api.http.post("/results", json=submission("shared-name"), headers=a.headers).json()["id"]
    assert api.http.get("/learners/shared-name/results", headers=b.headers).json()["total"] == 0
    assert api.http.get("/learners/shared-name/export", headers=b.headers).json()["results"] == []
    assert api.http.get("/results", headers=b.headers).json()["total"] == 0
    assert api.http.delete("/learners/shared-name", headers=b.headers).json()["erased_results"] == 0
    assert api.http.get(f"/results/{rid}", headers=a.headers).status_code == 200


def test_the_matrix_covers_every_endpoint_and_matches_the_documented_roles(api):
    schema = api.http.get("/openapi.json").json()
    documented = {
        (method.upper(), path): op.get("x-roles")
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }
    covered = {(m, _template(p)): expected for m, p, _, _, expected in MATRIX}
    assert set(covered) == set(documented)
    for key, expected in covered.items():
        roles = documented[key]
        if roles is None:  # open endpoints
            assert set(expected.values()) == {200}
            continue
        allowed = {c.removeprefix("other-") for c, s in expected.items() if s not in (401, 403)}
        assert allowed == set(roles), key
        assert f"`{roles[0]}`" in schema["paths"][key[1]][key[0].lower()]["description"]
