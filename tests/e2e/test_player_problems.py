"""Problems never stop the player: a host's `onProblem` message and an unreadable saved
state are shown in the alert region, and the learner goes on."""

from __future__ import annotations

import json

from .player_fixtures import (
    finished,
    module_url,
    next_screen,
    open_module,
    page_fixture,  # noqa: F401 - fixture
    preview_fixture,  # noqa: F401 - fixture
    saved_state,
    screen,
)

KEY = "clusterexcellence.player/competency-self-test/competency-self-test/en"


def test_storage_that_refuses_writes_is_announced_and_the_run_goes_on(page, preview):
    page.add_init_script(
        "Storage.prototype.setItem = function () {"
        " throw new DOMException('full', 'QuotaExceededError'); };"
    )
    open_module(page, module_url(preview, "competency-self-test", "en", "competency-self-test"))
    alert = page.locator("#ce-problems")
    assert alert.get_attribute("role") == "alert"
    assert "does not keep your answers" in alert.inner_text()
    assert next_screen(page).startswith("section:")  # the learner goes on
    page.locator("#ce-main input[type=radio]").first.check()
    assert len(saved_state(page)["a"]) == 1  # kept in memory for this visit
    assert alert.locator("p").count() == 1  # said once, not at every save


def test_an_unreadable_saved_state_gives_a_fresh_start_and_says_so(page, preview):
    page.add_init_script(f'localStorage.setItem({json.dumps(KEY)}, \'{{"v":1,"a":\');')
    open_module(page, module_url(preview, "competency-self-test", "fr", "competency-self-test"))
    # the French run has its own entry: nothing to read, no problem
    assert page.locator("#ce-problems p").count() == 0
    open_module(page, module_url(preview, "competency-self-test", "en", "competency-self-test"))
    assert screen(page) == "intro"
    assert "could not be read" in page.inner_text("#ce-problems")
    assert "a" not in saved_state(page)


def test_start_again_forgets_the_run_in_the_preview(page, preview):
    url = module_url(preview, "case-studies", "en", "member-engagement-services")
    open_module(page, url)
    while not screen(page).startswith("point:"):
        next_screen(page)
    while screen(page) != "results":
        if screen(page).startswith("point:"):
            page.locator("#ce-main input[type=radio]").first.check()
        next_screen(page)
    assert finished(page) is not None
    page.click("#ce-restart")
    page.wait_for_function("document.getElementById('ce-app').dataset.screen === 'intro'")
    state = saved_state(page)
    assert "p" not in state and "f" not in state
