"""The questionnaires in the player, through the preview server in Chromium: the whole
competency self-test by keyboard alone, the label self-assessment with its profile, every
item type of the engine, and the engine's scores for the answers given; resumed on the
same screen with the same answers after a reload."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from ruamel.yaml import YAML

from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.validate import validate_content
from clusterexcellence.engine import compile_instrument, score_answers
from clusterexcellence.engine.examples import random_instrument
from clusterexcellence.engine.items import ITEM_TYPES
from clusterexcellence.player.bundle import build_bundle
from clusterexcellence.player.site import launch_page

from .player_fixtures import (
    finished,
    module_url,
    next_screen,
    open_module,
    page_fixture,  # noqa: F401 - fixture
    preview_fixture,  # noqa: F401 - fixture
    saved_state,
    screen,
    serve,
    wait_screen,
)


def engine_json(ins, answers: dict) -> dict:
    [result] = score_answers(compile_instrument(ins), [answers])
    return result.to_json()


def assert_same_json(got, expected, where="result") -> None:
    """Equal JSON, numbers within 1e-9."""
    if isinstance(expected, float) or isinstance(got, float):
        assert got is not None and expected is not None, where
        assert math.isclose(got, expected, abs_tol=1e-9), f"{where}: {got} != {expected}"
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and got.keys() == expected.keys(), where
        for k in expected:
            assert_same_json(got[k], expected[k], f"{where}.{k}")
    elif isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), where
        for k, (a, b) in enumerate(zip(got, expected, strict=True)):
            assert_same_json(a, b, f"{where}[{k}]")
    else:
        assert got == expected, f"{where}: {got!r} != {expected!r}"


def choice_index(k: int, n: int) -> int:
    """The option (0-based) given to the ``k``-th question with ``n`` options."""
    return (3 * k + 1) % n


def active(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, type: e.type || '',"
        " name: e.name || '', id: e.id || '', value: e.value || ''}; }"
    )


def keyboard_section(page, items: dict, answers: dict, counter: list[int]) -> None:
    """Answer every question of the screen shown with the keyboard, then press Next."""
    kb = page.keyboard
    for _ in range(2000):
        kb.press("Tab")
        el = active(page)
        if el["tag"] == "BUTTON":
            if el["id"] == "ce-next":
                kb.press("Enter")
                return
            continue
        if el["tag"] != "INPUT":
            continue
        item = items[
            el["name"].removeprefix("ce-item-")
            or el["id"].removeprefix("ce-item-")[: -len("-input")]
        ]
        k = counter[0]
        counter[0] += 1
        if item.type == "numeric":
            value = int(item.min or 0) + k % 7
            kb.type(str(value))
            answers[item.id] = value
        elif item.type == "multiple_choice":
            picked = []
            for j, opt in enumerate(item.options):
                if j:
                    kb.press("Tab")
                if (j + k) % 2 == 0:
                    kb.press("Space")
                    picked.append(opt.id)
            answers[item.id] = picked
        else:
            n = {"likert": getattr(item, "points", 0), "boolean": 2}.get(item.type) or len(
                item.options
            )
            target = choice_index(k, n)
            kb.press("Space")  # checks the first radio of the group
            for _ in range(target):
                kb.press("ArrowRight")  # moves to the next radio and checks it
            if item.type == "likert":
                answers[item.id] = target + 1
            elif item.type == "boolean":
                answers[item.id] = target == 0  # yes first, then no
            else:
                answers[item.id] = item.options[target].id
    raise AssertionError("never reached the Next button")


def test_the_whole_self_test_by_keyboard_alone(page, preview):
    ins = find_instrument("competency-self-test")
    items = {it.id: it for it in ins.items}
    url = module_url(preview, "competency-self-test", "en", "competency-self-test")
    assert open_module(page, url) == "intro"
    answers: dict = {}
    counter = [0]
    seen = []
    while True:
        current = screen(page)
        seen.append(current)
        # the focus is on the new screen's heading
        assert page.evaluate("document.activeElement.tagName") == "H2", current
        if current == "results":
            break
        if current.startswith("section:"):
            progress = page.inner_text(".ce-progress")
            assert f"{len(answers)} of {len(ins.items)} questions answered" in progress
            keyboard_section(page, items, answers, counter)
        else:
            for _ in range(50):
                page.keyboard.press("Tab")
                if active(page)["id"] == "ce-next":
                    break
            page.keyboard.press("Enter")
        wait_screen(page, current)
    assert seen[0] == "intro" and seen[-2:] == ["review", "results"]
    assert len([s for s in seen if s.startswith("section:")]) == 8
    assert len(answers) == len(ins.items)
    assert_same_json(finished(page), engine_json(ins, answers))
    # results: a level per area, the radar with its table, recommendations
    table = page.locator("#ce-area-table tbody tr")
    assert table.count() == len(ins.dimensions)
    assert page.locator("svg.ce-radar path.ce-radar-band").count() == 1
    assert page.locator(".ce-recommendations > li").count() == 3
    assert saved_state(page)["f"] == 1


def fill_profile(page, ins, *, portfolio: str) -> dict:
    """Every profile field at its longest text (or a number); the values given."""
    values = {}
    for field in ins.profile:
        sel = f"#ce-profile-{field.id}"
        if field.type == "choice":
            value = portfolio if field.id == "portfolio" else field.choices[-1].id
            page.select_option(sel, value)
        elif field.type in ("number", "integer"):
            value = int(field.min or 0) + 12
            page.fill(sel, str(value))
        else:
            maxlength = int(page.get_attribute(sel, "maxlength"))
            value = ("Cluster Énergie « Rhône » " * 20)[: maxlength - 1] + "Z"
            page.fill(sel, value + "overflow")  # the input keeps maxlength characters
            assert page.input_value(sel) == value
        page.locator(sel).dispatch_event("change")
        values[field.id] = value
    return values


def answer_screen(page, ins, answers: dict, k: int) -> int:
    """Answer every question shown with the mouse and typing; the next counter."""
    shown = page.evaluate(
        "[...document.querySelectorAll('#ce-main .ce-item')].map(e => e.id.slice(5))"
    )
    items = {it.id: it for it in ins.items}
    for item_id in shown:
        item = items[item_id]
        box = f'[id="item-{item_id}"]'
        if item.type == "numeric":
            lo = item.min if item.min is not None else 0
            hi = item.max if item.max is not None else lo + 100
            value = (
                lo + (k * 37) % int(hi - lo + 1)
                if item.integer
                else round(lo + (hi - lo) * ((k * 0.37) % 1), 2)
            )
            typed = str(value).replace(".", ",")  # French decimal comma
            page.fill(f"{box} input", typed)
            page.locator(f"{box} input").dispatch_event("change")
            answers[item_id] = value
        else:
            inputs = page.locator(f"{box} input")
            if item.type == "multiple_choice":
                picked = []
                for j, opt in enumerate(item.options):
                    if (j + k) % 2 == 0:
                        inputs.nth(j).check()
                        picked.append(opt.id)
                answers[item_id] = picked
            else:
                n = inputs.count()
                j = choice_index(k, n)
                inputs.nth(j).check()
                answers[item_id] = (
                    j + 1
                    if item.type == "likert"
                    else (j == 0)
                    if item.type == "boolean"
                    else item.options[j].id
                )
        k += 1
    return k


def test_the_label_self_assessment_in_french_scores_as_the_engine(page, preview):
    ins = find_instrument("label-self-assessment")
    url = module_url(preview, "label-self-assessment", "fr", "label-self-assessment")
    open_module(page, url)
    assert "Aperçu : rien n’est enregistré." in page.inner_text("#ce-preview-banner")
    assert next_screen(page) == "profile"
    profile = fill_profile(page, ins, portfolio="health")
    answers: dict = {}
    k = 0
    while next_screen(page).startswith("section:"):
        text = page.inner_text("#ce-main")
        assert "Justificatif" in text or "Exigence minimale" in text or "Indicateur" in text
        k = answer_screen(page, ins, answers, k)
    assert screen(page) == "review"
    assert next_screen(page) == "results"
    expected = engine_json(ins, answers)
    result = finished(page)
    assert_same_json(result, expected)
    assert saved_state(page)["d"] == profile
    label = expected["label"]
    # knock-outs, readiness with reasons, gaps, peer groups with the learner's portfolio
    assert page.locator(".ce-knockouts > li").count() == len(label["requirements_failed"])
    for level in label["levels"]:
        row = page.locator(f'.ce-readiness > li[data-level="{level["level"]}"]')
        assert row.locator("li").count() == len(level["reasons"])
        kinds = [r["kind"] for r in level["reasons"]]
        assert row.locator("li").evaluate_all("els => els.map(e => e.dataset.kind)") == kinds
    assert page.locator(".ce-gaps > li").evaluate_all("els => els.map(e => e.dataset.id)") == [
        g["indicator"] for g in label["gaps"]
    ]
    groups = page.locator(".ce-groups > li").evaluate_all("els => els.map(e => e.dataset.group)")
    assert groups == ["all", "portfolio:health", "excellence"]
    text = page.inner_text("#ce-results")
    assert "Tous les pairs" in text and "Groupe d'excellence (label Or)" in text
    assert "synthétiques" in text
    assert "{" not in text  # every placeholder filled


def test_a_reload_half_way_resumes_with_the_same_answers(page, preview):
    ins = find_instrument("label-self-assessment")
    url = module_url(preview, "label-self-assessment", "en", "label-self-assessment")
    open_module(page, url)
    next_screen(page)
    profile = fill_profile(page, ins, portfolio="food")
    answers: dict = {}
    next_screen(page)
    k = answer_screen(page, ins, answers, 0)
    second = next_screen(page)
    answer_screen(page, ins, answers, k)
    page.reload()
    assert wait_screen(page) == second
    state = saved_state(page)
    assert state["a"] == answers and state["d"] == profile
    # the inputs show the answers again
    for item_id, value in answers.items():
        box = f'[id="item-{item_id}"]'
        if page.locator(box).count() == 0:
            continue
        item = next(it for it in ins.items if it.id == item_id)
        if item.type == "numeric":
            assert float(page.input_value(f"{box} input")) == value
        else:
            assert page.locator(f"{box} input:checked").count() == 1
    page.click("#ce-main nav button:not(#ce-next)")  # Previous
    assert wait_screen(page, second).startswith("section:")
    page.click("#ce-main nav button:not(#ce-next)")
    assert wait_screen(page) == "profile"
    for field in ins.profile:
        shown = page.input_value(f"#ce-profile-{field.id}")
        assert shown == str(profile[field.id]), field.id


def test_a_typed_number_out_of_range_is_refused_with_a_message(page, preview):
    url = module_url(preview, "label-self-assessment", "en", "label-self-assessment")
    open_module(page, url)
    next_screen(page)
    next_screen(page)
    box = page.locator(".ce-item-numeric").first
    box.locator("input").fill("1 000 000 000")
    box.locator("input").dispatch_event("change")
    assert "Enter at most" in box.locator(".ce-error").inner_text()
    assert box.locator("input").get_attribute("aria-invalid") == "true"
    assert saved_state(page).get("a", {}) == {}
    box.locator("input").fill("3")
    box.locator("input").dispatch_event("change")
    assert box.locator(".ce-error").inner_text() == ""
    assert list(saved_state(page)["a"].values()) == [3]


@pytest.fixture(scope="module")
def every_type(tmp_path_factory):
    """A course whose instrument has items of every type the engine knows, served."""
    ins = random_instrument(np.random.default_rng(3), n_items=12, n_areas=2, with_label=True)
    assert {it.type for it in ins.items} == set(ITEM_TYPES)
    root = tmp_path_factory.mktemp("every-type")
    course = root / "every"
    (course / ins.id).mkdir(parents=True)
    yaml = YAML()
    with open(course / "course.yaml", "w", encoding="utf-8") as f:
        yaml.dump(
            {
                "id": "every",
                "title": {"en": "Every type"},
                "description": {"en": "An instrument with every item type."},
                "languages": ["en"],
                "modules": [ins.id],
            },
            f,
        )
    with open(course / ins.id / "module.yaml", "w", encoding="utf-8") as f:
        yaml.dump(json.loads(ins.model_dump_json(exclude_none=True)), f)
    base, stop = serve(root)
    yield base, ins
    stop()


def test_the_player_renders_and_scores_every_item_type_of_the_engine(page, every_type):
    base, ins = every_type
    open_module(page, module_url(base, "every", "en", ins.id))
    answers: dict = {}
    k = 0
    while (current := next_screen(page)).startswith("section:"):
        k = answer_screen(page, ins, answers, k)
    assert current == "review"
    assert set(answers) == {it.id for it in ins.items}
    assert next_screen(page) == "results"
    assert_same_json(finished(page), engine_json(ins, answers))


def test_a_withheld_peer_group_says_so(page, preview):
    """A group under k organisations has no figures: the results say why."""
    content = validate_content(CONTENT_ROOT).content
    bundle = build_bundle(content, "label-self-assessment", "label-self-assessment", "en").data
    group = next(g for g in bundle["peers"]["groups"] if g["id"] == "portfolio:maritime")
    group.update(n=3, measures=None)
    url = module_url(preview, "label-self-assessment", "en", "label-self-assessment")
    page.route(
        url,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body=launch_page(bundle, host="preview"),
        ),
    )
    ins = find_instrument("label-self-assessment")
    state = {
        "v": 1,
        "m": "label-self-assessment",
        "iv": ins.version,
        "s": "results",
        "a": {ins.items[0].id: 10},
        "d": {"portfolio": "maritime"},
    }
    key = "clusterexcellence.player/label-self-assessment/label-self-assessment/en"
    page.add_init_script(
        f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(state))})"
    )
    assert open_module(page, url) == "results"
    withheld = page.locator('.ce-groups > li[data-group="portfolio:maritime"]')
    assert (
        "Not shown: 3 organisations in this group, fewer than the 5 needed" in withheld.inner_text()
    )
    assert withheld.locator("svg").count() == 0
    assert page.locator('.ce-groups > li[data-group="all"] svg.ce-strip').count() == 1
