"""Zip archives: written deterministically, read within safe limits.

Writing: the same files give the same bytes. Entries are sorted by name, carry the
DOS epoch (1980-01-01 00:00:00) as their time, Unix permissions 0644, no extra fields,
and are deflated at a fixed level.

Reading: :func:`inspect_zip` looks at the central directory only and reports every
entry an extractor could be tricked by (``..``, absolute paths, backslashes, links,
duplicates, encryption, unusual compression) and every sign of a zip bomb (too many
entries, too many bytes, a compression ratio no real content has). Nothing is ever
extracted to disk; :func:`read_entry` reads one entry into memory with a size cap.
"""

from __future__ import annotations

import io
import stat
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

from .problems import Problem

DOS_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644
COMPRESS_LEVEL = 6
_UNIX = 3


@dataclass(frozen=True)
class Limits:
    """What a package may hold before it is refused unread.

    The ratio applies to entries of at least ``ratio_min_bytes`` uncompressed (small
    text files compress well without being bombs).
    """

    max_package_bytes: int = 2 * 1024**3
    max_entries: int = 20_000
    max_total_bytes: int = 2 * 1024**3
    max_entry_bytes: int = 1024**3
    max_ratio: float = 100.0
    ratio_min_bytes: int = 1024**2
    max_xml_bytes: int = 16 * 1024**2


LIMITS = Limits()


#: Version 2.0 of the zip format (deflate), made on Unix.
_VERSION_NEEDED = 20
_VERSION_MADE = (_UNIX << 8) | _VERSION_NEEDED
_DOS_DATE = ((DOS_EPOCH[0] - 1980) << 9) | (DOS_EPOCH[1] << 5) | DOS_EPOCH[2]
_DOS_TIME = 0
_EXTERNAL_ATTR = (stat.S_IFREG | FILE_MODE) << 16
_UTF8_NAME = 0x800
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


class DeflateCache:
    """Deflated members, computed once per content object.

    A package build passes the same ``bytes`` objects (the player's shared files, a
    module's files) to many zips; they are compressed once. Entries are keyed by object
    identity and keep the object alive, so an id is never reused while cached.
    """

    def __init__(self) -> None:
        self._members: dict[int, tuple[bytes, int, bytes]] = {}

    def deflate(self, data: bytes) -> tuple[int, bytes]:
        """``(crc32, raw deflate stream)`` of ``data``."""
        hit = self._members.get(id(data))
        if hit is not None and hit[0] is data:
            return hit[1], hit[2]
        compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        member = (data, zlib.crc32(data), compressor.compress(data) + compressor.flush())
        self._members[id(data)] = member
        return member[1], member[2]


def zip_bytes(files: Mapping[str, bytes], *, cache: DeflateCache | None = None) -> bytes:
    """A deterministic zip of ``files`` (name → content).

    The zip is written here rather than by :mod:`zipfile` so that members compressed
    for one package can be reused in the next (``cache``); :mod:`zipfile` reads it.

    >>> zip_bytes({"b.txt": b"2", "a.txt": b"1"}) == zip_bytes({"a.txt": b"1", "b.txt": b"2"})
    True
    """
    cache = cache or DeflateCache()
    if len(files) >= 0xFFFF:
        raise ValueError(f"{len(files)} files: more than a zip without zip64 holds")
    out = io.BytesIO()
    central = []
    for name in sorted(files):
        data = files[name]
        crc, packed = cache.deflate(data)
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else _UTF8_NAME
        offset = out.tell()
        if max(offset, len(packed), len(data)) >= 0xFFFFFFFF:
            raise ValueError(f"{name}: too large for a zip without zip64")
        head = (_VERSION_NEEDED, flags, zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, crc)
        sizes = (len(packed), len(data), len(encoded))
        out.write(_LOCAL.pack(0x04034B50, *head, *sizes, 0))
        out.write(encoded)
        out.write(packed)
        record = (0x02014B50, _VERSION_MADE, *head, *sizes, 0, 0, 0, 0, _EXTERNAL_ATTR, offset)
        central.append(_CENTRAL.pack(*record) + encoded)
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    out.write(_END.pack(0x06054B50, 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()


@dataclass
class Inspection:
    """The central directory of a package and what is wrong with it.

    ``readable`` is False when entries must not be read at all (not a zip, a zip bomb);
    ``names`` are the file entries (folders left out), in archive order.
    """

    problems: list[Problem]
    readable: bool
    names: list[str]
    infos: dict[str, zipfile.ZipInfo]


def inspect_zip(zf: zipfile.ZipFile, *, limits: Limits = LIMITS) -> Inspection:
    """Check every entry of ``zf`` from its central directory (nothing is decompressed)."""
    problems: list[Problem] = []
    infos = zf.infolist()
    bomb = False
    if len(infos) > limits.max_entries:
        problems.append(
            Problem(
                "",
                0,
                "zip.too-many-entries",
                f"{len(infos):,} entries, more than the limit of {limits.max_entries:,}: "
                "refused unread",
            )
        )
        bomb = True
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_bytes:
        problems.append(
            Problem(
                "",
                0,
                "zip.too-large",
                f"{total:,} bytes uncompressed, more than the limit of "
                f"{limits.max_total_bytes:,}: refused unread (a zip bomb?)",
            )
        )
        bomb = True
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    names: list[str] = []
    for info in infos:
        name = info.filename
        problems += _name_problems(name)
        mode = info.external_attr >> 16
        if info.create_system == _UNIX and stat.S_ISLNK(mode):
            problems.append(
                Problem(
                    name,
                    0,
                    "zip.symlink",
                    "a symbolic link: extracting it can write outside the package; "
                    "put the file itself in the zip",
                )
            )
        if info.flag_bits & 0x1:
            problems.append(Problem(name, 0, "zip.encrypted", "encrypted: LMSs cannot read it"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(
                Problem(
                    name,
                    0,
                    "zip.compression",
                    f"compression method {info.compress_type}: LMSs read only stored "
                    "(0) and deflated (8) entries",
                )
            )
        if info.file_size > limits.max_entry_bytes:
            problems.append(
                Problem(
                    name,
                    0,
                    "zip.entry-too-large",
                    f"{info.file_size:,} bytes uncompressed, more than the limit of "
                    f"{limits.max_entry_bytes:,}: refused unread",
                )
            )
            bomb = True
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= limits.ratio_min_bytes and ratio > limits.max_ratio:
            problems.append(
                Problem(
                    name,
                    0,
                    "zip.compression-ratio",
                    f"compression ratio {ratio:,.0f}:1 ({info.file_size:,} bytes from "
                    f"{info.compress_size:,}), above the limit of {limits.max_ratio:g}:1: "
                    "refused unread (a zip bomb?)",
                )
            )
            bomb = True
        if name in seen:
            problems.append(
                Problem(
                    name,
                    0,
                    "zip.duplicate",
                    "appears more than once in the zip: extractors keep one or the other",
                )
            )
        elif name.casefold() in folded:
            problems.append(
                Problem(
                    name,
                    0,
                    "zip.case-duplicate",
                    f"differs from {folded[name.casefold()]!r} only in case: one overwrites "
                    "the other on Windows and macOS",
                )
            )
        seen.setdefault(name, name)
        folded.setdefault(name.casefold(), name)
        if not info.is_dir() and name not in names:
            names.append(name)
    by_name = {i.filename: i for i in infos}
    return Inspection(problems, not bomb, names, by_name)


def _name_problems(name: str) -> list[Problem]:
    problems = []
    if "\\" in name:
        problems.append(
            Problem(
                name,
                0,
                "zip.backslash",
                "a backslash in the name: zip paths use '/' (the zip was made on Windows "
                "by a tool that does not convert them); LMSs extract it as one odd file "
                "name or into other folders",
            )
        )
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":" and posix[0].isalpha()):
        problems.append(
            Problem(
                name,
                0,
                "zip.absolute-path",
                "an absolute path: entries must be relative to the package root",
            )
        )
    if ".." in posix.split("/"):
        problems.append(
            Problem(
                name,
                0,
                "zip.path-traversal",
                "'..' in the path: extracting it writes outside the package folder",
            )
        )
    if any(ord(c) < 32 for c in name):
        problems.append(
            Problem(name, 0, "zip.control-character", "a control character in the name")
        )
    return problems


def read_entry(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, max_bytes: int
) -> tuple[bytes | None, Problem | None]:
    """The bytes of one entry, read into memory and capped at ``max_bytes``."""
    name = info.filename
    if info.file_size > max_bytes:
        return None, Problem(
            name,
            0,
            "zip.entry-too-large",
            f"{info.file_size:,} bytes, more than the {max_bytes:,} read for this file",
        )
    try:
        with zf.open(info) as fh:
            data = fh.read(max_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        return None, Problem(name, 0, "zip.corrupt-entry", f"cannot be read: {exc}")
    if len(data) > max_bytes:
        return None, Problem(
            name, 0, "zip.entry-too-large", f"more than the {max_bytes:,} bytes read"
        )
    return data, None
