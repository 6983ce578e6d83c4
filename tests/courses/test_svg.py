"""SVG figures are self-contained pictures: no scripts, handlers, javascript: or outside loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clusterexcellence.courses.paths import CONTENT_ROOT
from clusterexcellence.courses.svg import svg_problems
from clusterexcellence.courses.validate import validate_path

DATA = Path(__file__).parent.parent / "data" / "content"
OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


@pytest.mark.parametrize(
    ("body", "line", "column", "message"),
    [
        ("<script>alert(1)</script>", 2, 3, "<script> in an SVG figure"),
        ('<rect width="9" onload="alert(1)"/>', 2, 3, "event handler attribute 'onload' on <rect>"),
        ('<a href="javascript:alert(1)"><text>x</text></a>', 2, 3, "javascript: URL in href"),
        ('<a xlink:href=" JaVa&#x09;script:x()">x</a>', 2, 3, "javascript: URL in xlink:href"),
        ('<image href="https://example.org/a.png"/>', 2, 3, "link outside the file"),
        ('<image xlink:href="//example.org/a.png"/>', 2, 3, "link outside the file"),
        ('<use href="http://example.org/s.svg#x"/>', 2, 3, "link outside the file"),
        ('<image src="ftp://example.org/a.png"/>', 2, 3, "link outside the file"),
        ('<image href="data:text/html,x"/>', 2, 3, "data: URL that is not a PNG, JPEG"),
        ("<foreignObject><p>x</p></foreignObject>", 2, 3, "<foreignObject> in an SVG figure"),
        ("<style>@import 'https://x.org/a.css';</style>", 2, 3, "@import in a <style>"),
        ("<style>rect {fill: url(https://x.org/p)}</style>", 2, 3, "link outside the file"),
        ('<rect style="fill: url(&quot;//x.org/p&quot;)"/>', 2, 3, "link outside the file"),
        ('<set attributeName="href" to="javascript:x()"/>', 2, 3, "animation of a link"),
    ],
)
def test_an_unsafe_svg_is_located_at_its_element(tmp_path, body, line, column, message):
    path = tmp_path / "figure.svg"
    path.write_text(f"{OPEN}\n  {body}\n</svg>\n", encoding="utf-8")
    problems = svg_problems(path)
    assert [(p.file, p.line, p.column) for p in problems] == [(path, line, column)], problems
    assert message in problems[0].message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "x">]>\n<svg/>', 2, "DOCTYPE"),
        ("<svg>\n<rect>\n</svg>\n", 3, "invalid SVG (XML): mismatched tag"),
        ("<html><body/></html>", 1, "the root element is <html>, not <svg>"),
    ],
)
def test_an_svg_that_is_no_plain_xml_picture_is_refused(tmp_path, text, line, message):
    path = tmp_path / "figure.svg"
    path.write_text(text, encoding="utf-8")
    (problem,) = svg_problems(path)
    assert problem.line == line and message in problem.message, problem


def test_an_entity_bomb_is_refused_without_expanding(tmp_path):
    levels = ['<!ENTITY a0 "xxxxxxxxxx">'] + [
        f'<!ENTITY a{k} "{f"&a{k - 1};" * 10}">' for k in range(1, 10)
    ]
    path = tmp_path / "bomb.svg"
    path.write_text(f"<!DOCTYPE svg [{''.join(levels)}]>\n<svg>&a9;</svg>\n", encoding="utf-8")
    (problem,) = svg_problems(path)
    assert "DOCTYPE" in problem.message and problem.line == 1


def test_local_references_fragments_and_images_are_fine(tmp_path):
    path = tmp_path / "figure.svg"
    path.write_text(
        f'{OPEN}<defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="fill: url(#g)"/>'
        '<use xlink:href="#g"/><image href="photo.png"/><image href="data:image/png;base64,AA=="/>'
        '<a href="#top"><text>x</text></a><style>rect { stroke: url(#g) }</style></svg>',
        encoding="utf-8",
    )
    assert svg_problems(path) == []


def test_every_bundled_figure_is_safe():
    figures = sorted(CONTENT_ROOT.glob("case-studies/*/exhibits/*.svg"))
    assert len(figures) >= 4
    assert [p for f in figures for p in svg_problems(f)] == []


def test_validate_reports_an_unsafe_figure_in_the_svg_file(tmp_path):
    root = tmp_path / "valid"
    shutil.copytree(DATA / "valid", root)
    svg = root / "demo-case" / "exhibits" / "chart.svg"
    svg.write_text(f'{OPEN}\n<rect onclick="x()"/>\n</svg>\n', encoding="utf-8")
    (problem,) = validate_path(root)
    assert problem.format().startswith(f"{svg}:2:1: event handler attribute 'onclick' on <rect>")


def test_an_svg_image_of_a_markdown_narrative_is_checked_too(tmp_path):
    root = tmp_path / "valid"
    shutil.copytree(DATA / "valid", root)
    evil = root / "demo-case" / "sections" / "evil.svg"
    evil.write_text(f"{OPEN}<script>x()</script></svg>", encoding="utf-8")
    with (root / "demo-case" / "sections" / "context.en.md").open("a", encoding="utf-8") as fh:
        fh.write("\n![A chart](evil.svg)\n")
    problems = [p.format() for p in validate_path(root)]
    assert problems == [
        f"{evil}:1:{len(OPEN) + 1}: <script> in an SVG figure (a figure must be a "
        "self-contained picture: remove it, or embed what it loads)"
    ]
