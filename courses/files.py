"""Reading content files: a size limit per kind, checked before reading, and UTF-8 text.

A file that is too large, cannot be read or is not UTF-8 becomes one located problem
(:class:`~.exceptions.ContentError`), so the validator reports it like any other.
"""

from __future__ import annotations

from pathlib import Path

from .exceptions import ContentError, ContentProblem

MIB = 1024 * 1024
#: Largest ``*.yaml`` file read (the largest bundled one is about 150 KB).
MAX_YAML_BYTES = 2 * MIB
#: Largest Markdown narrative (``*.<lang>.md``).
MAX_MARKDOWN_BYTES = 2 * MIB
#: Largest CSV table exhibit (``*.<lang>.csv``).
MAX_CSV_BYTES = 2 * MIB
#: Largest instrument given as a JSON file.
MAX_JSON_BYTES = 2 * MIB
#: Largest SVG figure.
MAX_SVG_BYTES = 2 * MIB


def read_text(path: Path, *, limit: int, encoding: str = "utf-8") -> str:
    """The text of ``path``, refused before reading when it is larger than ``limit`` bytes.

    Raises
    ------
    ContentError
        With one problem at ``path:1:1``: the file is too large, cannot be read or is not
        valid ``encoding``.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise ContentError(
                [
                    ContentProblem(
                        path,
                        1,
                        1,
                        f"file too large: {size:,} bytes, the limit is {limit:,}",
                        "split the content into smaller files",
                    )
                ]
            )
        return path.read_text(encoding=encoding)
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(
            [ContentProblem(path, 1, 1, f"cannot read file: {exc}", "save it as UTF-8")]
        ) from exc
