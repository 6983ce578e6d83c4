"""Exhibit files of case studies: CSV tables per language and shared images."""

from __future__ import annotations

import csv
from pathlib import Path

from .models import CaseModule, FigureExhibit, TableExhibit

IMAGE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"})


def table_path(folder: Path, exhibit: TableExhibit, lang: str) -> Path:
    """CSV file of a table exhibit in ``lang``: ``<file>.<lang>.csv``."""
    return folder / f"{exhibit.file}.{lang}.csv"


def figure_path(folder: Path, exhibit: FigureExhibit) -> Path:
    return folder / exhibit.file


def read_table(path: Path) -> list[list[str]]:
    """Rows of a CSV file, header first (raises ``OSError``, ``csv.Error``...)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.reader(fh) if row]


def markdown_path(folder: Path, stem: str, lang: str) -> Path:
    """Markdown file of a narrative field ``file: stem`` in ``lang``."""
    return folder / f"{stem}.{lang}.md"


def narrative_files(case: CaseModule) -> list[tuple[tuple, str]]:
    """``(loc, stem)`` of every Markdown narrative of a case: sections, then the debrief."""
    files = [(("sections", i, "file"), s.file) for i, s in enumerate(case.sections)]
    return [*files, (("debrief", "file"), case.debrief.file)]
