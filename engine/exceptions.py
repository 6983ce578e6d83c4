"""Errors raised by the engine.

Every error names the bad value and where it came from. Adapters convert them at their
edge (a JSON problem body in the API, ``JsonHandlerError`` in an XBlock, ``file:line`` in
the content validator).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found in input, located by a path of keys and list indices."""

    loc: tuple[str | int, ...]
    msg: str

    @property
    def path(self) -> str:
        """The location as ``items[3].options[0].score``."""
        return format_loc(self.loc)

    def __str__(self) -> str:
        return f"{self.path}: {self.msg}" if self.loc else self.msg


def format_loc(loc: tuple[str | int, ...]) -> str:
    """A location of keys and indices as ``items[3].options[0].score``.

    Parameters
    ----------
    loc : tuple of str and int
        Keys and list indices from the document's root.

    >>> format_loc(("items", 3, "options", 0, "score"))
    'items[3].options[0].score'
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def format_position(path: object, line: int, column: int | None = None) -> str:
    """A place in a file as ``path:line:column`` (``path:line`` without a column).

    Every error that names a place in a file (content, CSVs, specs) is written this way.

    Parameters
    ----------
    path : path or str
    line : int
        1-based.
    column : int, optional
        1-based.

    >>> format_position("answers.csv", 3), format_position("module.yaml", 12, 5)
    ('answers.csv:3', 'module.yaml:12:5')
    """
    return f"{path}:{line}" if column is None else f"{path}:{line}:{column}"


class EngineError(Exception):
    """Base class of the engine's errors."""


class InstrumentError(EngineError):
    """Raised when an instrument definition is invalid; ``problems`` lists every problem."""

    def __init__(self, problems: list[Problem], *, source: str = "instrument") -> None:
        self.problems = problems
        self.source = source
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source} is invalid ({len(problems)} problem(s)):\n{lines}")


class ResponseError(EngineError):
    """Raised when answers cannot be read or scored: an answer outside its item's range or
    unreadable, an unknown item, a malformed responses file or array.

    ``respondent`` and ``item`` name where, when the error is about one answer; ``path``
    and ``line`` when it comes from a file.
    """

    def __init__(
        self,
        message: str,
        *,
        respondent: str | int | None = None,
        item: str | None = None,
        path: str | None = None,
        line: int | None = None,
    ) -> None:
        self.respondent = respondent
        self.item = item
        self.path = path
        self.line = line
        super().__init__(message)


class AnswerError(ResponseError):
    """Raised when one natural answer cannot be read as its item's type (the caller adds
    the respondent and the place)."""


class FileError(EngineError):
    """Raised when an input file cannot be read (missing, a folder, too large, not UTF-8)
    or an output path cannot be written (a folder, under a file, in a missing folder)."""


class LabelRulesError(EngineError):
    """Raised when a label outcome is asked of an instrument that has no label rules."""


class BenchmarkError(EngineError):
    """Raised when a reference set or a benchmarking request is invalid."""


@dataclass(frozen=True)
class ReferenceIssue:
    """One problem in a reference CSV: where it is and what is wrong."""

    path: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = format_position(self.path, self.line)
        if self.column:
            return f"{where}: column {self.column!r}: {self.message}"
        return f"{where}: {self.message}"


class ReferenceDataError(BenchmarkError):
    """Raised when a reference CSV is invalid; ``issues`` lists every problem found."""

    #: At most this many problems are listed in the message (all are in ``issues``).
    MESSAGE_LIMIT = 200

    def __init__(self, issues: Sequence[ReferenceIssue], *, path: str) -> None:
        self.issues = list(issues)
        self.path = path
        shown = "\n".join(f"  {i}" for i in self.issues[: self.MESSAGE_LIMIT])
        more = len(self.issues) - self.MESSAGE_LIMIT
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{path} is invalid ({len(self.issues)} problem(s)):\n{shown}{tail}")


class SpecError(EngineError):
    """Raised when a scoring spec cannot be read (unknown version, missing key)."""
