"""``cluster-excellence preview``: the real server on 127.0.0.1, over HTTP (the player
itself runs in Chromium in ``tests/e2e/test_player_*.py``)."""

from __future__ import annotations

import json
import re
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import urlsplit

import pytest

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.validate import validate_content
from clusterexcellence.player.preview import PLAYER_CSP, make_server


def start(root, **options):
    server = make_server(root, host="127.0.0.1", port=0, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"

    def stop():
        server.shutdown()
        server.server_close()
        thread.join()

    return f"http://{host}:{port}", stop


@pytest.fixture(scope="module")
def base():
    url, stop = start(CONTENT_ROOT)
    yield url
    stop()


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.status, resp.headers, resp.read()


def bundle_of(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="ce-bundle">(.*?)</script>', page, re.S)
    assert m, "no bundle in the launch page"
    return json.loads(m.group(1))


def test_the_index_links_every_module_in_every_language(base):
    status, headers, body = get(base + "/")
    html = body.decode()
    assert status == 200 and "<script" not in html
    assert "script-src" not in headers["Content-Security-Policy"]
    content = validate_content(CONTENT_ROOT).content
    links = set(re.findall(r'href="(/m/[^"]+)"', html))
    expected = {
        f"/m/{c.model.id}/{lang}/{m.id}/"
        for c in content.courses
        for m in c.modules
        for lang in c.model.languages
    }
    assert links == expected and len(expected) == 18


def test_a_launch_page_carries_the_bundle_and_names_the_preview_host(base):
    status, headers, body = get(base + "/m/case-studies/fr/governance-conflict/")
    page = body.decode()
    assert status == 200
    assert headers["Content-Security-Policy"] == PLAYER_CSP
    assert "'unsafe-inline'" not in PLAYER_CSP and "script-src 'self'" in PLAYER_CSP
    assert '<meta name="ce-host" content="preview">' in page
    assert '<html lang="fr">' in page
    bundle = bundle_of(page)
    assert bundle["module"]["id"] == "governance-conflict" and bundle["module"]["lang"] == "fr"
    assert bundle["keys"] is not None  # the preview host scores in the browser
    assert 'src="../player/js/app.js"' in page
    # the folder without its slash is redirected, so that relative links resolve
    req = urllib.request.Request(base + "/m/case-studies/fr/governance-conflict")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as exc:
        opener.open(req, timeout=30)
    assert exc.value.code == 301
    assert exc.value.headers["Location"] == "/m/case-studies/fr/governance-conflict/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_player_files_and_the_media_are_served_with_their_types(base):
    status, headers, body = get(base + "/m/case-studies/en/player/js/app.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert b"export class Player" in body
    status, headers, _ = get(base + "/m/case-studies/en/player/css/player.css")
    assert headers["Content-Type"].startswith("text/css")
    page = get(base + "/m/case-studies/en/financing-after-public-funding/")[2].decode()
    figures = [e for e in bundle_of(page)["case"]["exhibits"] if e["kind"] == "figure"]
    assert figures
    status, headers, body = get(
        base + "/m/case-studies/en/financing-after-public-funding/" + figures[0]["src"]
    )
    assert status == 200 and headers["Content-Type"].startswith("image/svg+xml")
    assert body.lstrip().startswith((b"<svg", b"<?xml"))
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/m/case-studies/en/nope/",
        "/m/case-studies/de/governance-conflict/",
        "/m/nope/en/governance-conflict/",
        "/m/case-studies/en/governance-conflict/media/../../course.yaml",
        "/m/case-studies/en/governance-conflict/module.yaml",
        "/m/case-studies/en/player/../../../pyproject.toml",
        "/m/case-studies/en/player/index.html",
        "/elsewhere",
    ],
)
def test_unknown_pages_are_404(base, path):
    with pytest.raises(urllib.error.HTTPError) as exc:
        get(base + path)
    assert exc.value.code == 404
    assert "<h1>Page not found</h1>" in exc.value.read().decode()


def test_a_404_in_a_french_module_is_in_french(base):
    with pytest.raises(urllib.error.HTTPError) as exc:
        get(base + "/m/case-studies/fr/nope/")
    page = exc.value.read().decode()
    assert '<html lang="fr">' in page and "<h1>Page introuvable</h1>" in page


def raw_request(base: str, head: str, body: bytes = b"", *, timeout: float = 30) -> tuple[int, str]:
    """Send ``head`` (request line and headers, as written) on a socket; status and page."""
    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data, "the server closed the connection without an answer"
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), unescape(rest.partition(b"\r\n\r\n")[2].decode())


CASE = "/m/case-studies/en/financing-after-public-funding"


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        (f"{CASE}/media/%00.svg", 400, "Bad request"),
        ("/m/case-studies/%0a/x/", 400, "Bad request"),
        (f"{CASE}/media/{'a' * 5000}.svg", 404, "Page not found"),
        (f"/m/case-studies/en/{'a' * 5000}/", 404, "Page not found"),
    ],
)
def test_a_hostile_path_is_a_4xx_page(base, path, status, title):
    code, page = raw_request(base, f"GET {path} HTTP/1.1\nHost: preview\nConnection: close\n")
    assert code == status
    assert f"<h1>{title}</h1>" in page


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_other_methods_than_get_are_refused(base, method):
    head = f"{method} {CASE}/ HTTP/1.1\nHost: preview\nContent-Length: 3\nConnection: close\n"
    code, page = raw_request(base, head, b"a=1")
    assert code == 405 and "<h1>Method not allowed</h1>" in page


def test_head_gives_the_headers_without_a_body(base):
    req = urllib.request.Request(base + CASE + "/", method="HEAD")
    with urllib.request.urlopen(req, timeout=30) as resp:
        assert resp.status == 200 and int(resp.headers["Content-Length"]) > 1000
        assert resp.read() == b""


def test_a_client_that_stops_sending_is_dropped():
    url, stop = start(CONTENT_ROOT, request_timeout=0.5)
    try:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: preview\r\n")  # headers never end
            start_time = time.monotonic()
            assert sock.recv(1024) == b""  # closed, not waiting for the rest
            assert time.monotonic() - start_time < 5
    finally:
        stop()


def test_content_is_read_again_when_a_file_changes(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_ROOT / "case-studies", root / "case-studies")
    url, stop = start(root)
    try:
        launch = url + "/m/case-studies/en/governance-conflict/"
        title = bundle_of(get(launch)[2].decode())["module"]["title"]
        module = root / "case-studies" / "governance-conflict" / "module.yaml"
        text = module.read_text(encoding="utf-8")
        assert title in text
        module.write_text(text.replace(title, "A board in crisis, retitled"), encoding="utf-8")
        assert (
            bundle_of(get(launch)[2].decode())["module"]["title"] == "A board in crisis, retitled"
        )
        # an invalid module leaves the index up, marked, and its page gone
        module.write_text("kind: case\nid: [\n", encoding="utf-8")
        index = get(url + "/")[2].decode()
        assert "invalid: run validate" in index and "validation problem(s)" in index
        with pytest.raises(urllib.error.HTTPError) as exc:
            get(launch)
        assert exc.value.code == 404
    finally:
        stop()
