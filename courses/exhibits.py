"""Exhibit files of case studies: CSV tables per language and shared images."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .files import MAX_CSV_BYTES, MAX_MARKDOWN_BYTES, read_text
from .models import CaseModule, FigureExhibit, TableExhibit

IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"})


def table_path(folder: Path, exhibit: TableExhibit, lang: str) -> Path:
    """CSV file of a table exhibit in ``lang``: ``<file>.<lang>.csv``."""
    return folder / f"{exhibit.file}.{lang}.csv"


def figure_path(folder: Path, exhibit: FigureExhibit) -> Path:
    return folder / exhibit.file


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV file, header first, without empty rows.

    Raises ``ContentError`` (too large, unreadable, not UTF-8) or ``csv.Error``.
    """
    return [row for _, row in numbered_rows(path)]


def numbered_rows(path: Path) -> list[tuple[int, list[str]]]:
    """``(line, row)`` of every non-empty row of a CSV file (errors as :func:`read_table`)."""
    text = read_text(path, limit=MAX_CSV_BYTES, encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, start = [], 1
    for row in reader:
        if row:
            rows.append((start, row))
        start = reader.line_num + 1
    return rows


def read_markdown(path: Path) -> str:
    """The text of a Markdown file (raises ``ContentError``: too large, unreadable, not UTF-8)."""
    return read_text(path, limit=MAX_MARKDOWN_BYTES)


def markdown_path(folder: Path, stem: str, lang: str) -> Path:
    """Markdown file of a narrative field ``file: stem`` in ``lang``."""
    return folder / f"{stem}.{lang}.md"


def narrative_files(case: CaseModule) -> list[tuple[tuple, str]]:
    """``(loc, stem)`` of every Markdown narrative of a case: sections, then the debrief."""
    files = [(("sections", i, "file"), s.file) for i, s in enumerate(case.sections)]
    return [*files, (("debrief", "file"), case.debrief.file)]
