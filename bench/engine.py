"""Engine speed and memory figures, printed as one JSON object.

Run: ``.venv/bin/python bench/engine.py`` (``--quick`` for a smaller run). Figures:

- ``score_1m_48_ms``: 1,000,000 respondents × 48 items of every type in 8 dimensions,
  scored to dimension and overall scores, coverage and levels (best of 5: on a shared
  machine the minimum is the figure least disturbed by other work);
  ``score_1m_48_with_items_ms`` also keeps the (n, 48) item scores.
- ``python_loop_ratio``: the plain per-respondent evaluator (engine.reference, which
  reads the scoring spec like the JS player) on a sample, extrapolated to the same
  number of respondents, divided by the vectorised time of the same run.
- ``positions_1m_vs_100k_ms``: mid-rank percentiles of 1M values in a 100k reference.
- ``peak_mem_ratio``: peak memory allocated while scoring (tracemalloc, which numpy
  reports to) divided by the size of the input array.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import tracemalloc

import numpy as np

from clusterexcellence.engine.benchmark import percentile_positions
from clusterexcellence.engine.compile import compile_instrument
from clusterexcellence.engine.examples import random_answers, random_codes, random_instrument
from clusterexcellence.engine.reference import evaluate
from clusterexcellence.engine.scoring import score
from clusterexcellence.engine.spec import scoring_spec


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k respondents instead of 1M")
    args = parser.parse_args()
    n = 100_000 if args.quick else 1_000_000
    rng = np.random.default_rng(20261128)
    instrument = random_instrument(rng, n_items=48, n_areas=8)
    compiled = compile_instrument(instrument)
    X = random_codes(compiled, n, rng, missing=0.1)

    score(X[:1000], compiled)  # warm up
    vec_s = best_of(lambda: score(X, compiled, item_scores=False), 5)
    items_s = best_of(lambda: score(X, compiled), 5)

    spec = scoring_spec(instrument)
    sample = random_answers(instrument, 2000, rng)
    loop_s = best_of(lambda: [evaluate(spec, a) for a in sample], 3) * (n / len(sample))

    tracemalloc.start()
    result = score(X, compiled, item_scores=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result

    reference = rng.normal(50, 15, 100_000).round(1)
    values = rng.normal(50, 15, n).round(1)
    pos_s = best_of(lambda: percentile_positions(values, reference), 3)

    print(
        json.dumps(
            {
                "respondents": n,
                "items": compiled.n_items,
                "dimensions": len(compiled.dimension_ids),
                "score_1m_48_ms": round(vec_s * 1000 * (1_000_000 / n), 1),
                "score_1m_48_with_items_ms": round(items_s * 1000 * (1_000_000 / n), 1),
                "python_loop_ratio": round(loop_s / vec_s, 1),
                "positions_1m_vs_100k_ms": round(pos_s * 1000 * (1_000_000 / n), 1),
                "peak_mem_ratio": round(peak / X.nbytes, 2),
                "input_mb": round(X.nbytes / 2**20, 1),
                "python": platform.python_version(),
                "numpy": np.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
