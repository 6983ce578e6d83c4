"""The bundled SYNTHETIC reference files (``content/reference``) and their layout.

A reference folder holds ``organisations.csv``, ``managers.csv`` and ``metadata.json``, as
:func:`.generate.write_reference_files` writes them; the loaders here read the bundled copy
with its metadata.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from clusterexcellence.engine import ReferenceSet

from .calibration import REFERENCE_DIR

ORGANISATIONS_FILE = "organisations.csv"
MANAGERS_FILE = "managers.csv"
METADATA_FILE = "metadata.json"


def bundled_reference_path() -> Path:
    """Path of the bundled SYNTHETIC organisations CSV (the default benchmarking reference)."""
    return REFERENCE_DIR / ORGANISATIONS_FILE


def bundled_metadata() -> dict:
    """The bundled ``metadata.json``: seed, generator, calibration and one entry per file."""
    return json.loads((REFERENCE_DIR / METADATA_FILE).read_text(encoding="utf-8"))


def _load_bundled(name: str) -> ReferenceSet:
    meta = bundled_metadata()
    info = {k: v for k, v in meta.items() if k != "files"} | meta["files"][name]
    return ReferenceSet.from_csv(REFERENCE_DIR / name, metadata=info)


def load_bundled_organisations() -> ReferenceSet:
    """The bundled SYNTHETIC organisations (``metadata["synthetic"]`` is True)."""
    return _load_bundled(ORGANISATIONS_FILE)


def load_bundled_managers() -> ReferenceSet:
    """The bundled SYNTHETIC manager profiles (``metadata["synthetic"]`` is True)."""
    return _load_bundled(MANAGERS_FILE)


def reference_for(instrument_id: str) -> ReferenceSet | None:
    """The bundled reference population of an instrument (None: there is none).

    ``metadata.json`` names the instrument each bundled CSV was drawn for.
    """
    for name, info in bundled_metadata()["files"].items():
        if info.get("instrument") == instrument_id:
            return _cached(name)
    return None


@lru_cache(maxsize=4)
def _cached(name: str) -> ReferenceSet:
    return _load_bundled(name)
