"""The instrument model: items, dimensions, proficiency levels and label rules.

An :class:`Instrument` is what authors write (as YAML in ``courses/``) and what every
channel scores with. Structural rules live on the fields; rules that cross fields (ids
that must exist, leaves that must carry items) are checked once, after the structure, and
reported all together as an :class:`~clusterexcellence.engine.exceptions.InstrumentError`
whose problems carry the path of the bad field.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from .exceptions import InstrumentError, Problem
from .fields import DimensionId, Id, Model, Text, Unit, Weight
from .items import ITEM_TYPES, Item, ThresholdTarget

# ---------------------------------------------------------------------- structure


class Dimension(Model):
    id: DimensionId
    title: Text
    description: Text | None = None
    weight: Weight = 1.0
    modules: list[Id] = Field(default_factory=list, description="Modules that train it.")
    children: list[Dimension] = Field(default_factory=list)


class Level(Model):
    id: Id
    title: Text
    min: Unit = Field(description="Lowest score (in [0, 1]) of this level.")
    description: Text | None = None


class ProfileChoice(Model):
    id: Id
    label: Text


class ProfileField(Model):
    """An organisation-profile field: recorded, not scored."""

    id: Id
    type: Literal["text", "number", "integer", "choice", "url", "country", "email"]
    label: Text
    help: Text | None = None
    unit: Text | None = None
    choices: list[ProfileChoice] = Field(default_factory=list)
    required: bool = False
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _choices_for_choice(self) -> ProfileField:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError("'choices' is required for type choice and only for it")
        return self


# --------------------------------------------------------------------- label rules

Operator = Literal[">=", ">", "<=", "<", "==", "!="]


class Threshold(Model):
    op: Operator
    value: float = Field(allow_inf_nan=False)
    on: Literal["value", "score"] | None = Field(
        None,
        description="What is tested: the answer value (default for numeric, boolean and "
        "likert items) or the item score in [0, 1] (default for choice items).",
    )


class LabelIndicator(Model):
    id: Id
    item: Id
    threshold: Threshold
    points: Weight
    title: Text
    evidence: Text | None = None
    modules: list[Id] = Field(default_factory=list)


class MinimumRequirement(Model):
    """A knock-out: one unmet requirement refuses every level it applies to."""

    id: Id
    item: Id
    threshold: Threshold
    title: Text
    description: Text | None = None
    levels: list[Id] = Field(min_length=1)


class LabelLevel(Model):
    id: Id
    title: Text
    description: Text | None = None
    min_ratio: Unit = Field(0.0, description="Least share of indicator points met.")
    min_coverage: Unit = Field(0.0, description="Least share of the instrument's items answered.")
    valid_months: int | None = Field(None, ge=1, le=120)


class LabelRules(Model):
    disclaimer: Text | None = None
    indicators: list[LabelIndicator] = Field(min_length=1)
    minimum_requirements: list[MinimumRequirement] = Field(default_factory=list)
    levels: list[LabelLevel] = Field(min_length=1)


# --------------------------------------------------------------------- instrument


class Instrument(Model):
    """A scored questionnaire: a competency self-test, a label self-assessment, a case."""

    kind: Literal["instrument"] = "instrument"
    id: Id
    version: int = Field(1, ge=1)
    title: Text
    description: Text | None = None
    duration_minutes: int | None = Field(
        None, ge=1, le=600, description="Typical time to complete, in minutes (package metadata)."
    )
    min_coverage: Annotated[float, Field(gt=0, le=1)] = 0.5
    levels: list[Level] = Field(default_factory=list)
    dimensions: list[Dimension] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    profile: list[ProfileField] = Field(default_factory=list)
    label: LabelRules | None = None

    @model_validator(mode="after")
    def _cross_references(self) -> Instrument:
        problems = list(cross_field_problems(self))
        if problems:
            raise InstrumentError(problems, source=f"instrument {self.id!r}")
        return self

    # Convenience views -------------------------------------------------------

    def iter_dimensions(self) -> Iterator[tuple[Dimension, Dimension | None, tuple]]:
        """Yield ``(dimension, parent, loc)`` depth first, parents before children."""

        def walk(dims, parent, loc):
            for i, d in enumerate(dims):
                here = (*loc, i)
                yield d, parent, here
                yield from walk(d.children, d, (*here, "children"))

        yield from walk(self.dimensions, None, ("dimensions",))

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)


def _duplicates(pairs: list[tuple[str, tuple]]) -> Iterator[Problem]:
    seen: dict[str, tuple] = {}
    for key, loc in pairs:
        if key in seen:
            yield Problem((*loc, "id"), f"duplicate id {key!r} (first at {_fmt(seen[key])})")
        else:
            seen[key] = loc


def _fmt(loc: tuple) -> str:
    return Problem(loc, "").path


def _check_levels(levels, loc, key) -> Iterator[Problem]:
    mins = [getattr(lv, key) for lv in levels]
    for i in range(1, len(mins)):
        if mins[i] <= mins[i - 1]:
            yield Problem((*loc, i, key), f"levels must ascend: {mins[i]} after {mins[i - 1]}")


def cross_field_problems(ins: Instrument) -> Iterator[Problem]:
    """Yield every cross-field problem of a structurally valid instrument.

    Duplicate ids, unknown or non-leaf dimensions of items, leaves without items,
    levels that do not ascend, and label rules naming unknown items or levels or testing
    the value of a choice item; each :class:`Problem` is located by its field's path.
    """
    dims = list(ins.iter_dimensions())
    yield from _duplicates([(d.id, loc) for d, _, loc in dims])
    leaves = {d.id for d, _, _ in dims if not d.children}
    known = {d.id for d, _, _ in dims}
    yield from _duplicates([(it.id, ("items", i)) for i, it in enumerate(ins.items)])
    yield from _duplicates([(lv.id, ("levels", i)) for i, lv in enumerate(ins.levels)])
    yield from _check_levels(ins.levels, ("levels",), "min")

    used: set[str] = set()
    for i, it in enumerate(ins.items):
        for dim_id in it.dimensions:
            loc = ("items", i, "dimensions", dim_id)
            if dim_id not in known:
                yield Problem(loc, f"unknown dimension {dim_id!r}")
            elif dim_id not in leaves:
                yield Problem(loc, f"dimension {dim_id!r} has children; link items to leaves")
            used.add(dim_id)
    for d, _, loc in dims:
        if not d.children and d.id not in used:
            yield Problem((*loc, "id"), f"dimension {d.id!r} has no items")

    if ins.label is not None:
        yield from _label_problems(ins)


def _label_problems(ins: Instrument) -> Iterator[Problem]:
    rules = ins.label
    items = {it.id: it for it in ins.items}
    level_ids = {lv.id for lv in rules.levels}
    yield from _duplicates(
        [(x.id, ("label", "indicators", i)) for i, x in enumerate(rules.indicators)]
        + [
            (x.id, ("label", "minimum_requirements", i))
            for i, x in enumerate(rules.minimum_requirements)
        ]
    )
    yield from _duplicates([(lv.id, ("label", "levels", i)) for i, lv in enumerate(rules.levels)])
    for group in ("indicators", "minimum_requirements"):
        for i, rule in enumerate(getattr(rules, group)):
            loc = ("label", group, i)
            item = items.get(rule.item)
            if item is None:
                yield Problem((*loc, "item"), f"unknown item {rule.item!r}")
                continue
            on = threshold_target(rule.threshold, item)
            if on == "value" and not item.has_value:
                yield Problem(
                    (*loc, "threshold", "on"),
                    f"item {item.id!r} is a {item.type}; test its score (on: score)",
                )
            if group == "minimum_requirements":
                for j, lv in enumerate(rule.levels):
                    if lv not in level_ids:
                        yield Problem((*loc, "levels", j), f"unknown label level {lv!r}")


def threshold_target(threshold: Threshold, item: Item) -> ThresholdTarget:
    """What a threshold tests on ``item``: its answer value or its score.

    The threshold's ``on`` when given, else the item type's default (the value of
    likert, numeric and boolean items, the score of choice items).

    >>> from clusterexcellence.engine.examples import tiny_instrument
    >>> q1, q2, _ = tiny_instrument().items
    >>> t = Threshold(op=">=", value=1)
    >>> threshold_target(t, q1), threshold_target(t, q2)
    ('value', 'score')
    """
    return threshold.on if threshold.on is not None else item.threshold_default


def load_instrument(data: Any, *, source: str = "instrument") -> Instrument:
    """Validate a mapping (parsed YAML or JSON) into an :class:`Instrument`.

    Parameters
    ----------
    data : mapping
        The instrument as plain data (``docs/content-format.md``).
    source : str
        How error messages name it (a file path, ``case 'x'``...).

    Returns
    -------
    Instrument

    Raises
    ------
    InstrumentError
        With one :class:`Problem` per error, each located by the path of the bad field.

    >>> load_instrument({"id": "x", "title": {"en": "x"}}, source="x.yaml")
    Traceback (most recent call last):
    ...
    clusterexcellence.engine.exceptions.InstrumentError: x.yaml is invalid (2 problem(s)):
      dimensions: Field required
      items: Field required
    """
    try:
        return Instrument.model_validate(data)
    except ValidationError as err:
        problems = [Problem(_clean_loc(e["loc"]), e["msg"]) for e in err.errors()]
        raise InstrumentError(problems, source=source) from err
    except InstrumentError as err:
        raise InstrumentError(err.problems, source=source) from err


def _clean_loc(loc: tuple) -> tuple:
    # Discriminated unions add the tag to the path ("items", 3, "likert", "points").
    return tuple(
        p
        for i, p in enumerate(loc)
        if not (p in ITEM_TYPES and i > 0 and isinstance(loc[i - 1], int))
    )


def instrument_json_schema() -> dict:
    """The JSON Schema of instruments, for authors' editors (YAML keys, ``from`` included).

    >>> sorted(instrument_json_schema()["properties"]["items"]["items"]["discriminator"]["mapping"])
    ['boolean', 'likert', 'multiple_choice', 'numeric', 'single_choice', 'situational']
    """
    return Instrument.model_json_schema(by_alias=True)
