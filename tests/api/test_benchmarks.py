"""Peer statistics and positions: the engine's figures over the reference data and the
consented results; nothing for a group under k = 5."""

import numpy as np
import pytest

from clusterexcellence.courses.population.bundled import (
    load_bundled_managers,
    load_bundled_organisations,
)
from clusterexcellence.engine.benchmark import distribution, positions

from .factories import LABEL, SELF_TEST, submission, version


def by_measure(body: dict) -> dict:
    return {m["measure"]: m for m in body["measures"]}


def test_statistics_are_the_engines_over_the_filtered_reference(api):
    club = api.new_client("club-admin")
    r = api.http.get(
        f"/benchmarks/{SELF_TEST}/versions/{version(SELF_TEST)}?portfolio=ict", headers=club.headers
    )
    assert r.status_code == 200, r.text
    body = r.json()
    ref = load_bundled_managers().where(portfolio="ict")
    want = distribution(ref.values("dim:strategy"))
    got = by_measure(body)["dim:strategy"]
    assert got["statistics"] == pytest.approx(want.__dict__)
    assert got["withheld"] is None
    assert body["sources"] == {
        "reference_units": len(ref),
        "reference_synthetic": True,
        "results": 0,
    }
    assert set(by_measure(body)) == {"overall"} | {
        f"dim:{d}"
        for d in [
            "strategy",
            "community",
            "financing",
            "services",
            "international",
            "innovation",
            "impact",
            "leadership",
        ]
    }


def test_a_group_under_five_gets_a_reason_not_a_figure(api):
    lms, club = api.new_client("lms"), api.new_client("club-admin")
    # "quality" is not in the reference data: its peers are the consented results only.
    for i in range(4):
        api.http.post(
            "/results",
            json=submission(f"o{i}", instrument=LABEL, seed=i, club=True),
            headers=lms.headers,
        )
    api.http.post(
        "/results", json=submission("private", instrument=LABEL, seed=9), headers=lms.headers
    )
    quality = by_measure(
        api.http.get(f"/benchmarks/{LABEL}/versions/{version(LABEL)}", headers=club.headers).json()
    )["dim:quality"]
    assert quality["statistics"] is None and quality["n"] == 4
    assert quality["withheld"] == "group has 4 unit(s) with a value; at least 5 are needed"
    fifth = api.http.post(
        "/results", json=submission("o4", instrument=LABEL, seed=4, club=True), headers=lms.headers
    ).json()
    body = api.http.get(
        f"/benchmarks/{LABEL}/versions/{version(LABEL)}", headers=club.headers
    ).json()
    quality = by_measure(body)["dim:quality"]
    assert quality["n"] == 5 and quality["statistics"]["n"] == 5
    assert body["sources"]["results"] == 5
    # Withdrawn consent: the result stops counting at once.
    api.http.patch(
        f"/results/{fifth['id']}/consent", json={"share_with_club": False}, headers=lms.headers
    )
    quality = by_measure(
        api.http.get(f"/benchmarks/{LABEL}/versions/{version(LABEL)}", headers=club.headers).json()
    )["dim:quality"]
    assert quality["statistics"] is None and quality["n"] == 4


def test_erased_results_stop_counting(api):
    lms, club = api.new_client("lms"), api.new_client("club-admin")
    for i in range(5):
        api.http.post(
            "/results",
            json=submission(f"o{i}", instrument=LABEL, seed=i, club=True),
            headers=lms.headers,
        )
    url = f"/benchmarks/{LABEL}/versions/{version(LABEL)}"
    assert by_measure(api.http.get(url, headers=club.headers).json())["dim:quality"]["n"] == 5
    api.http.delete("/learners/o0", headers=lms.headers)
    assert by_measure(api.http.get(url, headers=club.headers).json())["dim:quality"]["n"] == 4


def test_consented_results_join_the_reference_peers(api):
    lms, club = api.new_client("lms"), api.new_client("club-admin")
    url = f"/benchmarks/{LABEL}/versions/{version(LABEL)}?portfolio=maritime&size_band=micro"
    before = api.http.get(url, headers=club.headers).json()
    body = submission("o", instrument=LABEL, club=True, portfolio="maritime", size_band="micro")
    created = api.http.post("/results", json=body, headers=lms.headers).json()
    after = api.http.get(url, headers=club.headers).json()
    assert after["sources"]["results"] == before["sources"]["results"] + 1
    ref = load_bundled_organisations().where(portfolio="maritime", size_band="micro")
    values = np.append(ref.values("overall"), created["outcome"]["overall"]["score"])
    want = distribution(values)
    assert by_measure(after)["overall"]["statistics"] == pytest.approx(want.__dict__)


def test_a_filter_matching_nobody_is_withheld_everywhere(api):
    club = api.new_client("club-admin")
    r = api.http.get(
        f"/benchmarks/{SELF_TEST}/versions/{version(SELF_TEST)}?country=ZZ", headers=club.headers
    )
    assert r.status_code == 200
    assert all(m["statistics"] is None and m["n"] == 0 for m in r.json()["measures"])


def test_the_position_of_a_result_among_its_peers(api):
    lms = api.new_client("lms")
    body = submission("me", portfolio="ict", seed=4)
    created = api.http.post("/results", json=body, headers=lms.headers).json()
    r = api.http.get(f"/results/{created['id']}/benchmark?same=portfolio", headers=lms.headers)
    assert r.status_code == 200, r.text
    got = {p["measure"]: p for p in r.json()["positions"]}
    ref = load_bundled_managers().where(portfolio="ict")
    mine = created["outcome"]["dimensions"]["strategy"]["score"]
    want = positions([mine], ref.values("dim:strategy"))
    assert got["dim:strategy"]["percentile"] == pytest.approx(float(want.percentile[0]))
    assert got["dim:strategy"]["quartile"] == int(want.quartile[0])
    assert got["dim:strategy"]["group_n"] == want.group_size
    assert r.json()["same"] == ["portfolio"]


def test_a_position_by_an_attribute_the_result_lacks_is_422(api):
    lms = api.new_client("lms")
    rid = api.http.post("/results", json=submission(), headers=lms.headers).json()["id"]
    r = api.http.get(f"/results/{rid}/benchmark?same=country", headers=lms.headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "same"
    r = api.http.get(f"/results/{rid}/benchmark?same=shoe_size", headers=lms.headers)
    assert r.status_code == 422


def test_positions_of_a_small_group_are_withheld(api):
    lms = api.new_client("lms")
    body = submission("me", instrument=LABEL, club=True)
    rid = api.http.post("/results", json=body, headers=lms.headers).json()["id"]
    got = api.http.get(f"/results/{rid}/benchmark", headers=lms.headers).json()
    quality = next(p for p in got["positions"] if p["measure"] == "dim:quality")
    assert quality["percentile"] is None and quality["withheld"]


def test_benchmarks_of_an_unknown_instrument_are_404(api):
    club = api.new_client("club-admin")
    assert api.http.get("/benchmarks/nope/versions/1", headers=club.headers).status_code == 404
