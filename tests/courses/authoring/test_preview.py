"""``cluster-excellence preview``: the real server on 127.0.0.1, clicked through."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import urlencode

import numpy as np
import pytest

from clusterexcellence.courses.authoring.preview import make_server
from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.engine import compile_instrument, score
from clusterexcellence.engine.labels import label_report
from clusterexcellence.engine.responses import encode_rows


@pytest.fixture(scope="module")
def base():
    server = make_server(CONTENT_ROOT, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    assert host == "127.0.0.1"
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as resp:
        assert resp.status == 200
        assert "script-src" not in resp.headers["Content-Security-Policy"]
        return resp.read().decode("utf-8")


def post(url: str, fields: list[tuple[str, str]]) -> str:
    data = urlencode(fields).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30) as resp:
        return resp.read().decode("utf-8")


def by_id(html: str, element_id: str) -> str:
    m = re.search(rf'id="{re.escape(element_id)}"[^>]*>([^<]*)<', html)
    assert m, f"no element {element_id}"
    return unescape(m.group(1))


def href(html: str, pattern: str) -> str:
    m = re.search(pattern, html)
    assert m, pattern
    return unescape(m.group(1))


def test_index_lists_every_course_and_module(base):
    html = get(base + "/")
    for path in (
        "/m/case-studies/financing-after-public-funding/en",
        "/m/case-studies/gold-audit-evidence/fr",
        "/m/competency-self-test/self-test/en",
        "/m/label-self-assessment/label-self-assessment/fr",
    ):
        assert f'href="{path}"' in html
    assert "<script" not in html


def test_case_can_be_clicked_through_to_the_end(base):
    case = get(base + "/m/case-studies/financing-after-public-funding/en")
    assert "AtlanTech Norte" in case and "<table>" in case and "<img" in case
    assert 'id="debrief"' in case
    svg = re.search(r'<img src="(/f/[^"]+\.svg)"', case).group(1)
    assert get(base + svg).lstrip().startswith(("<svg", "<?xml"))
    url = base + href(case, r'id="start" href="([^"]+)"')
    for _ in range(10):
        point = get(url)
        option = href(point, r'class="option" href="([^"]+)"')  # always the first option
        chosen = get(base + option)
        assert "Feedback" in chosen
        shown = float(by_id(chosen, "item-score"))
        m = re.search(r"\(option score ([0-9.]+)\)", chosen)
        assert 0 <= shown <= 1 and m
        nxt = href(chosen, r'id="next" href="([^"]+)"')
        url = base + nxt
        if "/end" in nxt:
            break
    end = get(url)
    assert by_id(end, "overall") != "–"


def click(base: str, url: str, option: str) -> str:
    """From a point page at ``url``, follow ``option`` and then its "continue" link."""
    point = get(url)
    chosen = get(base + href(point, rf'class="option" href="([^"]+/{option}(?:\?[^"]*)?)"'))
    return base + href(chosen, r'id="next" href="([^"]+)"')


def test_the_preview_shows_the_text_variant_of_the_path_clicked(base):
    case = base + "/m/case-studies/governance-conflict/en"
    start = base + href(get(case), r'id="start" href="([^"]+)"')
    # first-weeks a → repair b skips reform-design: no reform was designed
    url = click(base, click(base, start, "a"), "b")
    assert "path=first-weeks%3Aa%2Crepair%3Ab" in url
    flagship = click(base, url, "d")
    assembly = get(flagship)
    assert "there was no time for a task force" in assembly
    # first-weeks c → reform-design b: the task force's reform reaches the assembly
    url = click(base, click(base, click(base, start, "c"), "b"), "d")
    assembly = get(url)
    assert "The changes to the statutes must be adopted" in assembly
    assert "there was no time for a task force" not in assembly
    # an option page shows the feedback and consequence for the path: Ferrodinamica left
    gone = get(
        base + "/m/case-studies/governance-conflict/fr/point/flagship-programmes/d"
        "?path=first-weeks:c,reform-design:c"
    )
    stays = get(
        base + "/m/case-studies/governance-conflict/fr/point/flagship-programmes/d"
        "?path=first-weeks:c,reform-design:b"
    )
    assert "Ferrodinamica a notifié son retrait" in gone
    assert "Ferrodinamica a notifié son retrait" not in stays
    assert "70 000 € par an au programme fournisseurs" in unescape(stays)


def test_unknown_pages_are_404(base):
    with pytest.raises(urllib.error.HTTPError) as exc:
        get(base + "/m/case-studies/nope/en")
    assert exc.value.code == 404
    assert "<h1>Page not found</h1>" in exc.value.read().decode()
    with pytest.raises(urllib.error.HTTPError) as exc:
        get(base + "/m/case-studies/financing-after-public-funding/fr/point/nope")
    assert exc.value.code == 404
    page = exc.value.read().decode()
    assert '<html lang="fr">' in page and "<h1>Page introuvable</h1>" in page
    with pytest.raises(urllib.error.HTTPError) as exc:
        get(base + "/f/case-studies/financing-after-public-funding/../../course.yaml")
    assert exc.value.code == 404


def answers_for(ins, k: int) -> tuple[list[tuple[str, str]], dict]:
    """Deterministic answers to every item (varying with ``k``), as form fields and values."""
    fields, natural = [], {}
    for i, it in enumerate(ins.items):
        if it.type == "likert":
            value = str(1 + (i + k) % it.points)
        elif it.type in ("single_choice", "situational"):
            value = it.options[(i + k) % len(it.options)].id
        elif it.type == "multiple_choice":
            value = it.options[0].id
        elif it.type == "boolean":
            value = "true" if (i + k) % 3 else "false"
        else:
            lo = it.min if it.min is not None else 0
            span = int(min((it.max if it.max is not None else lo + 50) - lo, 50))
            value = f"{lo + (i * 7 + k * 13) % (span + 1):g}"
        fields.append((it.id, value))
        natural[it.id] = value
    return fields, natural


def test_self_test_form_shows_the_engines_scores(base):
    ins = find_instrument("competency-self-test")
    page = get(base + "/m/competency-self-test/self-test/en")
    assert page.count("<fieldset") == len(ins.items)
    fields, natural = answers_for(ins, 1)
    html = post(base + "/m/competency-self-test/self-test/en/score", fields)
    compiled = compile_instrument(ins)
    res = score(encode_rows(compiled, [natural]), compiled)
    assert by_id(html, "overall") == f"{res.overall[0]:.4f}"
    for k, dim in enumerate(compiled.dimension_ids):
        assert by_id(html, f"score-{dim}") == f"{res.dimension_scores[0, k]:.4f}"
        lvl = res.dimension_levels[0, k]
        # levels are shown by their title in the page's language
        assert by_id(html, f"level-{dim}") == (ins.levels[lvl].title["en"] if lvl >= 0 else "–")


def test_label_form_shows_the_engines_label_level_and_gaps(base):
    ins = find_instrument("label-self-assessment")
    fields, natural = answers_for(ins, 2)
    html = post(base + "/m/label-self-assessment/label-self-assessment/en/score", fields)
    compiled = compile_instrument(ins)
    res = score(encode_rows(compiled, [natural]), compiled)
    rep = label_report(res, 0)
    titles = {lv.id: lv.title["en"] for lv in ins.label.levels}
    assert by_id(html, "label-level") == (titles[rep.level] if rep.level else "none")
    assert float(by_id(html, "label-points")) == pytest.approx(rep.points)
    assert by_id(html, "label-ratio") == f"{rep.ratio:.4f}"
    assert html.count('class="gap"') == len(rep.gaps)
    assert not np.isnan(res.overall[0])


def test_invalid_answer_is_a_400_page(base):
    with pytest.raises(urllib.error.HTTPError) as exc:
        post(
            base + "/m/competency-self-test/self-test/en/score",
            [("sr-nothing", "1")] + [(find_instrument("competency-self-test").items[0].id, "99")],
        )
    assert exc.value.code == 400


ENGLISH_CHROME = (
    "All courses",
    "Learning objectives",
    "Exhibits",
    "Start the decisions",
    "Debrief",
    "Back to the case",
    "Your choice:",
    "Feedback",
    "What happens next",
    "See your results",
    "End of the case",
    "Overall:",
    "Competency",
    "Read the debrief",
    "Score my answers",
    "Your results:",
    "Reachable level:",
    "Minimum requirements not met:",
    "Gaps",
    "Answer again",
)


def assert_french(html: str, *chrome: str) -> None:
    assert '<html lang="fr">' in html
    assert "Tous les cours" in html
    for text in chrome:
        assert text in html, text
    for text in ENGLISH_CHROME:
        assert text not in html, text


def test_french_pages_have_french_chrome(base):
    from clusterexcellence.courses.authoring.ui import UI

    assert UI["fr"].keys() == UI["en"].keys()
    root = "/m/case-studies/financing-after-public-funding/fr"
    case = get(base + root)
    assert_french(
        case, "Objectifs pédagogiques", "Annexes", "Commencer les décisions", "Note pédagogique"
    )
    point = get(base + href(case, r'id="start" href="([^"]+)"'))
    assert_french(point, "Retour au cas")
    chosen = get(base + href(point, r'class="option" href="([^"]+)"'))
    assert_french(chosen, "Votre choix :", "Commentaire", "Score :")
    assert 0 <= float(by_id(chosen, "item-score")) <= 1
    end = get(base + root + "/end?" + urlencode({"path": "x:y"}))
    assert_french(end, "Fin du cas", "Score global :", "Compétence", "Lire la note pédagogique")

    ins = find_instrument("label-self-assessment")
    url = base + "/m/label-self-assessment/label-self-assessment/fr"
    assert_french(get(url), "Calculer mes scores")
    fields, _ = answers_for(ins, 2)
    html = post(url + "/score", fields)
    assert_french(
        html,
        "Vos résultats :",
        "Score global :",
        "<th>Niveau</th>",
        "<th>Couverture</th>",
        "Niveau atteignable :",
        "Exigences minimales non remplies :",
        "Écarts",
        "Répondre à nouveau",
    )
    assert float(by_id(html, "label-points")) >= 0


def test_english_pages_keep_english_chrome(base):
    case = get(base + "/m/case-studies/financing-after-public-funding/en")
    assert '<html lang="en">' in case
    assert "Learning objectives" in case and "Debrief" in case and "All courses" in case
    assert "Objectifs pédagogiques" not in case


def test_a_too_large_form_is_refused_in_the_pages_language(base):
    import http.client
    from urllib.parse import urlsplit

    from clusterexcellence.courses.authoring.preview import MAX_FORM_BYTES

    # The declared length is enough: the server answers before reading any body.
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.putrequest("POST", "/m/competency-self-test/self-test/fr/score")
    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
    conn.putheader("Content-Length", str(MAX_FORM_BYTES + 1))
    conn.endheaders()
    resp = conn.getresponse()
    page = resp.read().decode()
    conn.close()
    assert resp.status == 413
    assert '<html lang="fr">' in page and "trop volumineux" in page


def raw_request(base: str, head: str, body: bytes = b"", *, timeout: float = 30) -> tuple[int, str]:
    """Send ``head`` (request line and headers, as written) on a socket; the status and page."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(base)
    with socket.create_connection((url.hostname, url.port), timeout=timeout) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert data, "the server closed the connection without an answer"
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2].decode()


CASE = "/m/case-studies/financing-after-public-funding"
FILES = "/f/case-studies/financing-after-public-funding"
SCORE = "/m/competency-self-test/self-test/fr/score"


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        (f"{FILES}/exhibits/%00.svg", 400, "Bad request"),
        (f"{CASE}/en/point/%00", 400, "Bad request"),
        ("/m/case-studies/%0a/en", 400, "Bad request"),
        (f"{FILES}/{'a' * 5000}", 404, "Page not found"),
        (f"{FILES}/exhibits/{'a' * 5000}.svg", 404, "Page not found"),
        (f"{CASE}/{'a' * 5000}", 404, "Page not found"),
    ],
)
def test_a_hostile_path_is_a_4xx_page(base, path, status, title):
    code, page = raw_request(base, f"GET {path} HTTP/1.1\nHost: preview\nConnection: close\n")
    assert code == status
    assert f"<h1>{title}</h1>" in page


@pytest.mark.parametrize(
    ("length", "status", "words"),
    [
        ("Content-Length: abc\n", 400, "Requête invalide"),
        ("Content-Length: -1\n", 400, "Requête invalide"),
        ("Content-Length: 1e3\n", 400, "Requête invalide"),
        ("", 411, "longueur du formulaire"),
        ("Transfer-Encoding: chunked\n", 411, "longueur du formulaire"),
    ],
)
def test_a_bad_form_length_is_a_4xx_page_in_the_pages_language(base, length, status, words):
    head = f"POST {SCORE} HTTP/1.1\nHost: preview\nConnection: close\n{length}"
    code, page = raw_request(base, head, b"sr-x=1", timeout=10)
    assert code == status
    assert '<html lang="fr">' in page and words in page


def test_a_client_that_stops_sending_is_dropped():
    import time

    server = make_server(CONTENT_ROOT, host="127.0.0.1", port=0, request_timeout=0.5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        import socket

        host, port = server.server_address[:2]
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(f"POST {SCORE} HTTP/1.1\r\nContent-Length: 100\r\n\r\nsr-x=1".encode())
            start = time.monotonic()
            assert sock.recv(1024) == b""  # closed, not waiting for the rest
            assert time.monotonic() - start < 5
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_every_item_type_of_the_engine_has_a_form_field():
    from clusterexcellence.courses.authoring.instrument_pages import FORM_FIELDS
    from clusterexcellence.engine.items import ITEM_TYPES

    assert set(FORM_FIELDS) == set(ITEM_TYPES)
