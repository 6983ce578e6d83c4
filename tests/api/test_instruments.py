from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine import scoring_spec

from .factories import LABEL, SELF_TEST, version


def test_lists_the_bundled_instruments_and_their_versions(api):
    lms = api.new_client("lms")
    r = api.http.get("/instruments", headers=lms.headers)
    assert r.status_code == 200
    by_id = {i["id"]: i for i in r.json()["items"]}
    assert set(by_id) == {SELF_TEST, LABEL}
    assert by_id[SELF_TEST]["versions"] == [version(SELF_TEST)]
    assert by_id[SELF_TEST]["items"] == len(find_instrument(SELF_TEST).items)
    assert by_id[LABEL]["label_rules"] is True
    assert [d["id"] for d in by_id[SELF_TEST]["dimensions"]][:2] == ["strategy", "community"]


def test_one_instrument_and_an_unknown_one(api):
    assessor = api.new_client("assessor")
    assert api.http.get(f"/instruments/{LABEL}", headers=assessor.headers).json()[
        "version"
    ] == version(LABEL)
    assert api.http.get("/instruments/nope", headers=assessor.headers).status_code == 404


def test_downloads_the_engine_scoring_spec(api):
    lms = api.new_client("lms")
    r = api.http.get(f"/instruments/{LABEL}/versions/{version(LABEL)}/spec", headers=lms.headers)
    assert r.status_code == 200
    assert r.json() == scoring_spec(find_instrument(LABEL))


def test_a_spec_of_an_unknown_version_is_404_naming_the_published_ones(api):
    lms = api.new_client("lms")
    r = api.http.get(f"/instruments/{LABEL}/versions/7/spec", headers=lms.headers)
    assert r.status_code == 404 and f"published: [{version(LABEL)}]" in r.json()["detail"]
    r = api.http.get("/instruments/nope/versions/1/spec", headers=lms.headers)
    assert r.status_code == 404


def test_instruments_need_a_credential(api):
    assert api.http.get("/instruments").status_code == 401
