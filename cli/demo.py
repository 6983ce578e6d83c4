"""``cluster-excellence demo``: the suite's main job, end to end on the bundled content.

It validates every course, prints the catalogue, scores a sample of synthetic answers to
the competency self-test and the label self-assessment, positions a sample organisation
among its peers in the bundled (synthetic) reference population and, with the ``[api]``
extra, runs the outcome API on a SQLite file with a demo client for a few requests, and,
with the ``[scorm]`` extra, builds every package of every course (SCORM 1.2, SCORM 2004,
cmi5) into ``--dist`` (default ``dist``). Outputs go to ``--out`` (default ``out/demo``).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

from clusterexcellence.engine import ReferenceSet, compile_instrument, encode_rows, score
from clusterexcellence.engine.benchmark import benchmark, top_peers
from clusterexcellence.engine.examples import random_answers
from clusterexcellence.engine.responses import score_csv, write_responses_csv
from clusterexcellence.engine.results import respondent_result

from .common import fail, reported_errors
from .common import out as console


def demo_cmd(
    folder: Annotated[Path, typer.Option("--out", help="Folder for the demo's outputs.")] = Path(
        "out/demo"
    ),
    respondents: Annotated[int, typer.Option(min=1, help="Synthetic respondents to score.")] = 500,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic answers.")] = 2026,
    dist: Annotated[
        Path, typer.Option("--dist", help="Folder for the course packages (one per format).")
    ] = Path("dist"),
) -> None:
    """Run the demo: validate the courses, score and benchmark synthetic samples, run the
    outcome API, build every course package."""
    from clusterexcellence.courses.catalog import catalog
    from clusterexcellence.courses.instruments import find_instrument
    from clusterexcellence.courses.paths import CONTENT_ROOT
    from clusterexcellence.courses.population.bundled import load_bundled_organisations
    from clusterexcellence.courses.validate import validate_content

    folder.mkdir(parents=True, exist_ok=True)
    console.rule("1. Validate the bundled courses")
    validation = validate_content(CONTENT_ROOT)
    content, problems = validation.content, validation.problems
    for p in problems:
        console.print(p.format(relative_to=Path.cwd()))
    if problems:
        raise typer.Exit(1)
    data = catalog(content)
    for course in data["courses"]:
        console.print(f"[bold]{course['id']}[/]: " + ", ".join(m["id"] for m in course["modules"]))

    console.rule("2. Score synthetic answers to the competency self-test")
    rng = np.random.default_rng(seed)
    test = find_instrument("competency-self-test")
    answers = folder / "self-test-answers.csv"
    ids = [f"demo-{r:04d}" for r in range(respondents)]
    write_responses_csv(answers, test, random_answers(test, respondents, rng, missing=0.05), ids)
    scores = folder / "self-test-scores.csv"
    with reported_errors():
        score_csv(answers, compile_instrument(test), scores)
    with open(scores, encoding="utf-8") as fh:
        levels = Counter(row["overall_level"] or "(missing)" for row in csv.DictReader(fh))
    console.print(dict(sorted(levels.items())))

    console.rule("3. Label self-assessment of a sample organisation")
    label = find_instrument("label-self-assessment")
    compiled = compile_instrument(label)
    reference = load_bundled_organisations()
    # A synthetic organisation of the reference set (its benchmarking answers, coded as
    # the engine codes them), with sample answers to the quality questions.
    unit = int(rng.integers(len(reference)))
    coded = encode_rows(compiled, random_answers(label, 1, rng, missing=0.0))
    for item_id in compiled.item_ids:
        if item_id in reference.measures:
            coded[0, compiled.column(item_id)] = reference.measures[item_id][unit]
    result = respondent_result(score(coded, compiled, item_scores=False), 0)
    unit_id, portfolio = reference.ids[unit], str(reference.attributes["portfolio"][unit])
    console.print(f"organisation {unit_id} ({portfolio})")
    rep = result.label
    console.print(
        f"score ratio {rep.ratio:.0%} ({rep.points:g} of {rep.max_points:g} points); "
        f"ready for: [bold]{rep.level or 'no label level yet'}[/]"
    )
    for check in rep.levels:
        why = "reachable" if check.reachable else "; ".join(map(str, check.reasons))
        console.print(f"  {check.level}: {why}")
    for gap in rep.gaps[:5]:
        console.print(f"  gap {gap.indicator} (-{gap.points:g} points) → {', '.join(gap.modules)}")

    console.rule("4. Benchmark it among its peers (synthetic reference population)")
    others = reference.subset(reference.ids != unit_id)
    measures = {
        f"dim:{d.id}": np.array([np.nan if d.score is None else d.score])
        for d in result.dimensions
        if f"dim:{d.id}" in reference.measures
    }
    me = ReferenceSet(np.array([unit_id]), {"portfolio": np.array([portfolio])}, measures)
    with reported_errors():
        for pos in benchmark(me, others, same=["portfolio"]):
            peers = others.where(portfolio=portfolio)
            best = top_peers(peers, pos.measure, top=3, salt="demo")
            where = (
                f"percentile {pos.percentile:.0f}, quartile {pos.quartile}"
                if pos.percentile is not None
                else "; ".join(pos.withheld)
            )
            leaders = ", ".join(f"{a} ({v:.2f})" for a, v in best) if best else best.reason
            console.print(
                f"  {pos.measure[4:]:<13} among {pos.group_n} other {portfolio} clusters: "
                f"{where}; best: {leaders}"
            )
    console.rule("5. The outcome API on SQLite, with a demo client")
    from .api import api_demo

    [sample] = random_answers(test, 1, rng, missing=0.0)
    api_demo(folder, console, {k: v.item() if hasattr(v, "item") else v for k, v in sample.items()})

    console.rule("6. Build every course package: SCORM 1.2, SCORM 2004 and cmi5")
    build_packages(content, dist)
    console.print(f"\noutputs in {folder}/, packages in {dist}/")


def build_packages(content, dist: Path) -> None:
    """Every package of every course in the three formats, with their sizes."""
    from clusterexcellence.scorm.build import PackageBuilder, select_targets, write_packages
    from clusterexcellence.scorm.exceptions import SchemaFolderError, ScormError
    from clusterexcellence.scorm.schemas import schema_set
    from clusterexcellence.scorm.spec import FORMAT_NAMES, FORMATS

    targets = select_targets(content, [])
    try:
        schemas = schema_set()
    except SchemaFolderError as exc:  # a checkout without the official schemas beside it
        schemas = None
        console.print(f"[yellow]warning:[/] manifests not checked against the schemas: {exc}")
    for fmt in FORMATS:
        try:
            builder = PackageBuilder(
                content, fmt, schemas=schemas, check_schemas=schemas is not None
            )
            written = write_packages(builder, targets, dist)
        except (ScormError, OSError) as exc:
            raise fail(f"{exc}; nothing was written") from None
        largest = max(p.stat().st_size for p in written)
        console.print(
            f"{FORMAT_NAMES[fmt]}: {len(written)} packages in {dist / fmt}/ "
            f"(largest {largest / 1024:.0f} KB)"
        )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)
