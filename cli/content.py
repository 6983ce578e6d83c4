"""Content commands of the ``cluster-excellence`` program (validate, catalog, new, preview)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the content commands to ``app``."""
