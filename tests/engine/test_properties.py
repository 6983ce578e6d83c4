"""Batch scoring equals the plain per-respondent evaluator of the scoring spec."""

import json
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterexcellence.engine import compile_instrument, encode_rows, score, scoring_spec
from clusterexcellence.engine.evaluator import evaluate
from clusterexcellence.engine.examples import random_answers, random_instrument


def close(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and not math.isnan(b) and abs(a - b) <= 1e-9


def check_batch_matches_evaluator(instrument, answers):
    compiled = compile_instrument(instrument)
    # The spec goes through JSON, as it does to the SCORM player.
    spec = json.loads(json.dumps(scoring_spec(instrument)))
    result = score(encode_rows(compiled, answers), compiled)
    for r, row in enumerate(answers):
        ref = evaluate(spec, row)
        for j, item_id in enumerate(compiled.item_ids):
            assert close(ref["items"][item_id], result.item_scores[r, j]), (r, item_id)
        for d, dim_id in enumerate(compiled.dimension_ids):
            got = ref["dimensions"][dim_id]
            assert close(got["score"], result.dimension_scores[r, d]), (r, dim_id)
            assert close(got["coverage"], result.dimension_coverage[r, d]), (r, dim_id)
            assert got["level"] == result.dimension_levels[r, d], (r, dim_id)
        assert close(ref["overall"]["score"], result.overall[r])
        assert close(ref["overall"]["coverage"], result.overall_coverage[r])
        assert ref["overall"]["level"] == result.overall_level[r]
        assert close(ref["answered_share"], result.answered_share[r])
        if ref["label"] is not None:
            lab = result.label
            met = [i for k, i in enumerate(compiled.label.indicator_ids) if lab.indicator_met[r, k]]
            req = [
                i for q, i in enumerate(compiled.label.requirement_ids) if lab.requirement_met[r, q]
            ]
            assert ref["label"]["indicators_met"] == met
            assert ref["label"]["requirements_met"] == req
            assert close(ref["label"]["ratio"], lab.ratio[r])
            assert ref["label"]["level"] == lab.level[r]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n_items=st.integers(1, 40),
    n_areas=st.integers(1, 6),
    children=st.integers(0, 3),
    missing=st.sampled_from([0.0, 0.2, 0.6, 1.0]),
    with_label=st.booleans(),
)
def test_batch_scoring_equals_the_per_respondent_evaluator(
    seed, n_items, n_areas, children, missing, with_label
):
    rng = np.random.default_rng(seed)
    n_leaves = n_areas * max(children, 1)
    instrument = random_instrument(
        rng,
        n_items=max(n_items, n_leaves),
        n_areas=n_areas,
        children=children,
        with_label=with_label,
    )
    answers = random_answers(instrument, 25, rng, missing=missing)
    check_batch_matches_evaluator(instrument, answers)


def test_bundled_instruments_match_the_evaluator_on_random_answers():
    from clusterexcellence.courses.instruments import bundled_instrument_files, find_instrument

    rng = np.random.default_rng(7)
    for module_id in bundled_instrument_files():
        instrument = find_instrument(module_id)
        check_batch_matches_evaluator(
            instrument, random_answers(instrument, 200, rng, missing=0.15)
        )


def test_evaluator_agreement_holds_when_fresh_memory_is_garbage(poison_empty):
    poison_empty()
    for seed in range(6):
        rng = np.random.default_rng(seed)
        instrument = random_instrument(rng, n_items=24, n_areas=3, children=2, with_label=True)
        check_batch_matches_evaluator(instrument, random_answers(instrument, 30, rng, missing=0.3))
