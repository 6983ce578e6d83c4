"""Content commands of the ``cluster-excellence`` program (validate, catalog, new, preview)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from clusterexcellence.courses.paths import CONTENT_ROOT

_err = Console(stderr=True)
PathArg = Annotated[
    Path | None,
    typer.Argument(help="Content root or course folder (default: the bundled content)."),
]


def _root(path: Path | None) -> Path:
    return CONTENT_ROOT if path is None else path


def validate_cmd(
    path: PathArg = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Count warnings as problems (exit status 1).")
    ] = False,
) -> None:
    """Check all content at once; print each problem as file:line:column: message (hint).

    Item-writing warnings are printed as file:line:column: warning: message (hint); they
    leave the exit status at 0 unless --strict.
    """
    from clusterexcellence.courses.validate import validate_content

    root = _root(path)
    validation = validate_content(root)
    content, problems, warnings = validation.content, validation.problems, validation.warnings
    for p in sorted(problems + warnings):
        typer.echo(p.format(relative_to=Path.cwd()))
    counted = problems + warnings if strict else problems
    if counted:
        summary = f"{len(counted)} problem(s) found in {root}"
        if strict and warnings:
            summary += f" ({len(warnings)} of them warning(s), counted under --strict)"
        elif warnings:
            summary += f", and {len(warnings)} warning(s)"
        typer.echo(summary, err=True)
        raise typer.Exit(1)
    modules = content.modules()
    typer.echo(
        f"ok: {len(content.courses)} course(s), {len(modules)} module(s), "
        f"{len(content.frameworks)} framework(s) in {root} are valid"
        + (f"; {len(warnings)} warning(s) (--strict makes them problems)" if warnings else "")
    )


def catalog_cmd(
    path: PathArg = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """List every course and module with its figures (words, exhibits, items, indicators)."""
    from clusterexcellence.courses.catalog import catalog
    from clusterexcellence.courses.loader import load_content

    data = catalog(load_content(_root(path)))
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        table = Table(title=f"Content catalogue: {data['root']}")
        for col in (
            "course",
            "module",
            "kind",
            "words",
            "exhibits",
            "decisions",
            "items",
            "indicators",
            "complete",
        ):
            table.add_column(col)
        for course in data["courses"]:
            for m in course["modules"]:
                table.add_row(
                    course["id"],
                    m["id"],
                    m["kind"] if m["valid"] else f"{m['kind']} (invalid)",
                    " ".join(f"{k}:{v}" for k, v in m.get("words", {}).items()),
                    str(m.get("exhibits", "")),
                    str(m.get("decision_points", "")),
                    " ".join(f"{k}:{v}" for k, v in m.get("items_by_type", {}).items()),
                    " ".join(f"{k}:{v}" for k, v in m.get("indicators", {}).items()),
                    ",".join(m.get("languages_complete", [])),
                )
        Console().print(table)
    if data["problems"]:
        _err.print(f"{data['problems']} file(s) could not be read: run validate")


def new_cmd(
    kind: Annotated[Literal["case", "instrument"], typer.Argument(help="case or instrument")],
    name: Annotated[str, typer.Argument(help="Module id and folder name (kebab-case).")],
    folder: Annotated[Path, typer.Option("--dir", help="Folder to create it in.")] = Path("."),
    languages: Annotated[
        str, typer.Option("--languages", help="Comma-separated languages.")
    ] = "en,fr",
) -> None:
    """Write a valid skeleton module folder (never overwrites)."""
    from clusterexcellence.courses.authoring.skeleton import new_module
    from clusterexcellence.courses.exceptions import ModuleNameError, SkeletonExistsError

    langs = [lg.strip() for lg in languages.split(",") if lg.strip()]
    try:
        target = new_module(kind, name, folder, languages=langs)
    except (ModuleNameError, SkeletonExistsError) as exc:
        _err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    typer.echo(f"wrote {target}/ — add {name!r} to a course's 'modules', then run validate")


def preview_cmd(
    path: PathArg = None,
    port: Annotated[int, typer.Option(help="Port (0: any free port).")] = 8765,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
) -> None:
    """Serve every module in the learner player to read and click through (Ctrl-C stops)."""
    from clusterexcellence.player.preview import make_server

    server = make_server(_root(path), host=host, port=port)
    h, p = server.server_address[:2]
    _err.print(f"preview on http://{h}:{p}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def register(app: typer.Typer) -> None:
    """Add the content commands to ``app``."""
    app.command("validate")(validate_cmd)
    app.command("catalog")(catalog_cmd)
    app.command("new")(new_cmd)
    app.command("preview")(preview_cmd)
