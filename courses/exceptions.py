"""Errors raised by the courses package, and the located problems content errors carry.

Every problem is located as ``file:line:column`` (1-based) and says what to do about it.
Low-level errors (YAML syntax, pydantic validation, engine ``InstrumentError``) are
converted into :class:`ContentProblem` at the edge, in :mod:`.source` and :mod:`.loader`.
Every error class derives from :class:`CoursesError`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from clusterexcellence.engine.exceptions import format_position


@dataclass(frozen=True, order=True)
class ContentProblem:
    """One problem in one content file.

    An ``error`` makes the content invalid; a ``warning`` (an item-writing flaw, see
    :mod:`.itemwriting`) does not, unless ``validate --strict`` asks for it.
    """

    file: Path
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Literal["error", "warning"] = "error"

    def format(self, *, relative_to: Path | None = None) -> str:
        """The problem as ``file:line:column: message (hint)``, a warning with ``warning:``."""
        path = self.file
        if relative_to is not None:
            with contextlib.suppress(ValueError):  # outside: keep the path as given
                path = path.resolve().relative_to(relative_to.resolve())
        label = "warning: " if self.severity == "warning" else ""
        text = f"{format_position(path, self.line, self.column)}: {label}{self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def __str__(self) -> str:
        return self.format()


class CoursesError(Exception):
    """Base class of the errors raised by the courses package."""


class ContentError(CoursesError):
    """Raised when content is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"content is invalid ({len(self.problems)} problem(s)):\n{lines}")


class SkeletonExistsError(CoursesError):
    """Raised when ``new`` would overwrite an existing module folder."""


class ModuleNameError(CoursesError):
    """Raised when the name of a new module is not a lowercase kebab-case id."""


class UnknownInstrumentError(CoursesError):
    """Raised when an instrument argument names no file, no folder and no bundled module."""


class InstrumentFileError(CoursesError):
    """Raised when an instrument file cannot be read; ``problem`` says what and where."""

    def __init__(self, problem: ContentProblem) -> None:
        self.problem = problem
        super().__init__(problem.format())


class CalibrationError(CoursesError):
    """Raised when the calibration of the synthetic population is inconsistent."""
