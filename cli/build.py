"""The ``build`` command: SCORM 1.2, SCORM 2004 and cmi5 packages of the courses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markup import escape

from .common import err, fail, progress_bar

FormatArg = Literal["scorm12", "scorm2004", "cmi5"]


def build_cmd(
    fmt: Annotated[FormatArg, typer.Argument(metavar="FORMAT", help="scorm12, scorm2004 or cmi5")],
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[COURSE|MODULE]...",
            help="Courses (the course package and one per module) or modules (default: "
            "every course).",
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder; packages go to OUTPUT/FORMAT/.")
    ] = Path("dist"),
    content_root: Annotated[
        Path | None,
        typer.Option("--content", help="Content root or course folder (default: bundled)."),
    ] = None,
    langs: Annotated[
        list[str] | None, typer.Option("--lang", help="Only this language (repeatable).")
    ] = None,
    iri_base: Annotated[
        str | None,
        typer.Option("--iri-base", help="Base of the package IRIs (cmi5 course and AU ids)."),
    ] = None,
) -> None:
    """Build one package per module and one per course, in every language of the course.

    Files: OUTPUT/FORMAT/COURSE.LANG.zip (the course) and COURSE--MODULE.LANG.zip (one
    module). Invalid content fails the build with every file:line problem, and nothing
    is written.
    """
    from clusterexcellence.courses.paths import CONTENT_ROOT
    from clusterexcellence.scorm.build import (
        DEFAULT_IRI_BASE,
        PackageBuilder,
        load_valid_content,
        select_targets,
        write_packages,
    )
    from clusterexcellence.scorm.exceptions import BuildError, SchemaFolderError, ScormError
    from clusterexcellence.scorm.schemas import schema_set
    from clusterexcellence.scorm.spec import FORMAT_NAMES

    root = CONTENT_ROOT if content_root is None else content_root
    try:
        content = load_valid_content(root)
    except BuildError as exc:
        for line in exc.problems:
            err.print(escape(line))
        raise fail(str(exc)) from None
    schemas, check_schemas = None, fmt != "cmi5"
    if check_schemas:
        try:
            schemas = schema_set()
        except SchemaFolderError as exc:
            check_schemas = False
            err.print(
                f"[yellow]warning:[/] manifests are not checked against the official schemas: "
                f"{escape(str(exc))}"
            )
    try:
        targets = select_targets(content, names, langs=langs)
        builder = PackageBuilder(
            content,
            fmt,
            iri_base=iri_base or DEFAULT_IRI_BASE,
            schemas=schemas,
            check_schemas=check_schemas,
        )
        with progress_bar() as bar:
            task = bar.add_task(f"{FORMAT_NAMES[fmt]} packages", total=len(targets))
            written = write_packages(
                builder, targets, output, on_package=lambda _t: bar.advance(task)
            )
    except (ScormError, OSError) as exc:
        raise fail(f"{exc}; nothing was written") from None
    for path in written:
        typer.echo(str(path))
    err.print(f"wrote {len(written)} {FORMAT_NAMES[fmt]} package(s) to {escape(str(output / fmt))}")


def register(app: typer.Typer) -> None:
    """Add the ``build`` command to ``app``."""
    app.command("build")(build_cmd)
