"""Engine speed and memory figures, printed as one JSON object.

Run: ``.venv/bin/python bench/engine.py`` (``--quick`` for a smaller run). Figures:

- ``score_1m_48_ms``: 1,000,000 respondents × 48 items of every type in 8 dimensions,
  scored to dimension and overall scores, coverage and levels (best of 5: on a shared
  machine the minimum is the figure least disturbed by other work);
  ``score_1m_48_with_items_ms`` also keeps the (n, 48) item scores.
- ``python_loop_ratio``: the plain per-respondent evaluator (engine.evaluator, which
  reads the scoring spec like the JS player) on a sample, extrapolated to the same
  number of respondents, divided by the vectorised time of the same run.
- ``positions_1m_vs_100k_ms``: mid-rank percentiles of 1M values in a 100k reference.
- ``peak_mem_ratio``: peak memory allocated while scoring (tracemalloc, which numpy
  reports to) divided by the size of the input array.
- ``bare_lookup_sum_ms``: for scale, the same 1M × 48 through nothing but the table
  lookup of every cell and the leaf-sum matrix product, in the same chunks and threads:
  what a numpy item stage pays before validating answers, coverage, numeric items,
  dimensions and levels. Its results are not scores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from clusterexcellence.engine.benchmark import percentile_positions
from clusterexcellence.engine.compile import compile_instrument
from clusterexcellence.engine.evaluator import evaluate
from clusterexcellence.engine.examples import random_answers, random_codes, random_instrument
from clusterexcellence.engine.scoring import CHUNK_ROWS, score
from clusterexcellence.engine.spec import scoring_spec


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bare_lookup_sum(X: np.ndarray, compiled) -> None:
    """Table lookup and leaf sums only (no validation, coverage, numeric scoring or levels)."""
    n, m = X.shape
    rows, workers = CHUNK_ROWS, min(os.cpu_count() or 1, 4)
    offsets = np.tile(compiled.layout.offsets.astype(float), (rows, 1))
    W = compiled.item_dim_weights
    out = np.empty((n, W.shape[1]))
    bounds = [n * k // workers // rows * rows for k in range(workers)] + [n]

    def run(k: int) -> None:
        K, KI = np.empty((rows, m)), np.empty((rows, m), np.intp)
        for a in range(bounds[k], bounds[k + 1], rows):
            x = X[a : a + rows]
            r = len(x)
            np.add(x, offsets[:r], out=K[:r])
            with np.errstate(invalid="ignore"):  # NaN: any index, clipped below
                np.copyto(KI[:r], K[:r], casting="unsafe")
            np.take(compiled.layout.table, KI[:r], out=K[:r], mode="clip")
            np.matmul(K[:r], W, out=out[a : a + r])

    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, range(workers)))


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
    bare_s = best_of(lambda: bare_lookup_sum(X, compiled), 5)

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
                "bare_lookup_sum_ms": round(bare_s * 1000 * (1_000_000 / n), 1),
                "input_mb": round(X.nbytes / 2**20, 1),
                "python": platform.python_version(),
                "numpy": np.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
