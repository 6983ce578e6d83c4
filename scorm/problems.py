"""What the package checker reports: one :class:`Problem` per defect, with where it is."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One defect of a package.

    Parameters
    ----------
    entry : str
        The zip entry it is in (``imsmanifest.xml``, ``../evil.sh``); ``""`` for the
        package as a whole.
    line : int
        Line in ``entry`` (1-based); 0 when the problem has no line.
    code : str
        Stable machine-readable kind (``zip.path-traversal``, ``manifest.missing-file``).
    message : str
        What is wrong and what to do about it.
    severity : "error" or "warning"
        An error makes the package fail; a warning is a risk in some LMS.
    """

    entry: str
    line: int
    code: str
    message: str
    severity: Severity = "error"

    @property
    def where(self) -> str:
        """``entry:line``, ``entry`` or ``""``."""
        if not self.entry:
            return ""
        return f"{self.entry}:{self.line}" if self.line else self.entry

    def format(self, package: str) -> str:
        """``package!entry:line: severity: message`` (the ``!`` joins zip and entry)."""
        where = f"{package}!{self.where}" if self.where else package
        return f"{where}: {self.severity}: {self.message}"

    def to_json(self) -> dict:
        return asdict(self)
