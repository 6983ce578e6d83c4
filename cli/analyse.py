"""``cluster-excellence analyse``: item and scale statistics for authors."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from clusterexcellence.engine import EngineError, compile_instrument, score
from clusterexcellence.engine.psychometrics import cronbach_alpha, item_analysis
from clusterexcellence.engine.responses import iter_csv_batches


def scale_items(compiled) -> dict[str, list[int]]:
    """Dimension id → columns of the items that count towards it (its leaves' items)."""
    W = compiled.item_leaf_weights
    leaves_of: dict[int, set[int]] = {int(d): {k} for k, d in enumerate(compiled.leaf_cols)}
    for d in range(len(compiled.dimension_ids) - 1, -1, -1):  # children before parents
        p = int(compiled.parent[d])
        if p >= 0:
            leaves_of.setdefault(p, set()).update(leaves_of.get(d, set()))
    return {
        compiled.dimension_ids[d]: sorted(np.flatnonzero(W[:, sorted(ks)].sum(axis=1) > 0).tolist())
        for d, ks in sorted(leaves_of.items())
    }


def _num(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def analyse_cmd(
    instrument: Annotated[str, typer.Argument(help="Module folder, YAML/JSON file or module id.")],
    responses: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Responses CSV.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Cronbach's alpha per scale and difficulty, item-rest correlation and
    discrimination per item, from collected answers (layout: docs/csv-formats.md)."""
    from clusterexcellence.cli.main import fail, load_instrument_arg

    compiled = compile_instrument(load_instrument_arg(instrument))
    try:
        parts = [
            score(X, compiled, respondent_ids=ids).item_scores
            for ids, X in iter_csv_batches(responses, compiled)
        ]
    except EngineError as exc:
        raise fail(str(exc)) from None
    S = np.vstack(parts) if parts else np.empty((0, compiled.n_items))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # undefined statistics come out as NaN (null)
        items = item_analysis(S)
        scales = {
            dim: cronbach_alpha(S[:, cols])
            for dim, cols in scale_items(compiled).items()
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
    console = Console()
    table = Table(title=f"Scales ({report['respondents']} respondents)")
    for col in ("scale", "items", "complete", "alpha"):
        table.add_column(col)
    for d, s in report["scales"].items():
        table.add_row(
            d,
            str(s["items"]),
            str(s["complete_respondents"]),
            "-" if s["alpha"] is None else f"{s['alpha']:.2f}",
        )
    console.print(table)
    table = Table(title="Items")
    for col in ("item", "answered", "difficulty", "item-rest r", "discrimination"):
        table.add_column(col)
    for item_id, s in report["items"].items():
        cells = [s["difficulty"], s["item_rest_correlation"], s["discrimination"]]
        table.add_row(
            item_id, str(s["answered"]), *("-" if v is None else f"{v:.2f}" for v in cells)
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("analyse")(analyse_cmd)
