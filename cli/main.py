"""The ``cluster-excellence`` command line: one program, a module per group of commands.

Each command is a thin caller of the engine and the content package; errors print one
line (``error: ...``, naming the file and line where there is one) and exit 1.
"""

from __future__ import annotations

import typer

from . import api, benchmark, build, content, demo, reference, scoring, scorm

app = typer.Typer(
    name="cluster-excellence",
    help="Cluster Excellence learning suite: content, scoring, benchmarking and packages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
for _group in (scoring, benchmark, content, reference, build, scorm, demo, api):
    _group.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()
