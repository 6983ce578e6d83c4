"""Pydantic models of course content: courses, competency frameworks and case modules.

Instrument modules (``kind: instrument``) are the engine's
:class:`~clusterexcellence.engine.instrument.Instrument`. Structure is checked here;
rules that cross files (competency ids, module ids, decision graphs, files on disk) are
checked by :mod:`.checks`, :mod:`.decisions` and :mod:`.assets`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

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


class DecisionOption(Model):
    id: Id
    text: Text
    score: float = Field(ge=0, le=1, allow_inf_nan=False)
    feedback: Text
    consequence: Text | None = None
    next: Id = Field(description="Id of the next decision point, or `end`.")


class DecisionPoint(Model):
    id: Id
    title: Text
    prompt: Text
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
    protagonist: Protagonist
    sections: list[Section] = Field(min_length=1)
    exhibits: list[Exhibit] = Field(default_factory=list)
    decisions: Decisions
    reflections: list[Reflection] = Field(default_factory=list)
    debrief: MarkdownFile
