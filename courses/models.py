"""Pydantic models of course content: courses, competency frameworks and case modules.

Instrument modules (``kind: instrument``) are the engine's
:class:`~clusterexcellence.engine.instrument.Instrument`. Structure is checked here;
rules that cross files (competency ids, module ids, decision graphs, files on disk) are
checked by :mod:`.checks`, :mod:`.decisions` and :mod:`.assets`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, StringConstraints, Tag, model_validator

from clusterexcellence.engine.fields import DimensionId, Id, Lang, Model, Text

#: A file path relative to the module folder: no absolute paths, no ``..``.
RelPath = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$"),
]
END = "end"


# ------------------------------------------------------------------------ course


class Course(Model):
    """A course (``course.yaml``): the ordered modules and the languages they are in."""

    id: Id
    title: Text
    description: Text
    languages: list[Lang] = Field(min_length=1)
    modules: list[Id] = Field(min_length=1, description="Module folder names, in order.")


# --------------------------------------------------------------------- framework


class FrameworkLevel(Model):
    id: Id
    title: Text


class Competency(Model):
    id: DimensionId = Field(description="area.competency, e.g. strategy.priority-setting")
    title: Text
    description: Text
    descriptors: dict[Id, Text] = Field(description="Level id → what a person at it does.")


class Area(Model):
    id: Id
    title: Text
    description: Text
    competencies: list[Competency] = Field(min_length=1)


class Framework(Model):
    """A competency framework (``frameworks/<id>.yaml``): areas → competencies."""

    id: Id
    title: Text
    description: Text
    languages: list[Lang] = Field(min_length=1)
    levels: list[FrameworkLevel] = Field(min_length=4, max_length=4)
    areas: list[Area] = Field(min_length=1)

    def competency_ids(self) -> set[str]:
        return {c.id for a in self.areas for c in a.competencies}


# -------------------------------------------------------------------------- case


class Protagonist(Model):
    name: str = Field(min_length=1, description="A person's name (not translated).")
    role: Text


class Section(Model):
    id: Id
    title: Text
    file: RelPath = Field(description="Markdown file stem: `sections/x` → sections/x.<lang>.md")


class TableExhibit(Model):
    id: Id
    kind: Literal["table"]
    title: Text
    caption: Text | None = None
    file: RelPath = Field(description="CSV stem: `exhibits/x` → exhibits/x.<lang>.csv")


class FigureExhibit(Model):
    id: Id
    kind: Literal["figure"]
    title: Text | None = None
    file: RelPath = Field(description="Image file shared by all languages.")
    alt: Text
    caption: Text | None = None


Exhibit = Annotated[TableExhibit | FigureExhibit, Field(discriminator="kind")]


_STEP = r"[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)?"
#: A step a text assumes: ``point`` (the point was visited) or ``point.option`` (chosen),
#: or alternatives separated by ``|``: ``reform-design.b | repair.c``.
Requirement = Annotated[str, StringConstraints(pattern=rf"^{_STEP}( *\| *{_STEP})*$")]


class PathCondition(Model):
    """When a variant applies: every condition given holds on the learner's path so far."""

    chose: dict[Id, Annotated[list[Id], Field(min_length=1)]] = Field(
        default_factory=dict,
        description="Point id → option ids: the path chose one of them at that point.",
    )
    visited: list[Id] = Field(default_factory=list, description="Points the path went through.")
    not_visited: list[Id] = Field(
        default_factory=list, description="Points the path did not go through."
    )

    @model_validator(mode="after")
    def _not_empty(self) -> PathCondition:
        if not (self.chose or self.visited or self.not_visited):
            raise ValueError("a condition needs 'chose', 'visited' or 'not_visited'")
        return self


class TextVariant(Model):
    """One version of a path-dependent text: shown when ``when`` holds (first match wins)."""

    when: PathCondition | Annotated[list[PathCondition], Field(min_length=1)] | None = Field(
        default=None,
        description="A condition, or a list of them (any holds); omitted on the last "
        "variant only: the default.",
    )
    requires: list[Requirement] = Field(
        default_factory=list,
        description="Steps this text assumes, all of them: `point` (visited), "
        "`point.option` (chosen), or alternatives `a.x | b.y`.",
    )

    @property
    def conditions(self) -> list[PathCondition]:
        """The conditions of ``when`` as a list (empty for the default)."""
        if self.when is None:
            return []
        return list(self.when) if isinstance(self.when, list) else [self.when]

    text: Text


def _default_last(variants: list[TextVariant]) -> list[TextVariant]:
    *conditional, default = variants
    if default.when is not None:
        raise ValueError(
            f"the last variant (number {len(variants)}) is the default and has no 'when'"
        )
    for k, variant in enumerate(conditional, 1):
        if variant.when is None:
            raise ValueError(
                f"variant {k} has no 'when' but is not the last (only the default, last, has none)"
            )
    return variants


#: Union tags of :data:`PathText`; pydantic puts them in error locations, the loader drops
#: them (like ``[key]``), so a problem reads ``points[2].prompt[0].when``.
PATH_TEXT_TAGS = ("[text]", "[variants]")


def _path_text_kind(value: Any) -> str:
    return PATH_TEXT_TAGS[isinstance(value, list | tuple)]


PathText = Annotated[
    Annotated[Text, Tag(PATH_TEXT_TAGS[0])]
    | Annotated[
        list[TextVariant],
        Field(min_length=1),
        AfterValidator(_default_last),
        Tag(PATH_TEXT_TAGS[1]),
    ],
    Discriminator(_path_text_kind),
]
"""A translatable text, or a list of variants chosen by the learner's path (see
:func:`~clusterexcellence.courses.pathtext.text_for`)."""


class DecisionOption(Model):
    id: Id
    text: Text
    score: float = Field(ge=0, le=1, allow_inf_nan=False)
    feedback: PathText
    consequence: PathText | None = None
    next: Id = Field(description="Id of the next decision point, or `end`.")


class DecisionPoint(Model):
    id: Id
    title: Text
    prompt: PathText
    graded: bool = True
    competencies: list[DimensionId] = Field(default_factory=list)
    options: list[DecisionOption] = Field(min_length=2, max_length=16)

    @model_validator(mode="after")
    def _graded_needs_competencies(self) -> DecisionPoint:
        if self.id == END:
            raise ValueError(f"{END!r} is reserved for the end of the case")
        if self.graded and not self.competencies:
            raise ValueError("a graded decision point needs at least one competency")
        if self.graded and not any(o.score > 0 for o in self.options):
            raise ValueError("a graded decision point needs an option with a positive score")
        return self


class Decisions(Model):
    start: Id
    points: list[DecisionPoint] = Field(min_length=1)


class Reflection(Model):
    id: Id
    prompt: Text
    model_answer: Text | None = None


class MarkdownFile(Model):
    file: RelPath


class CaseModule(Model):
    """A case study (``module.yaml`` with ``kind: case``)."""

    kind: Literal["case"]
    id: Id
    title: Text
    summary: Text
    learning_objectives: list[Text] = Field(min_length=1)
    competencies: list[DimensionId] = Field(min_length=1)
    duration_minutes: int = Field(ge=1, le=600)
    mastery_score: float | None = Field(
        0.6,
        ge=0,
        le=1,
        allow_inf_nan=False,
        description="Overall score (in [0, 1]) at which the case is passed in an LMS; "
        "null: the case is completed, never passed or failed.",
    )
    protagonist: Protagonist
    sections: list[Section] = Field(min_length=1)
    exhibits: list[Exhibit] = Field(default_factory=list)
    decisions: Decisions
    reflections: list[Reflection] = Field(default_factory=list)
    debrief: MarkdownFile
