"""Errors of the player layer."""

from __future__ import annotations


class PlayerError(Exception):
    """Raised when the player layer cannot do what it is asked."""


class BundleError(PlayerError):
    """Raised when a module's bundle cannot be built: unknown module or language, a file
    that cannot be read (validation names the file and line)."""
