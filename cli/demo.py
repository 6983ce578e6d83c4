"""``cluster-excellence demo``: the suite's main job, end to end on the bundled content.

It validates every course, prints the catalogue, scores a sample of synthetic answers to
the competency self-test and the label self-assessment, and positions a sample
organisation among its peers in the bundled (synthetic) reference population. Outputs go
to ``--out`` (default ``out/demo``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from clusterexcellence.engine import (
    ReferenceSet,
    compile_instrument,
    encode_rows,
    label_report,
    score,
)
from clusterexcellence.engine.benchmark import positions, top_peers
from clusterexcellence.engine.examples import random_answers
from clusterexcellence.engine.responses import write_responses_csv

console = Console()


def demo_cmd(
    out: Annotated[Path, typer.Option(help="Folder for the demo's outputs.")] = Path("out/demo"),
    respondents: Annotated[int, typer.Option(help="Synthetic respondents to score.")] = 500,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic answers.")] = 2026,
) -> None:
    """Run the demo: validate the courses, score and benchmark synthetic samples."""
    from clusterexcellence.cli.main import score_cmd
    from clusterexcellence.courses.catalog import catalog
    from clusterexcellence.courses.instruments import find_instrument
    from clusterexcellence.courses.paths import CONTENT_ROOT
    from clusterexcellence.courses.population.bundled import bundled_reference_path
    from clusterexcellence.courses.validate import validate_content

    out.mkdir(parents=True, exist_ok=True)
    console.rule("1. Validate the bundled courses")
    validation = validate_content(CONTENT_ROOT)
    content, problems = validation.content, validation.problems
    for p in problems:
        console.print(p.format(relative_to=Path.cwd()), highlight=False)
    if problems:
        raise typer.Exit(1)
    data = catalog(content)
    for course in data["courses"]:
        console.print(f"[bold]{course['id']}[/]: " + ", ".join(m["id"] for m in course["modules"]))

    console.rule("2. Score synthetic answers to the competency self-test")
    rng = np.random.default_rng(seed)
    test = find_instrument("competency-self-test")
    answers = out / "self-test-answers.csv"
    ids = [f"demo-{r:04d}" for r in range(respondents)]
    write_responses_csv(answers, test, random_answers(test, respondents, rng, missing=0.05), ids)
    scores = out / "self-test-scores.csv"
    score_cmd("competency-self-test", answers, scores, invalid_as_missing=False, items=False)
    with open(scores, encoding="utf-8") as fh:
        levels = [row["overall_level"] for row in csv.DictReader(fh)]
    console.print({lv or "(missing)": levels.count(lv) for lv in sorted(set(levels))})

    console.rule("3. Label self-assessment of a sample organisation")
    label = find_instrument("label-self-assessment")
    compiled = compile_instrument(label)
    reference = ReferenceSet.from_csv(bundled_reference_path())
    # A synthetic organisation of the reference set (its benchmarking answers, coded as
    # the engine codes them), with sample answers to the quality questions.
    unit = int(rng.integers(len(reference)))
    coded = encode_rows(compiled, random_answers(label, 1, rng, missing=0.0))
    for item_id in compiled.item_ids:
        if item_id in reference.measures:
            coded[0, compiled.column(item_id)] = reference.measures[item_id][unit]
    result = score(coded, compiled)
    console.print(f"organisation {reference.ids[unit]} ({reference.attributes['portfolio'][unit]})")
    rep = label_report(result, 0)
    console.print(
        f"score ratio {rep.ratio:.0%} ({rep.points:g} of {rep.max_points:g} points); "
        f"ready for: [bold]{rep.level or 'no label level yet'}[/]"
    )
    for check in rep.levels:
        console.print(
            f"  {check.level}: " + ("reachable" if check.reachable else "; ".join(check.reasons))
        )
    for gap in rep.gaps[:5]:
        console.print(f"  gap {gap.indicator} (-{gap.points:g} points) → {', '.join(gap.modules)}")

    console.rule("4. Benchmark it among its peers (synthetic reference population)")
    portfolio = str(reference.attributes["portfolio"][unit])
    peers = reference.subset(
        reference.mask(portfolio=portfolio) & (reference.ids != reference.ids[unit])
    )
    for d, dim_id in enumerate(compiled.dimension_ids):
        measure = f"dim:{dim_id}"
        if measure not in reference.measures:
            continue
        pos = positions(result.dimension_scores[:, d], peers.measures[measure])
        best = top_peers(peers, measure, top=3, salt="demo")
        where = (
            f"percentile {pos.percentile[0]:.0f}, quartile {pos.quartile[0]}" if pos else pos.reason
        )
        leaders = ", ".join(f"{a} ({v:.2f})" for a, v in best) if best else best.reason
        console.print(
            f"  {dim_id:<13} among {len(peers)} other {portfolio} clusters: {where};"
            f" best: {leaders}"
        )
    console.print(f"\noutputs in {out}/")
