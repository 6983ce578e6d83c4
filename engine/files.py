"""Reading and writing the engine's files safely.

Inputs are refused when they are too large, before they are read. Outputs are written
to a temporary file beside the target and renamed into place only when complete, so a
failure leaves neither a half-written file nor a folder behind; an output path that is
a folder, lies under a file or in a missing folder is refused before anything is done.
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .exceptions import FileError, format_position

#: Largest CSV file (responses, reference data) read, in bytes.
MAX_CSV_BYTES = 512 * 1024 * 1024


def check_input(path: Path, *, max_bytes: int, what: str = "file") -> None:
    """Refuse a missing, non-regular or too large input file.

    Parameters
    ----------
    path : Path
    max_bytes : int
        Largest size accepted.
    what : str
        How messages name the file.

    Raises
    ------
    FileError

    >>> check_input(Path("/"), max_bytes=10)
    Traceback (most recent call last):
    ...
    clusterexcellence.engine.exceptions.FileError: /: is a folder, not a file
    """
    try:
        st = path.stat()
    except OSError as exc:
        raise FileError(f"{path}: cannot read {what}: {exc.strerror}") from None
    if path.is_dir():
        raise FileError(f"{path}: is a folder, not a file")
    if st.st_size > max_bytes:
        raise FileError(
            f"{path}: {what} of {st.st_size:,} bytes is larger than the limit of "
            f"{max_bytes:,} bytes"
        )


def check_output(path: Path) -> None:
    """Refuse an output path that is a folder, lies under a file or in a missing folder.

    >>> check_output(Path("/no/such/folder/out.csv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clusterexcellence.engine.exceptions.FileError: ...: folder /no/such/folder does not exist; ...
    """
    if path.is_dir():
        raise FileError(f"{path}: is a folder; give a file name to write")
    parent = path.parent
    for folder in (parent, *parent.parents):
        if folder.exists() and not folder.is_dir():
            raise FileError(f"{path}: {folder} is a file, not a folder")
    if not parent.is_dir():
        raise FileError(f"{path}: folder {parent} does not exist; create it first")


@contextlib.contextmanager
def atomic_output(path: Path, *, newline: str | None = "") -> Iterator[IO[str]]:
    """A text file (UTF-8) that replaces ``path`` only when the block ends without error.

    The file gets the permissions a new file would get (the process umask applies).

    Parameters
    ----------
    path : Path
        The target; checked with :func:`check_output` first.
    newline : str or None
        As for :func:`open` (``""`` for CSV writers).

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_output(target) as fh:
    ...     _ = fh.write("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    check_output(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline=newline, encoding="utf-8") as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes private files (0600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_output`)."""
    with atomic_output(path, newline=None) as fh:
        fh.write(text)


def csv_records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(line, record)`` of each record of a UTF-8 CSV file (a BOM is skipped).

    Raises :class:`FileError` naming ``file:line`` for a file too large, bytes that are
    not UTF-8 or malformed CSV (a NUL byte, an over-long cell).
    """
    check_input(path, max_bytes=MAX_CSV_BYTES, what="CSV file")
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        line = 1
        try:
            for record in reader:
                yield line, record
                line = reader.line_num + 1
        except UnicodeDecodeError as exc:
            raise FileError(
                f"{format_position(path, _line_of_bad_byte(path))}: not valid UTF-8 "
                f"({exc.reason}); save the file as UTF-8"
            ) from None
        except csv.Error as exc:
            raise FileError(f"{format_position(path, line)}: malformed CSV: {exc}") from None


def _line_of_bad_byte(path: Path) -> int:
    """Line of the first byte that is not UTF-8 (the decoder's own offset counts from its
    chunk, so the file is decoded again from its start)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 1
