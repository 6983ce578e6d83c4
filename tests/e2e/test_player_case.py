"""A case study in the player, through the preview server in Chromium: reading screens,
decisions with the feedback and consequence of the path taken, branching, the debrief,
and the engine's scores for that path; resumed on the same screen after a reload."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest

from clusterexcellence.courses.decisions import case_result
from clusterexcellence.courses.markdown import render
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.pathtext import text_for
from clusterexcellence.courses.validate import validate_content

from .player_fixtures import (
    finished,
    module_url,
    next_screen,
    open_module,
    page_fixture,  # noqa: F401 - fixture
    preview_fixture,  # noqa: F401 - fixture
    saved_state,
    screen,
    strict_page_fixture,  # noqa: F401 - fixture
    wait_screen,
)

CONTENT = validate_content(CONTENT_ROOT).content


def case_model(module_id: str):
    return next(m.model for m in CONTENT.modules() if m.id == module_id)


def read_to_decisions(page) -> None:
    """From the intro, through the sections and exhibits to the first decision point."""
    while not screen(page).startswith("point:"):
        next_screen(page)


def decide(page, option: str) -> str:
    """Choose ``option`` at the point shown, confirm; the feedback screen's id."""
    page.check(f'#ce-main input[type=radio][value="{option}"]')
    return next_screen(page)


def words(markdown_or_text: str) -> str:
    """The words of a text, without Markdown or HTML marks, as one spaced string."""
    plain = re.sub(r"<[^>]+>", " ", render(markdown_or_text))
    return " ".join(re.findall(r"\w+", unescape(plain)))


def main_text(page) -> str:
    return page.inner_text("#ce-main")


def assert_same_result(shown: dict, expected) -> None:
    def close(a, b):
        return (a is None and b is None) or (
            a is not None and b is not None and math.isclose(a, b, abs_tol=1e-9)
        )

    assert close(shown["overall"]["score"], expected.overall.score)
    for d in expected.dimensions:
        assert close(shown["dimensions"][d.id]["score"], d.score), d.id
    for item, value in expected.items.items():
        assert close(shown["items"][item], value), item


def test_a_whole_case_branches_gives_feedback_and_scores_as_the_engine(strict_page, preview):
    page = strict_page  # under the preview's Content-Security-Policy
    case = case_model("governance-conflict")
    assert (
        open_module(page, module_url(preview, "case-studies", "en", "governance-conflict"))
        == "intro"
    )
    assert "Learning objectives" in main_text(page)
    read_to_decisions(page)
    assert screen(page) == "point:first-weeks"
    # first-weeks a → repair b skips reform-design: no reform was designed
    assert decide(page, "a") == "feedback:first-weeks"
    points = {p.id: p for p in case.decisions.points}
    option = next(o for o in points["first-weeks"].options if o.id == "a")
    text = main_text(page)
    assert "Feedback" in text and "What happens next" in text
    assert words(text_for(option.feedback, [])["en"])[:80] in words(text)
    assert words(text_for(option.consequence, [])["en"])[:80] in words(text)
    assert option.next == "repair"
    assert next_screen(page) == "point:repair"
    decide(page, "b")
    assert next_screen(page) == "point:flagship-programmes"
    decide(page, "d")
    assert next_screen(page) == "point:general-assembly"
    assert "there was no time for a task force" in main_text(page)
    decide(page, "a")
    assert next_screen(page) == "debrief"
    assert "Reflections" in main_text(page)
    page.click("#ce-main details summary")
    assert next_screen(page) == "results"
    path = [
        ("first-weeks", "a"),
        ("repair", "b"),
        ("flagship-programmes", "d"),
        ("general-assembly", "a"),
    ]
    expected = case_result(case, path)
    result = finished(page)
    assert_same_result(result, expected)
    # the table shows the same numbers, as whole percentages, per competency
    for d in expected.dimensions:
        cell = page.inner_text(f'#ce-results tr[data-id="{d.id}"] td')
        assert cell == ("not scored" if d.score is None else f"{round(d.score * 100)}%"), d.id
    assert saved_state(page)["p"] == [list(x) for x in path]
    assert saved_state(page)["f"] == 1


def test_the_feedback_follows_the_path_in_french(strict_page, preview):
    page = strict_page
    url = module_url(preview, "case-studies", "fr", "governance-conflict")
    open_module(page, url)
    read_to_decisions(page)
    decide(page, "c")
    next_screen(page)
    assert screen(page) == "point:reform-design"
    decide(page, "c")
    next_screen(page)
    assert screen(page) == "point:flagship-programmes"
    decide(page, "d")
    text = main_text(page)
    assert "Commentaire" in text
    assert "Ferrodinamica a notifié son retrait" in text
    # the same option after another path: Ferrodinamica stays
    page.evaluate("localStorage.clear()")
    open_module(page, url)
    read_to_decisions(page)
    decide(page, "c")
    next_screen(page)
    decide(page, "b")
    next_screen(page)
    decide(page, "d")
    text = main_text(page)
    assert "Ferrodinamica a notifié son retrait" not in text
    assert "70 000 € par an au programme fournisseurs" in text


def test_a_reload_half_way_resumes_on_the_same_screen_with_the_same_path(page, preview):
    url = module_url(preview, "case-studies", "en", "financing-after-public-funding")
    open_module(page, url)
    read_to_decisions(page)
    first = screen(page)
    decide(page, "b")
    second = next_screen(page)
    assert second.startswith("point:") and second != first
    state = saved_state(page)
    page.reload()
    assert wait_screen(page) == second
    assert saved_state(page)["p"] == state["p"]
    page.wait_for_function("document.getElementById('ce-live').textContent.length > 0")
    assert "Welcome back" in page.inner_text("#ce-live")
    # a reload on a feedback screen shows the same feedback again
    decide(page, "a")
    feedback_text = main_text(page)
    page.reload()
    assert wait_screen(page).startswith("feedback:")
    assert main_text(page) == feedback_text


@pytest.mark.parametrize("module_id", [m.id for m in CONTENT.modules() if m.kind == "case"])
def test_every_case_runs_to_its_results_on_its_first_options(page, preview, module_id):
    case = case_model(module_id)
    open_module(page, module_url(preview, "case-studies", "en", module_id))
    read_to_decisions(page)
    path = []
    while screen(page).startswith("point:"):
        point = screen(page).split(":", 1)[1]
        option = next(p for p in case.decisions.points if p.id == point).options[0].id
        decide(page, option)
        path.append((point, option))
        next_screen(page)
    assert screen(page) == "debrief"
    assert next_screen(page) == "results"
    assert_same_result(finished(page), case_result(case, path))
