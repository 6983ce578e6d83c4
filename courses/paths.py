"""Where the bundled course content lives (package data)."""

from __future__ import annotations

from pathlib import Path

#: The bundled content root: ``frameworks/``, one folder per course, ``reference/``.
CONTENT_ROOT = Path(__file__).parent / "content"
