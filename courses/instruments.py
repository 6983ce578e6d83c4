"""Find and load instruments: bundled module ids, module folders, YAML or JSON files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clusterexcellence.engine import Instrument, load_instrument

from .exceptions import ContentError, ContentProblem, InstrumentFileError, UnknownInstrumentError
from .files import MAX_JSON_BYTES, read_text
from .paths import CONTENT_ROOT
from .source import load_yaml


def bundled_instrument_files() -> dict[str, Path]:
    """Module id → ``module.yaml`` of every bundled instrument module."""
    found = {}
    for path in sorted(CONTENT_ROOT.glob("*/*/module.yaml")):
        data = load_yaml(path, fast=True)
        if isinstance(data, dict) and data.get("kind") == "instrument":
            found[str(data.get("id"))] = path
    return found


def find_instrument(ref: str) -> Instrument:
    """Load an instrument named by a path (folder, ``.yaml``/``.yml``/``.json``) or a bundled id.

    Raises
    ------
    UnknownInstrumentError
        When ``ref`` is neither a file, nor a folder, nor a bundled module id.
    InstrumentFileError
        When the file cannot be read as an instrument: too large, not UTF-8, invalid YAML
        or JSON (located at its line and column), a YAML alias or tag, or not a mapping.
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
    return load_instrument(read_instrument_file(path), source=str(path))


def read_instrument_file(path: Path) -> dict[str, Any]:
    """The mapping in an instrument file: JSON for ``.json``, YAML otherwise.

    Raises
    ------
    InstrumentFileError
        As :func:`find_instrument`.
    """
    try:
        data = _read_json(path) if path.suffix == ".json" else load_yaml(path, fast=True)
    except ContentError as exc:
        raise InstrumentFileError(exc.problems[0]) from None
    if not isinstance(data, dict):
        got = "empty" if data is None else f"a {_KINDS.get(type(data), type(data).__name__)}"
        raise InstrumentFileError(
            ContentProblem(
                path,
                1,
                1,
                f"an instrument file holds a mapping (kind, id, items...), this one is {got}",
                "see docs/content-format.md",
            )
        )
    return data


_KINDS = {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}


def _read_json(path: Path) -> Any:
    text = read_text(path, limit=MAX_JSON_BYTES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = ContentProblem(
            path,
            exc.lineno,
            exc.colno,
            f"JSON syntax error: {exc.msg}",
            "check commas, quotes and brackets here or just before",
        )
        raise ContentError([problem]) from exc
