"""Find and load instruments: bundled module ids, module folders, YAML or JSON files."""

from __future__ import annotations

import json
from pathlib import Path

from ruamel.yaml import YAML

from clusterexcellence.engine import Instrument, load_instrument

from .exceptions import UnknownInstrumentError
from .paths import CONTENT_ROOT


def bundled_instrument_files() -> dict[str, Path]:
    """Module id → ``module.yaml`` of every bundled instrument module."""
    found = {}
    for path in sorted(CONTENT_ROOT.glob("*/*/module.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") == "instrument":
            found[str(data.get("id"))] = path
    return found


def find_instrument(ref: str) -> Instrument:
    """Load an instrument named by a path (folder, ``.yaml``/``.yml``/``.json``) or a bundled id.

    Raises
    ------
    UnknownInstrumentError
        When ``ref`` is neither a file, nor a folder, nor a bundled module id.
    InstrumentError
        When the instrument is invalid.
    """
    path = Path(ref)
    if path.is_dir():
        path = path / "module.yaml"
    if not path.is_file():
        bundled = bundled_instrument_files()
        if ref not in bundled:
            raise UnknownInstrumentError(
                f"no instrument {ref!r}: not a file or folder, nor a bundled id "
                f"({', '.join(sorted(bundled))})"
            )
        path = bundled[ref]
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else YAML(typ="safe").load(text)
    return load_instrument(data, source=str(path))
