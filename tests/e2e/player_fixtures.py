"""Fixtures of the player's browser tests: the preview server on 127.0.0.1, pages of the
session's Chromium (``browser`` of ``conftest.py``), axe-core, and helpers to walk the
player's screens.

Test modules import the fixtures they use (``page_fixture``, ``strict_page_fixture``,
``preview_fixture``: registered as ``page``, ``strict_page``, ``preview``) and the helpers.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.player.preview import make_server

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core impacts that fail a test.
BLOCKING = ("serious", "critical")


def serve(root: Path) -> tuple[str, callable]:
    """A preview server of ``root`` on a free loopback port: its base URL and a stop."""
    server = make_server(root, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join()

    return f"http://{host}:{port}", stop


@pytest.fixture(scope="module", name="preview")
def preview_fixture() -> Iterator[str]:
    """Base URL of a preview server of the bundled content."""
    base, stop = serve(CONTENT_ROOT)
    yield base
    stop()


@pytest.fixture(name="page")
def page_fixture(browser):
    """A fresh page (own storage) that fails the test on any script error. CSP is
    bypassed so that tests can inject axe-core (the preview's CSP is checked over HTTP,
    and the case tests run under it with ``strict_page``)."""
    context = browser.new_context(viewport={"width": 1000, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.errors = errors
    yield pg
    context.close()
    assert not errors, errors


@pytest.fixture(name="strict_page")
def strict_page_fixture(browser):
    """A fresh page under the server's Content-Security-Policy; fails on script errors
    and on any CSP report."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on(
        "console",
        lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield pg
    context.close()
    assert not errors, errors


def module_url(base: str, course: str, lang: str, module: str) -> str:
    """The preview URL of a module's launch page."""
    return f"{base}/m/{course}/{lang}/{module}/"


def screen(page) -> str:
    """The id of the screen shown (set once it is rendered and saved)."""
    return page.evaluate("document.getElementById('ce-app').dataset.screen || ''")


def wait_screen(page, previous: str | None = None) -> str:
    """Wait until a screen is shown (another one than ``previous``); its id."""
    page.wait_for_function(
        "prev => { const s = document.getElementById('ce-app').dataset.screen;"
        " return s && s !== prev; }",
        arg=previous,
    )
    return screen(page)


def open_module(page, url: str) -> str:
    page.goto(url)
    return wait_screen(page)


def next_screen(page) -> str:
    """Press the screen's main button and wait for the next screen."""
    before = screen(page)
    page.click("#ce-next")
    return wait_screen(page, before)


def saved_state(page) -> dict:
    """The learner state the preview host saved last, decoded."""
    return json.loads(page.evaluate("window.cePlayer.host.saved.state"))


def finished(page) -> dict:
    """The result the app handed to ``host.finish``."""
    return page.evaluate("window.cePlayer.host.finished")


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is."""
    assert AXE.is_file(), "run `npm ci` for axe-core (make test does)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in BLOCKING
    ]
