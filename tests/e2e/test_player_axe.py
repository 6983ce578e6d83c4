"""Accessibility of the player: axe-core finds no serious or critical violation on any
screen of every module kind, in English and in French."""

from __future__ import annotations

import pytest

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.validate import validate_content

from .player_fixtures import (
    axe_violations,
    module_url,
    next_screen,
    open_module,
    page_fixture,  # noqa: F401 - fixture
    preview_fixture,  # noqa: F401 - fixture
    screen,
)

CONTENT = validate_content(CONTENT_ROOT).content
#: Every bundled module: the seven cases, the self-test and the label self-assessment.
MODULES = [(c.model.id, m.id) for c in CONTENT.courses for m in c.modules]


def answer_all_shown(page) -> None:
    """Give an answer to every question on the screen (the first option, a number)."""
    page.evaluate(
        """() => {
          for (const box of document.querySelectorAll('#ce-main .ce-item')) {
            const text = box.querySelector('input[type=text]');
            const choice = box.querySelector('input[type=radio], input[type=checkbox]');
            if (text) { text.value = '1'; text.dispatchEvent(new Event('change')); }
            else if (choice) { choice.click(); }
          }
          const select = document.querySelector('#ce-main select');
          if (select) { select.selectedIndex = 1; select.dispatchEvent(new Event('change')); }
        }"""
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("course", "module"), MODULES)
def test_no_serious_violation_on_any_screen(page, preview, course, module, lang):
    open_module(page, module_url(preview, course, lang, module))
    seen = []
    for _ in range(60):
        current = screen(page)
        seen.append(current)
        if current.startswith("point:"):
            # a decision confirmed without a choice shows its error message first
            page.click("#ce-next")
            page.wait_for_selector("#ce-main .ce-error:not(:empty)")
            page.check("#ce-main input[type=radio] >> nth=0")
        answer_all_shown(page)
        found = axe_violations(page)
        assert not found, (current, found)
        if current == "results":
            break
        next_screen(page)
    assert seen[-1] == "results" and len(seen) > 8, seen
