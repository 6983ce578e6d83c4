"""Markdown rendering and the sanitiser."""

from __future__ import annotations

from clusterexcellence.courses.markdown import render, sanitize, unsafe_html


def test_sanitiser_removes_script_elements_and_their_content():
    html = render("Hello\n\n<script>alert('x')</script>\n\nworld")
    assert "<script" not in html and "alert" not in html
    assert "Hello" in html and "world" in html


def test_sanitiser_removes_event_handlers():
    html = render('<span onclick="steal()">x</span> <img src="a.png" onerror="evil()">')
    assert "onclick" not in html and "onerror" not in html and "steal" not in html
    assert "<span>x</span>" in html


def test_sanitiser_removes_javascript_urls():
    assert "javascript" not in render('<a href="javascript:alert(1)">x</a>')
    assert "javascript" not in render("[x](javascript:alert(1))").split("[x]")[0]
    assert "javascript" not in sanitize('<img src="JaVaScRiPt:alert(1)">')


def test_sanitiser_removes_iframes_and_styles():
    html = sanitize('<iframe src="https://x"></iframe><p style="color:red">t</p><style>p{}</style>')
    assert "iframe" not in html and "style" not in html and "<p>t</p>" in html


def test_tables_images_and_links_survive():
    html = render(
        "| a | b |\n|--:|---|\n| 1 | 2 |\n\n![alt](img/x.png) [site](https://example.org)"
    )
    assert "<table>" in html and '<th style="text-align:right">a</th>' in html
    assert '<img src="img/x.png" alt="alt">' in html
    assert 'href="https://example.org"' in html


def test_relative_urls_can_be_rewritten():
    html = render("![alt](img/x.png)", url=lambda u: f"/files/{u}")
    assert 'src="/files/img/x.png"' in html


def test_unsafe_html_is_located_in_the_markdown():
    found = unsafe_html("Title\n\nText <b onclick='x()'>bold</b>\n\n<iframe src=x></iframe>\n")
    assert [(f.line, f.message) for f in found] == [
        (3, "event handler attribute 'onclick' on <b> would be stripped"),
        (5, "<iframe> would be stripped"),
    ]
    assert unsafe_html("Plain **markdown** with <em>safe</em> HTML.") == []
