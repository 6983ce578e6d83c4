"""The ``cluster-excellence`` command line.

Engine commands live here; content commands (validate, catalog, new, preview, reference)
in :mod:`.content`. Errors print one clear line per problem and exit 1.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from clusterexcellence.engine import (
    EngineError,
    InstrumentError,
    ReferenceSet,
    compile_instrument,
    score,
    scoring_spec,
)
from clusterexcellence.engine.benchmark import (
    DEFAULT_K,
    Withheld,
    excellence_gap,
    excellence_values,
    positions,
)
from clusterexcellence.engine.instrument import Instrument, instrument_json_schema
from clusterexcellence.engine.responses import count_rows, iter_csv_batches

app = typer.Typer(
    name="cluster-excellence",
    help="Cluster Excellence learning suite: content, scoring, benchmarking and packages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def progress_bar() -> Progress:
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
    except InstrumentError as exc:
        raise fail(str(exc)) from None
    except CoursesError as exc:
        raise fail(str(exc)) from None


def atomic_writer(path: Path):
    """Write to a temporary file beside ``path``, renamed into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    return os.fdopen(fd, "w", newline="", encoding="utf-8"), Path(tmp)


def _fmt(x: float) -> str:
    return "" if np.isnan(x) else f"{x:.6g}"


def _numbers(col: np.ndarray) -> list[str]:
    """CSV cells of a float column: 6 significant digits, empty where NaN.

    Scores repeat a lot (ratios of small sums): each distinct value is formatted once.
    """
    values, where = np.unique(col, return_inverse=True)  # NaNs fold into one value
    cells = np.array(["" if x != x else f"{x:.6g}" for x in values.tolist()], dtype=object)
    return cells[where].tolist()


def _names(col: np.ndarray, names: tuple[str, ...]) -> list[str]:
    """CSV cells of a level-index column: the level's id, empty where -1."""
    return np.array([*names, ""], dtype=object)[col].tolist()  # index -1 reads the ""


def _score_columns(ids: list[str], res, *, items: bool) -> list[list[str]]:
    """The scores CSV's columns for one scored batch (layout: docs/csv-formats.md)."""
    c = res.compiled
    cols = [
        ids,
        _numbers(res.overall),
        _names(res.overall_level, c.level_ids),
        _numbers(res.overall_coverage),
        _numbers(res.answered_share),
    ]
    for d in range(len(c.dimension_ids)):
        cols += [
            _numbers(res.dimension_scores[:, d]),
            _names(res.dimension_levels[:, d], c.level_ids),
            _numbers(res.dimension_coverage[:, d]),
        ]
    if c.label is not None:
        lab = res.label
        # Gaps: unmet indicators, most points lost first (ties in instrument order).
        order = np.argsort(-c.label.points, kind="stable")
        gaps = np.full(res.n, "", dtype=object)
        for k in order:
            gaps = np.where(lab.indicator_met[:, k], gaps, gaps + c.label.indicator_ids[k] + " ")
        cols += [
            _numbers(lab.points),
            _numbers(lab.ratio),
            _names(lab.level, c.label.level_ids),
            [g.rstrip() for g in gaps.tolist()],
        ]
    if items:
        cols += [_numbers(res.item_scores[:, j]) for j in range(c.n_items)]
    return cols


@app.command("score")
def score_cmd(
    instrument: Annotated[str, typer.Argument(help="Module folder, YAML/JSON file or module id.")],
    responses: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Responses CSV.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Scores CSV to write.")],
    invalid_as_missing: Annotated[
        bool, typer.Option(help="Treat answers outside an item's range as unanswered.")
    ] = False,
    items: Annotated[bool, typer.Option(help="Also write item scores.")] = False,
) -> None:
    """Score a responses CSV (layout: docs/csv-formats.md) into a scores CSV."""
    ins = load_instrument_arg(instrument)
    compiled = compile_instrument(ins)
    invalid = "missing" if invalid_as_missing else "raise"
    header = ["respondent_id", "overall", "overall_level", "overall_coverage", "answered_share"]
    for d in compiled.dimension_ids:
        header += [d, f"{d}:level", f"{d}:coverage"]
    if compiled.label is not None:
        header += ["label_points", "label_ratio", "label_level", "label_gaps"]
    if items:
        header += [f"item:{i}" for i in compiled.item_ids]
    fh, tmp = atomic_writer(output)
    total = 0
    try:
        with fh, progress_bar() as bar:
            task = bar.add_task("scoring", total=count_rows(responses))
            writer = csv.writer(fh)
            writer.writerow(header)
            for ids, X in iter_csv_batches(responses, compiled, invalid=invalid):
                res = score(X, compiled, invalid=invalid, respondent_ids=ids)
                writer.writerows(zip(*_score_columns(ids, res, items=items), strict=True))
                total += len(ids)
                bar.advance(task, len(ids))
        tmp.replace(output)
    except EngineError as exc:
        tmp.unlink(missing_ok=True)
        raise fail(str(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    err.print(f"scored {total} respondent(s) → {output}")


@app.command("spec")
def spec_cmd(
    instrument: Annotated[str, typer.Argument(help="Module folder, YAML/JSON file or module id.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: stdout).")
    ] = None,
) -> None:
    """Print the scoring spec (docs/scoring-spec.md) that the SCORM player evaluates."""
    text = json.dumps(scoring_spec(load_instrument_arg(instrument)), indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


@app.command("schema")
def schema_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder for the JSON Schema files.")] = Path(
        "schemas"
    ),
) -> None:
    """Write JSON Schemas for instruments and course content, for editors."""
    from clusterexcellence.courses.schemas import content_schemas

    out.mkdir(parents=True, exist_ok=True)
    schemas = {"instrument": instrument_json_schema(), **content_schemas()}
    for name, schema in schemas.items():
        (out / f"{name}.schema.json").write_text(
            json.dumps(schema, indent=2) + "\n", encoding="utf-8"
        )
    err.print(f"wrote {len(schemas)} schema(s) to {out}/")


@app.command("benchmark")
def benchmark_cmd(
    units: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Units to position (CSV).")
    ],
    reference: Annotated[
        Path | None, typer.Option(help="Reference CSV (default: the bundled synthetic set).")
    ] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="Positions CSV to write.")] = Path(
        "positions.csv"
    ),
    same: Annotated[
        list[str], typer.Option(help="Peer group: reference units with the same value of ATTR.")
    ] = [],  # noqa: B006 - typer needs a literal default
    k: Annotated[
        int, typer.Option(help="Smallest group for which a statistic is released.")
    ] = DEFAULT_K,
    excellence: Annotated[
        str,
        typer.Option(
            help="Excellence group within the peers: top=SHARE (best share on each measure) "
            "or ATTR=VALUE (e.g. label=gold)."
        ),
    ] = "top=0.1",
) -> None:
    """Position each unit's measures among its peers (percentile, quartile, z-score) and
    give its gap to the peers' excellence group (mean of the group minus the unit's value).

    Both CSVs: ``unit_id``, attribute columns (portfolio, country, size_band, label) and
    measure columns. Rows of a group smaller than k say why a statistic is withheld.
    """
    try:
        if reference is None:
            from clusterexcellence.courses.population.bundled import bundled_reference_path

            reference = bundled_reference_path()
        ref = ReferenceSet.from_csv(reference)
        mine = ReferenceSet.from_csv(units)
    except EngineError as exc:
        raise fail(str(exc)) from None
    measures = [m for m in mine.measures if m in ref.measures]
    if not measures:
        raise fail(f"{units} shares no measure column with the reference set")
    for attr in same:
        if attr not in ref.attributes or attr not in mine.attributes:
            raise fail(f"--same {attr}: both CSVs need an attribute column {attr!r}")
    name, _, value = excellence.partition("=")
    if name == "top":
        try:
            exc_args: dict = {"top_share": float(value)}
        except ValueError:
            raise fail(f"--excellence {excellence}: top= needs a share such as 0.1") from None
    elif name in ref.attributes and value:
        exc_args = {"where": {name: value}}
    else:
        raise fail(
            f"--excellence {excellence}: use top=SHARE or ATTR=VALUE with an attribute of the "
            f"reference set ({', '.join(sorted(ref.attributes))})"
        )
    # Units with the same peer-group key share one reference group: loop over groups.
    keys = list(zip(*(mine.attributes[a] for a in same), strict=True)) if same else [()] * len(mine)
    fh, tmp = atomic_writer(output)
    with fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["unit_id", "measure", "group_n", "percentile", "quartile", "z"]
            + ["excellence_n", "excellence_gap", "withheld"]
        )
        rows = []
        for key in dict.fromkeys(keys):
            members = np.array([kk == key for kk in keys])
            peers = ref.where(**dict(zip(same, key, strict=True))) if same else ref
            for m in measures:
                pos = positions(mine.measures[m][members], peers.measures[m], k=k)
                try:
                    best = excellence_values(peers, m, **exc_args)
                except EngineError as exc:
                    raise fail(str(exc)) from None
                gap = excellence_gap(mine.measures[m][members], best, k=k)
                for i, uid in enumerate(mine.ids[members]):
                    withheld = []
                    if pos:
                        cells = [pos.group_size, _fmt(pos.percentile[i])]
                        cells += [int(pos.quartile[i]) or "", _fmt(pos.z[i])]
                    else:
                        cells = [pos.n, "", "", ""]
                        withheld.append(pos.reason)
                    if isinstance(gap, Withheld):
                        cells += [gap.n, ""]
                        withheld.append(gap.reason)
                    else:
                        cells += [best.size, _fmt(gap[i])]
                    rows.append([uid, m, *cells, "; ".join(withheld)])
        writer.writerows(rows)
    tmp.replace(output)
    err.print(f"positioned {len(mine)} unit(s) on {len(measures)} measure(s) → {output}")


def main() -> None:  # pragma: no cover - console entry point
    app()


from . import analyse as _analyse  # noqa: E402
from . import content as _content  # noqa: E402  (the content commands)
from . import reference as _reference  # noqa: E402
from .demo import demo_cmd  # noqa: E402

_content.register(app)
_analyse.register(app)
_reference.register(app)
app.command("demo")(demo_cmd)
