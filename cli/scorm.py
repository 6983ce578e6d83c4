"""The ``scorm`` command group: check SCORM 1.2, SCORM 2004 and cmi5 packages."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from .common import err, fail, out

#: Warnings of one kind printed per package (an authoring tool that lists no file but
#: the launch page would give one per file).
WARNINGS_SHOWN = 10

scorm_app = typer.Typer(help="SCORM and cmi5 packages.", no_args_is_help=True)


@scorm_app.command("check")
def check_cmd(
    packages: Annotated[list[Path], typer.Argument(metavar="PKG.zip...", help="Package zips.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Count warnings as problems (exit status 1).")
    ] = False,
) -> None:
    """Check packages, ours or a third party's: print every problem with its zip entry
    and line (PKG!ENTRY:LINE: error: ...), exit 1 when there is one.

    Checks the zip (unsafe paths, links, duplicates, zip bombs; nothing is extracted),
    the XML (no DTD or entities, BOM, unescaped &), imsmanifest.xml (at the root,
    version and namespaces, the official schemas, references, files, scormtype, Open
    edX and Moodle import rules) and cmi5.xml (course structure).
    """
    from clusterexcellence.scorm.check import check_package
    from clusterexcellence.scorm.exceptions import SchemaFolderError

    try:
        reports = [check_package(p) for p in packages]
    except SchemaFolderError as exc:
        raise fail(str(exc)) from None
    failed = [r for r in reports if not r.ok or (strict and r.problems)]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "packages": [r.to_json() for r in reports],
                    "errors": sum(len(r.errors) for r in reports),
                    "warnings": sum(len(r.problems) - len(r.errors) for r in reports),
                    "ok": not failed,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for report in reports:
            _print_problems(report)
            (out if report.ok else err).print(escape(report.summary()))
    if failed:
        raise typer.Exit(1)


def _print_problems(report) -> None:
    """Every error; warnings of one kind up to :data:`WARNINGS_SHOWN` (JSON has them all)."""
    counts: Counter[str] = Counter()
    for problem in report.problems:
        if problem.severity == "warning":
            counts[problem.code] += 1
            if counts[problem.code] > WARNINGS_SHOWN:
                continue
        out.print(escape(problem.format(report.package)))
    for code, n in counts.items():
        if n > WARNINGS_SHOWN:
            out.print(
                f"{escape(report.package)}: ... and {n - WARNINGS_SHOWN} more warning(s) "
                f"{code} (--json lists every one)"
            )


def register(app: typer.Typer) -> None:
    """Add the ``scorm`` command group to ``app``."""
    app.add_typer(scorm_app, name="scorm")
