"""``cluster-excellence benchmark``: positions of units among their peers."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from clusterexcellence.engine.benchmark import DEFAULT_K, MIN_K, Excellence, benchmark
from clusterexcellence.engine.files import atomic_output
from clusterexcellence.engine.reference import read_reference_csv

from .common import err, load_instrument_arg, reported_errors

POSITIONS_HEADER = [
    "unit_id",
    "measure",
    "group_n",
    "percentile",
    "quartile",
    "z",
    "excellence_n",
    "excellence_gap",
    "withheld",
]


def _cell(x: float | None) -> str:
    return "" if x is None else f"{x:.6g}"


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
        int, typer.Option(min=MIN_K, help="Smallest group for which a statistic is released.")
    ] = DEFAULT_K,
    excellence: Annotated[
        str,
        typer.Option(
            help="Excellence group within the peers: top=SHARE (best share on each measure) "
            "or ATTR=VALUE (e.g. label=gold)."
        ),
    ] = "top=0.1",
    instrument: Annotated[
        str | None,
        typer.Option(
            help="Instrument naming the measure columns (module id, folder or file): checks "
            "every column and range against it (default: any numeric column)."
        ),
    ] = None,
) -> None:
    """Position each unit's measures among its peers (percentile, quartile, z-score) and
    give its gap to the peers' excellence group (mean of the group minus the unit's value).

    Both CSVs: ``unit_id``, attribute columns (portfolio, country, size_band, label) and
    measure columns, checked cell by cell. Rows of a group smaller than k say why a
    statistic is withheld.
    """
    ins = load_instrument_arg(instrument) if instrument else None
    with reported_errors():
        if reference is None:
            from clusterexcellence.courses.population.bundled import bundled_reference_path

            reference = bundled_reference_path()
        ref = read_reference_csv(reference, instrument=ins)
        mine = read_reference_csv(units, instrument=ins)
        rows = benchmark(mine, ref, same=same, excellence=Excellence.parse(excellence), k=k)
        with atomic_output(output) as fh:
            writer = csv.writer(fh)
            writer.writerow(POSITIONS_HEADER)
            writer.writerows(
                [
                    p.unit_id,
                    p.measure,
                    p.group_n,
                    _cell(p.percentile),
                    p.quartile or "",
                    _cell(p.z),
                    p.excellence_n,
                    _cell(p.excellence_gap),
                    "; ".join(p.withheld),
                ]
                for p in rows
            )
    measures = len({p.measure for p in rows})
    err.print(f"positioned {len(mine)} unit(s) on {measures} measure(s) → {output}")


def register(app: typer.Typer) -> None:
    app.command("benchmark")(benchmark_cmd)
