"""Speed of the learner player in the browser, printed as one JSON object.

Run: ``.venv/bin/python bench/player.py`` (``--quick`` for fewer loads). The launch
folders of three modules (a case, the competency self-test, the label self-assessment,
in English, with the preview host) and the app are written as a package lays them out
and served on 127.0.0.1; headless Chromium (Debian's) loads each page in a fresh
context, and the page measures itself:

- ``first_render_ms``: the slowest module's median time from the start of navigation
  to the first screen shown (``performance.mark("ce-first-render")`` set by the app,
  read with ``performance.getEntriesByName``; the clock is ``performance.now``);
- ``first_render_ms_by_module``: the median of each module.

The launch page preloads the app's modules (``<link rel="modulepreload">``), so they
arrive in parallel rather than one import level after the other. On a shared machine the
figures move with the load (``load_average`` is printed with them).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clusterexcellence.courses.paths import CONTENT_ROOT  # noqa: E402
from clusterexcellence.courses.validate import validate_content  # noqa: E402
from clusterexcellence.player.site import app_files, module_files  # noqa: E402

MODULES = [
    ("case-studies", "governance-conflict"),
    ("competency-self-test", "competency-self-test"),
    ("label-self-assessment", "label-self-assessment"),
]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Quiet(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a web server an LMS runs on
    # headers and body go out as two writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold the body back ~40 ms per file
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass


def write_site(folder: Path) -> None:
    """The app and the launch folders of ``MODULES``, as in a package."""
    content = validate_content(CONTENT_ROOT).content
    for name, data in app_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    for course, module in MODULES:
        for name, data in module_files(content, course, module, "en", host="preview").items():
            target = folder / module / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


def measure(base: str, loads: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for _, module in MODULES:
                times = []
                for _ in range(loads):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(f"{base}/{module}/index.html")
                    page.wait_for_function(
                        "performance.getEntriesByName('ce-first-render').length > 0"
                    )
                    times.append(
                        page.evaluate(
                            "performance.getEntriesByName('ce-first-render')[0].startTime"
                        )
                    )
                    context.close()
                out[module] = round(statistics.median(times), 1)
        finally:
            browser.close()
    return out


def figures(*, quick: bool = False) -> dict:
    """The figures above (``bench/scorm.py`` prints them with the package figures)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_site(folder)
        handler = functools.partial(Quiet, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            by_module = measure(f"http://127.0.0.1:{server.server_address[1]}", 3 if quick else 15)
        finally:
            server.shutdown()
            server.server_close()
    return {"first_render_ms": max(by_module.values()), "first_render_ms_by_module": by_module}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 loads per module, not 15")
    args = parser.parse_args()
    out = figures(quick=args.quick)
    out.update(quick=args.quick, load_average=round(os.getloadavg()[0], 2))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
