"""Reference-data commands: ``reference generate`` (synthetic) and ``reference import`` (real)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from clusterexcellence.engine import EngineError, ReferenceDataError
from clusterexcellence.engine.reference import read_reference_csv

from .common import err, fail, load_instrument_arg, out

#: Steps that :func:`~clusterexcellence.courses.population.generate.write_reference_files` reports.
GENERATE_STEPS = 4


def generate_cmd(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the CSV and metadata files.")],
    seed: Annotated[
        int | None, typer.Option(help="Random seed (default: the bundled one).")
    ] = None,
    organisations: Annotated[int, typer.Option(min=1, help="Organisations to draw.")] = 1300,
    managers: Annotated[int, typer.Option(min=1, help="Manager profiles to draw.")] = 2000,
) -> None:
    """Generate the SYNTHETIC reference populations (organisations, managers, metadata)."""
    from clusterexcellence.courses.population import bundled, generate

    seed = generate.DEFAULT_SEED if seed is None else seed
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=GENERATE_STEPS)
        done = [0]

        def step(description: str) -> None:
            bar.update(task, completed=done[0], description=description)
            done[0] += 1

        meta = generate.write_reference_files(
            out_dir,
            seed=seed,
            n_organisations=organisations,
            n_managers=managers,
            on_step=step,
        )
        bar.update(task, completed=GENERATE_STEPS)
    for name, info in meta["files"].items():
        err.print(f"wrote {info['n']} rows → {out_dir / name}")
    err.print(f"wrote {out_dir / bundled.METADATA_FILE} (SYNTHETIC data, seed {seed})")


def import_cmd(
    csv_path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Reference CSV.")],
    instrument: Annotated[
        str, typer.Option(help="Module folder, YAML/JSON file or id naming the measure columns.")
    ] = "label-self-assessment",
    extra_measure: Annotated[
        list[str], typer.Option(help="A further numeric column to accept (repeatable).")
    ] = [],  # noqa: B006 - typer needs a literal default
) -> None:
    """Validate a REAL reference CSV and print a summary; list every problem and exit 1."""
    ins = load_instrument_arg(instrument)
    try:
        ref = read_reference_csv(csv_path, instrument=ins, extra_measures=extra_measure)
    except ReferenceDataError as exc:
        for issue in exc.issues:
            err.print(str(issue))
        raise fail(f"{csv_path}: {len(exc.issues)} problem(s); nothing imported") from None
    except EngineError as exc:
        raise fail(str(exc)) from None
    out.print(f"{csv_path}: {len(ref)} unit(s), {len(ref.measures)} measure(s) — valid")
    for name, values in ref.attributes.items():
        kinds, counts = np.unique(values.astype(str), return_counts=True)
        top = sorted(zip(counts, kinds, strict=True), reverse=True)[:8]
        shown = ", ".join(f"{k} {c}" for c, k in top)
        more = f", … ({len(kinds)} values)" if len(kinds) > len(top) else ""
        out.print(f"  {name}: {shown}{more}")
    table = Table("measure", "n", "missing", "min", "median", "max", box=None)
    for name, values in ref.measures.items():
        have = values[~np.isnan(values)]
        stats = [f"{x:g}" for x in np.percentile(have, [0, 50, 100])] if have.size else ["", "", ""]
        table.add_row(name, str(have.size), str(values.size - have.size), *stats)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``reference`` command group to ``app``."""
    group = typer.Typer(
        help="Benchmarking reference data: generate the synthetic sets, import real ones.",
        no_args_is_help=True,
    )
    group.command("generate")(generate_cmd)
    group.command("import")(import_cmd)
    app.add_typer(group, name="reference")
