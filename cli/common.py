"""What every command of the ``cluster-excellence`` program shares: consoles, the one-line
error exit, progress bars and finding an instrument by name."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from clusterexcellence.engine import EngineError, Instrument, InstrumentError

#: Messages and progress go to stderr, results to stdout; lines are never wrapped (a
#: long path stays on one line, whatever the terminal width).
err = Console(stderr=True, soft_wrap=True, highlight=False)
out = Console(soft_wrap=True, highlight=False)


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; raise the returned exit (status 1)."""
    err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(1)


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    """Turn an engine error raised in the block into one ``error:`` line and exit 1."""
    try:
        yield
    except EngineError as exc:
        raise fail(str(exc)) from None


def progress_bar() -> Progress:
    """A progress bar on stderr, shown on a terminal (or when CLUSTEREXCELLENCE_PROGRESS
    is set), gone when done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal and not os.environ.get("CLUSTEREXCELLENCE_PROGRESS"),
    )


def load_instrument_arg(ref: str) -> Instrument:
    """An instrument from a module folder, a YAML/JSON file, or a bundled module id."""
    from clusterexcellence.courses.exceptions import CoursesError
    from clusterexcellence.courses.instruments import find_instrument

    try:
        return find_instrument(ref)
    except (InstrumentError, CoursesError) as exc:
        raise fail(str(exc)) from None
