"""Valid submissions for the API tests, drawn from the bundled instruments."""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np

from clusterexcellence.courses.instruments import find_instrument
from clusterexcellence.engine.examples import random_answers

SELF_TEST = "competency-self-test"
LABEL = "label-self-assessment"


@lru_cache(maxsize=4)
def instrument_model(instrument: str):
    return find_instrument(instrument)


def version(instrument: str) -> int:
    """The published version of a bundled instrument."""
    return instrument_model(instrument).version


def answers(instrument: str = SELF_TEST, *, seed: int = 0, missing: float = 0.0) -> dict:
    """Natural answers to every item (JSON types only)."""
    rng = np.random.default_rng(seed)
    [row] = random_answers(instrument_model(instrument), 1, rng, missing=missing)
    return json.loads(json.dumps(row, default=lambda x: x.item()))


def submission(
    learner: str = "learner-1",
    *,
    instrument: str = SELF_TEST,
    seed: int = 0,
    club: bool = False,
    label_body: bool = False,
    **peer_group,
) -> dict:
    return {
        "instrument": {"id": instrument, "version": version(instrument)},
        "learner_id": learner,
        "answers": answers(instrument, seed=seed),
        "consent": {"share_with_label_body": label_body, "share_with_club": club},
        "peer_group": peer_group,
    }
