"""Checks of the files a module points at: Markdown narrative, CSV tables, images, HTML.

SVG images (figures, and images in Markdown) are checked by :mod:`.svg`.

Problems inside a Markdown or CSV file are located in that file; a missing file is
located at the ``file:`` key that names it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from clusterexcellence.engine.exceptions import format_loc

from .exceptions import ContentError, ContentProblem
from .exhibits import (
    IMAGE_SUFFIXES,
    figure_path,
    markdown_path,
    narrative_files,
    numbered_rows,
    read_markdown,
    table_path,
)
from .loader import LoadedModule
from .markdown import image_urls, unsafe_html
from .models import CaseModule, TableExhibit
from .source import YamlSource
from .svg import svg_problems
from .texts import iter_texts

UNSAFE_HINT = "remove it: only safe HTML is kept, see docs/content-format.md"


def markdown_text_problems(
    text: str, *, path: Path, base: Path, line_offset: int = 0, column: int | None = None
) -> Iterator[ContentProblem]:
    """Unsafe HTML and missing images in one Markdown text.

    ``base`` is the folder relative image URLs start from. Text read from YAML is located
    at its key: pass that line as ``line_offset`` - 1 and its ``column``.
    """
    for f in unsafe_html(text):
        yield ContentProblem(
            path, f.line + line_offset, column or f.column, f"unsafe HTML: {f.message}", UNSAFE_HINT
        )
    for f in image_urls(text):
        target = (base / f.message.split("#")[0].split("?")[0]).resolve()
        if target.is_file() and target.suffix.lower() == ".svg":
            yield from svg_problems(target)
        elif not target.is_file():
            yield ContentProblem(
                path,
                f.line + line_offset,
                column or f.column,
                f"missing image {f.message!r}",
                "add the image file or fix its path, relative to this file",
            )


def yaml_text_problems(module: LoadedModule) -> Iterator[ContentProblem]:
    """Unsafe HTML and missing images in the Markdown texts written in ``module.yaml``."""
    src: YamlSource = module.source
    for loc, text in iter_texts(module.model):
        for lang, value in text.items():
            if "<" not in value and "![" not in value:
                continue
            line, col = src.position((*loc, lang))
            for p in markdown_text_problems(
                value, path=src.path, base=module.folder, line_offset=line - 1, column=col
            ):
                yield ContentProblem(
                    p.file, line, col, f"{format_loc((*loc, lang))}: {p.message}", p.hint
                )


def narrative_problems(module: LoadedModule) -> Iterator[ContentProblem]:
    """Markdown files of a case: one per language, each safe and with existing images."""
    case: CaseModule = module.model
    for loc, stem in narrative_files(case):
        for lang in module.languages:
            path = markdown_path(module.folder, stem, lang)
            if not path.is_file():
                yield module.source.problem(
                    loc,
                    f"missing Markdown file {stem}.{lang}.md",
                    f"create it: one file per course language: {', '.join(module.languages)}",
                )
                continue
            try:
                text = read_markdown(path)
            except ContentError as exc:
                yield from exc.problems
                continue
            yield from markdown_text_problems(text, path=path, base=path.parent)


def exhibit_problems(module: LoadedModule) -> Iterator[ContentProblem]:
    """Exhibit files: a CSV per language with one shape, and image files that exist."""
    case: CaseModule = module.model
    for i, ex in enumerate(case.exhibits):
        loc = ("exhibits", i, "file")
        if isinstance(ex, TableExhibit):
            yield from _table_problems(module, ex, loc)
            continue
        path = figure_path(module.folder, ex)
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            yield module.source.problem(
                loc,
                f"figure {ex.file!r} is not an image",
                f"use one of {', '.join(sorted(IMAGE_SUFFIXES))}",
            )
        elif not path.is_file():
            yield module.source.problem(
                loc, f"missing image {ex.file!r}", "add the image file or fix the path"
            )
        elif path.suffix.lower() == ".svg":
            yield from svg_problems(path)


def _table_problems(module: LoadedModule, ex: TableExhibit, loc: tuple) -> Iterator[ContentProblem]:
    shapes: dict[str, tuple[int, int]] = {}
    for lang in module.languages:
        path = table_path(module.folder, ex, lang)
        name = f"{ex.file}.{lang}.csv"
        if not path.is_file():
            yield module.source.problem(
                loc, f"missing exhibit file {name}", "create one CSV per course language"
            )
            continue
        try:
            numbered = numbered_rows(path)
        except ContentError as exc:
            yield from exc.problems
            continue
        except csv.Error as exc:
            yield ContentProblem(path, 1, 1, f"cannot read CSV: {exc}", "save it as UTF-8 CSV")
            continue
        rows = [row for _, row in numbered]
        if len(rows) < 2:
            yield ContentProblem(
                path, 1, 1, "the table needs a header row and at least one data row", "add rows"
            )
            continue
        width = len(rows[0])
        bad = False
        for line, row in numbered:
            if len(row) != width:
                bad = True
                yield ContentProblem(
                    path,
                    line,
                    1,
                    f"row has {len(row)} cells, the header has {width}",
                    "give every row as many cells as the header; quote cells that contain commas",
                )
        if not bad:
            shapes[name] = (len(rows), width)
    if len(set(shapes.values())) > 1:
        (first, s0), *others = shapes.items()
        for name, shape in others:
            if shape != s0:
                yield module.source.problem(
                    loc,
                    f"{name} has {shape[0]} rows × {shape[1]} columns but {first} has "
                    f"{s0[0]} × {s0[1]}",
                    "translations of a table must have the same shape",
                )
