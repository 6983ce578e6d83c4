"""Item types: what authors write, and everything the engine does that depends on the type.

Each item type is one model class here, and each class carries all of its type's
behaviour, so that nothing elsewhere in the engine tests ``item.type`` against strings:

=================  ============================  =====================================
item type          answer code (:meth:`encode`)  item score
=================  ============================  =====================================
likert             the point, ``1 .. points``    ``(point - 1) / (points - 1)``, or
                                                 ``1 -`` that when ``reverse``
single_choice      the option index              option score / best option score
situational        the option index              option score / best option score
multiple_choice    bit mask of the selection     capped sum, all or nothing, or
                   (bit ``j`` = option ``j``)    partial credit
numeric            the value itself              bands or linear rule
boolean            ``1`` true, ``0`` false       ``true_score`` / ``false_score``
=================  ============================  =====================================

The behaviour a class provides:

- :meth:`~ItemBase.encode`: a natural answer (CSV cell, form field, JSON value) → its code;
- :meth:`~ItemBase.code_range`: the valid codes (lowest, highest, whole numbers only);
- :meth:`~ItemBase.score_table`: the score of every code, for the compiled lookup table
  (``None`` for numeric items, scored by their rule);
- :meth:`~ItemBase.spec_entry`: the type's keys in the scoring spec;
- :attr:`~ItemBase.threshold_default` and :attr:`~ItemBase.has_value`: what a label
  threshold tests on the item (its answer value or its score);
- :meth:`~ItemBase.example_answer`: a random valid answer, for examples and tests.

Adding an item type means a class here, listed in :data:`ITEM_CLASSES`, and then, outside this
module (each place raises or fails a test until it is done):

1. ``docs/content-format.md`` (how authors write it) and ``docs/scoring-spec.md`` (its
   spec keys and score);
2. :mod:`~clusterexcellence.engine.evaluator`, the plain evaluator of the spec (the
   yardstick of every other evaluator's parity);
3. the JavaScript evaluator of the spec (``player/static/js/evaluator.js``);
4. the item's view in the player (``ITEM_VIEWS`` in ``player/static/js/views/questionnaire.js``;
   a test renders every type in Chromium);
5. :func:`~clusterexcellence.engine.examples.random_instrument`, so the property tests
   generate it.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal, Union, get_args

import numpy as np
from pydantic import Field, model_validator

from .exceptions import AnswerError
from .fields import DimensionId, Id, Model, Text, Unit, Weight

#: Most options a choice item may have (multiple-choice answers are bit masks).
MAX_OPTIONS = 16
#: Separator of option ids in the text of a multiple-choice answer (a CSV cell).
MULTI_SEPARATOR = "|"
_TRUE = frozenset({"true", "yes", "1", "y"})
_FALSE = frozenset({"false", "no", "0", "n"})

ThresholdTarget = Literal["value", "score"]


def _number(value: Any) -> float:
    """A finite number from a number or its text; :class:`AnswerError` otherwise."""
    if isinstance(value, bool):
        raise AnswerError(f"{value!r} is not a number")
    try:
        x = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise AnswerError(f"{value!r} is not a number") from None
    if not math.isfinite(x):
        raise AnswerError(f"{value!r} is not a finite number")
    return x


class Option(Model):
    id: Id
    text: Text
    score: float = Field(allow_inf_nan=False)
    rationale: Text | None = None
    feedback: Text | None = None


class ItemBase(Model):
    id: Id
    prompt: Text
    help: Text | None = None
    dimensions: dict[DimensionId, Weight] = Field(
        default_factory=dict, description="Leaf dimension id → weight of this item in it."
    )

    #: What a label threshold tests on this item unless it says ``on:``.
    threshold_default: ClassVar[ThresholdTarget] = "value"
    #: Whether a label threshold may test the answer value (choice answers have none).
    has_value: ClassVar[bool] = True

    def encode(self, value: Any) -> float:
        """The code of a given (non-empty) natural answer; :class:`AnswerError` if unreadable.

        Range checks are left to :func:`~clusterexcellence.engine.scoring.score`.
        """
        raise NotImplementedError(type(self).__name__)

    def code_range(self) -> tuple[float, float, bool]:
        """Lowest and highest valid code (``±inf``: unbounded) and whether codes are whole."""
        raise NotImplementedError(type(self).__name__)

    def score_table(self) -> np.ndarray | None:
        """Scores of the codes ``lowest .. highest``, or None for an item scored by a rule."""
        raise NotImplementedError(type(self).__name__)

    def spec_entry(self) -> dict[str, Any]:
        """This type's keys in the item's entry of the scoring spec."""
        raise NotImplementedError(type(self).__name__)

    def example_answer(self, rng: np.random.Generator) -> Any:
        """A random valid natural answer."""
        raise NotImplementedError(type(self).__name__)


class LikertItem(ItemBase):
    type: Literal["likert"]
    points: int = Field(ge=2, le=11, description="Number of points k; answers are 1..k.")
    labels: list[Text] = Field(default_factory=list, description="One anchor per point.")
    reverse: bool = False

    @model_validator(mode="after")
    def _labels_match_points(self) -> LikertItem:
        if self.labels and len(self.labels) != self.points:
            raise ValueError(f"{len(self.labels)} labels for {self.points} points")
        return self

    def encode(self, value: Any) -> float:
        return _number(value)

    def code_range(self) -> tuple[float, float, bool]:
        return 1.0, float(self.points), True

    def score_table(self) -> np.ndarray:
        s = np.linspace(0.0, 1.0, self.points)
        return s[::-1].copy() if self.reverse else s

    def spec_entry(self) -> dict[str, Any]:
        return {"points": self.points, "reverse": self.reverse}

    def example_answer(self, rng: np.random.Generator) -> int:
        return int(rng.integers(1, self.points + 1))


class _ChoiceItem(ItemBase):
    options: list[Option] = Field(min_length=2, max_length=MAX_OPTIONS)

    threshold_default: ClassVar[ThresholdTarget] = "score"
    has_value: ClassVar[bool] = False

    @model_validator(mode="after")
    def _options_are_sound(self) -> _ChoiceItem:
        ids = [o.id for o in self.options]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate option ids {dup}")
        if not any(o.score > 0 for o in self.options):
            raise ValueError("no option has a positive score")
        return self

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def _option_index(self, value: Any) -> int:
        chosen = value.strip() if isinstance(value, str) else value
        ids = self.option_ids
        if chosen not in ids:
            raise AnswerError(f"unknown option {chosen!r} (options: {', '.join(ids)})")
        return ids.index(chosen)


class _SingleAnswerItem(_ChoiceItem):
    @model_validator(mode="after")
    def _scores_not_negative(self) -> _SingleAnswerItem:
        bad = [o.id for o in self.options if o.score < 0]
        if bad:
            raise ValueError(f"options {bad} have a negative score (single answer scores are >= 0)")
        return self

    def encode(self, value: Any) -> float:
        return float(self._option_index(value))

    def code_range(self) -> tuple[float, float, bool]:
        return 0.0, float(len(self.options) - 1), True

    def score_table(self) -> np.ndarray:
        raw = np.array([o.score for o in self.options])
        return raw / raw.max()

    def spec_entry(self) -> dict[str, Any]:
        best = max(o.score for o in self.options)
        return {"options": self.option_ids, "scores": [o.score / best for o in self.options]}

    def example_answer(self, rng: np.random.Generator) -> str:
        return self.options[int(rng.integers(len(self.options)))].id


class SingleChoiceItem(_SingleAnswerItem):
    type: Literal["single_choice"]


class SituationalItem(_SingleAnswerItem):
    """Situational judgement: a scenario, options keyed by experts (with a rationale)."""

    type: Literal["situational"]
    scenario: Text


class MultipleChoiceItem(_ChoiceItem):
    type: Literal["multiple_choice"]
    mode: Literal["capped_sum", "all_or_nothing", "partial_credit"] = "partial_credit"
    cap: Weight = Field(1.0, description="capped_sum: the sum that gives full credit.")

    def encode(self, value: Any) -> float:
        if isinstance(value, str):
            chosen = [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()]
        elif isinstance(value, list | tuple | set | frozenset):
            chosen = list(value)
        else:
            raise AnswerError(f"{value!r} is not a list of option ids")
        return float(sum(1 << j for j in {self._option_index(c) for c in chosen}))

    def code_range(self) -> tuple[float, float, bool]:
        return 0.0, float((1 << len(self.options)) - 1), True

    def score_table(self) -> np.ndarray:
        """Score of every selection: ``table[mask]``, bit ``j`` of ``mask`` = option ``j``."""
        raw = np.array([o.score for o in self.options])
        masks = np.arange(1 << len(raw))
        # bits[mask, j] is 1 when option j is in the selection.
        bits = (masks[:, None] >> np.arange(len(raw))) & 1
        total = bits @ raw
        if self.mode == "capped_sum":
            return np.clip(total, 0.0, self.cap) / self.cap
        if self.mode == "all_or_nothing":
            key = int(np.sum((raw > 0) << np.arange(len(raw))))
            return (masks == key).astype(float)
        return np.maximum(total, 0.0) / raw[raw > 0].sum()

    def spec_entry(self) -> dict[str, Any]:
        return {
            "options": self.option_ids,
            "scores": [o.score for o in self.options],
            "mode": self.mode,
            "cap": self.cap,
        }

    def example_answer(self, rng: np.random.Generator) -> list[str]:
        return [o.id for o in self.options if rng.random() < 0.5]


class Band(Model):
    from_: float = Field(alias="from", allow_inf_nan=False)
    score: Unit

    model_config = Model.model_config | {"populate_by_name": True}


class Linear(Model):
    zero: float = Field(allow_inf_nan=False, description="Value scoring 0.")
    full: float = Field(allow_inf_nan=False, description="Value scoring 1.")

    @model_validator(mode="after")
    def _distinct(self) -> Linear:
        if self.zero == self.full:
            raise ValueError("zero and full must differ")
        return self


class NumericScoring(Model):
    bands: list[Band] | None = Field(None, min_length=1)
    linear: Linear | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> NumericScoring:
        if (self.bands is None) == (self.linear is None):
            raise ValueError("give exactly one of 'bands' or 'linear'")
        if self.bands is not None:
            lows = [b.from_ for b in self.bands]
            if any(b <= a for a, b in zip(lows, lows[1:], strict=False)):
                raise ValueError(f"band lower bounds must increase strictly, got {lows}")
        return self


class NumericItem(ItemBase):
    type: Literal["numeric"]
    unit: Text | None = None
    min: float | None = Field(None, allow_inf_nan=False)
    max: float | None = Field(None, allow_inf_nan=False)
    integer: bool = False
    scoring: NumericScoring

    @model_validator(mode="after")
    def _range(self) -> NumericItem:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    def encode(self, value: Any) -> float:
        return _number(value)

    def code_range(self) -> tuple[float, float, bool]:
        lo = -math.inf if self.min is None else self.min
        hi = math.inf if self.max is None else self.max
        return lo, hi, self.integer

    def score_table(self) -> None:
        return None  # scored by its bands or linear rule

    def spec_entry(self) -> dict[str, Any]:
        sc = self.scoring
        out: dict[str, Any] = {"min": self.min, "max": self.max, "integer": self.integer}
        if sc.bands is not None:
            out["bands"] = {
                "from": [b.from_ for b in sc.bands],
                "score": [b.score for b in sc.bands],
            }
        else:
            out["linear"] = {"zero": sc.linear.zero, "full": sc.linear.full}
        return out

    def example_answer(self, rng: np.random.Generator) -> float:
        lo = 0.0 if self.min is None else self.min
        hi = max(lo, 100.0) if self.max is None else self.max
        picks = [lo, hi, lo + (hi - lo) * rng.random(), *(rng.choice([0, 5, 20, 50, 80, 100], 2))]
        value = float(np.clip(rng.choice(picks), lo, hi))
        return float(round(value)) if self.integer else value


class BooleanItem(ItemBase):
    type: Literal["boolean"]
    true_score: Unit = 1.0
    false_score: Unit = 0.0

    def encode(self, value: Any) -> float:
        if isinstance(value, bool):
            return float(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return 1.0
        if text in _FALSE:
            return 0.0
        raise AnswerError(f"{value!r} is not a boolean (true/false)")

    def code_range(self) -> tuple[float, float, bool]:
        return 0.0, 1.0, True

    def score_table(self) -> np.ndarray:
        return np.array([self.false_score, self.true_score])

    def spec_entry(self) -> dict[str, Any]:
        return {"true_score": self.true_score, "false_score": self.false_score}

    def example_answer(self, rng: np.random.Generator) -> bool:
        return bool(rng.random() < 0.5)


ITEM_CLASSES: tuple[type[ItemBase], ...] = (
    LikertItem,
    SingleChoiceItem,
    SituationalItem,
    MultipleChoiceItem,
    NumericItem,
    BooleanItem,
)
#: Item type name → its class.
ITEM_TYPES: dict[str, type[ItemBase]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls for cls in ITEM_CLASSES
}

#: Any item, told apart by its ``type``.
Item = Annotated[Union[ITEM_CLASSES], Field(discriminator="type")]  # noqa: UP007
