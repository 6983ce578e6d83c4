"""Scoring commands: ``score``, ``spec``, ``schema`` and ``analyse``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.table import Table

from clusterexcellence.engine import compile_instrument, instrument_json_schema, score, scoring_spec
from clusterexcellence.engine.files import write_text
from clusterexcellence.engine.psychometrics import cronbach_alpha, item_analysis
from clusterexcellence.engine.responses import count_rows, iter_csv_batches, score_csv

from .common import err, fail, load_instrument_arg, out, progress_bar, reported_errors

InstrumentArg = Annotated[str, typer.Argument(help="Module folder, YAML/JSON file or module id.")]
ResponsesArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Responses CSV.")]


def score_cmd(
    instrument: InstrumentArg,
    responses: ResponsesArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Scores CSV to write.")],
    invalid_as_missing: Annotated[
        bool, typer.Option(help="Treat unreadable or out-of-range answers as unanswered.")
    ] = False,
    items: Annotated[bool, typer.Option(help="Also write item scores.")] = False,
) -> None:
    """Score a responses CSV (layout: docs/csv-formats.md) into a scores CSV."""
    compiled = compile_instrument(load_instrument_arg(instrument))
    invalid = "missing" if invalid_as_missing else "raise"
    with reported_errors(), progress_bar() as bar:
        task = bar.add_task("scoring", total=count_rows(responses))
        total = score_csv(
            responses,
            compiled,
            output,
            invalid=invalid,
            items=items,
            on_batch=lambda n: bar.advance(task, n),
        )
    err.print(f"scored {total} respondent(s) → {output}")


def spec_cmd(
    instrument: InstrumentArg,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout).")
    ] = None,
) -> None:
    """Print the scoring spec (docs/scoring-spec.md) that the SCORM player evaluates."""
    text = json.dumps(scoring_spec(load_instrument_arg(instrument)), indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
        return
    with reported_errors():
        write_text(output, text + "\n")


def schema_cmd(
    folder: Annotated[Path, typer.Option("--out", help="Folder for the JSON Schema files.")] = Path(
        "schemas"
    ),
) -> None:
    """Write JSON Schemas for instruments and course content, for editors."""
    from clusterexcellence.courses.schemas import content_schemas

    schemas = {"instrument": instrument_json_schema(), **content_schemas()}
    if folder.exists() and not folder.is_dir():
        raise fail(f"{folder}: is a file, not a folder")
    with reported_errors():
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in schemas.items():
            write_text(folder / f"{name}.schema.json", json.dumps(schema, indent=2) + "\n")
    err.print(f"wrote {len(schemas)} schema(s) to {folder}/")


def _num(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def analyse_cmd(
    instrument: InstrumentArg,
    responses: ResponsesArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Cronbach's alpha per scale and difficulty, item-rest correlation and
    discrimination per item, from collected answers (layout: docs/csv-formats.md)."""
    compiled = compile_instrument(load_instrument_arg(instrument))
    with reported_errors():
        parts = [
            score(b.answers, compiled, respondent_ids=b.ids).item_scores
            for b in iter_csv_batches(responses, compiled)
        ]
    S = np.vstack(parts) if parts else np.empty((0, compiled.n_items))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined statistics come out as NaN (null)
        items = item_analysis(S)
        scales = {
            dim: cronbach_alpha(S[:, cols])
            for dim, cols in compiled.scale_items().items()
            if len(cols) > 1
        }
    report = {
        "respondents": int(S.shape[0]),
        "scales": {
            d: {"alpha": _num(a.alpha), "items": a.n_items, "complete_respondents": a.n_respondents}
            for d, a in scales.items()
        },
        "items": {
            item_id: {
                "answered": int(items.n_answered[j]),
                "difficulty": _num(items.difficulty[j]),
                "item_rest_correlation": _num(items.item_rest_correlation[j]),
                "discrimination": _num(items.discrimination[j]),
            }
            for j, item_id in enumerate(compiled.item_ids)
        },
    }
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    table = Table(title=f"Scales ({report['respondents']} respondents)")
    for col in ("scale", "items", "complete", "alpha"):
        table.add_column(col)
    for d, s in report["scales"].items():
        alpha = "-" if s["alpha"] is None else f"{s['alpha']:.2f}"
        table.add_row(d, str(s["items"]), str(s["complete_respondents"]), alpha)
    out.print(table)
    table = Table(title="Items")
    for col in ("item", "answered", "difficulty", "item-rest r", "discrimination"):
        table.add_column(col)
    for item_id, s in report["items"].items():
        cells = [s["difficulty"], s["item_rest_correlation"], s["discrimination"]]
        table.add_row(
            item_id, str(s["answered"]), *("-" if v is None else f"{v:.2f}" for v in cells)
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the scoring commands to ``app``."""
    app.command("score")(score_cmd)
    app.command("spec")(spec_cmd)
    app.command("schema")(schema_cmd)
    app.command("analyse")(analyse_cmd)
