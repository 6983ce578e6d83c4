"""Errors raised by the engine.

Every error names the bad value and where it came from. Adapters convert them at their
edge (a JSON problem body in the API, ``JsonHandlerError`` in an XBlock, ``file:line`` in
the content validator).
"""

from __future__ import annotations

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
    """Raised when an answer is outside its item's range or cannot be read."""

    def __init__(self, message: str, *, respondent: str | int, item: str) -> None:
        self.respondent = respondent
        self.item = item
        super().__init__(message)


class BenchmarkError(EngineError):
    """Raised when a reference set or a benchmarking request is invalid."""


class SpecError(EngineError):
    """Raised when a scoring spec cannot be read (unknown version, missing key)."""
