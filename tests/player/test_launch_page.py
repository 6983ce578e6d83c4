"""The launch page template: the app and every module it imports are preloaded, so the
browser fetches them in parallel (the first render does not wait for one import level
after the other)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from clusterexcellence.player.site import HOSTS, launch_page

STATIC = Path(__file__).resolve().parents[2] / "player" / "static"


def import_closure(start: str) -> set[str]:
    """Paths (relative to ``static/``) of ``start`` and every module it imports statically."""
    seen, todo = set(), [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        text = (STATIC / path).read_text(encoding="utf-8")
        for target in re.findall(
            r'^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"', text, re.M | re.S
        ):
            todo.append(posixpath.normpath(posixpath.join(posixpath.dirname(path), target)))
    return seen


@pytest.mark.parametrize("host", HOSTS)
def test_the_launch_page_preloads_every_module_of_the_app_and_its_host(host):
    bundle = {"module": {"lang": "en", "title": "T & <b>"}, "ui": {"noscript": "JS"}, "x": 1}
    page = launch_page(bundle, host=host, prefix="../player/")
    preloaded = set(re.findall(r'<link rel="modulepreload" href="\.\./player/([^"]+)">', page))
    # local.js too: every host that scores in the browser needs it (the LMS hosts import
    # it on first use).
    modules = ("js/app.js", f"js/hosts/{host}.js", "js/local.js")
    expected = set().union(*map(import_closure, modules)) - {"js/app.js"}
    assert len(expected) > 10
    assert preloaded == expected
    assert '<script type="module" src="../player/js/app.js"></script>' in page
    assert "<title>T &amp; &lt;b&gt;</title>" in page
