"""Errors raised by the scorm package. Every class derives from :class:`ScormError`."""

from __future__ import annotations


class ScormError(Exception):
    """Base class of the errors raised by the scorm package."""


class PlanError(ScormError):
    """Raised when a package plan cannot be described by a manifest (bad id, path, score)."""


class SchemaFolderError(ScormError):
    """Raised when the official SCORM schemas cannot be found or compiled."""


class BuildError(ScormError):
    """Raised when packages cannot be built; ``problems`` lists every ``file:line`` problem."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


class ManifestInvalidError(ScormError):
    """Raised when a manifest this suite built fails the official schemas or its own checks."""
