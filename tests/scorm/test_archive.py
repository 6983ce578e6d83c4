"""Deterministic zips."""

from __future__ import annotations

import io
import stat
import zipfile

from clusterexcellence.scorm.archive import DeflateCache, zip_bytes


def test_the_same_files_give_the_same_bytes_in_any_order():
    files = {"b/2.txt": b"two" * 100, "a.txt": b"one", "imsmanifest.xml": b"<m/>"}
    again = dict(reversed(list(files.items())))
    assert zip_bytes(files) == zip_bytes(again)


def test_entries_are_sorted_dated_1980_deflated_0644_without_extra_fields():
    data = zip_bytes({"z.txt": b"z", "a/b.txt": b"b" * 1000, "m.txt": b""})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["a/b.txt", "m.txt", "z.txt"]
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.compress_type == zipfile.ZIP_DEFLATED
            assert info.create_system == 3
            assert stat.S_IMODE(info.external_attr >> 16) == 0o644
            assert stat.S_ISREG(info.external_attr >> 16)
            assert info.extra == b"" and info.comment == b""
        assert zf.read("a/b.txt") == b"b" * 1000
    # the local headers carry no extra field either (the length after the name is 0)
    assert data[28:30] == b"\0\0"


def test_every_member_reads_back_with_its_checksum():
    files = {"é/ü.txt": b"non-ASCII name", "empty": b"", "big.bin": bytes(range(256)) * 999}
    with zipfile.ZipFile(io.BytesIO(zip_bytes(files))) as zf:
        assert zf.testzip() is None
        assert {i.filename: zf.read(i) for i in zf.infolist()} == files
        assert zf.getinfo("é/ü.txt").flag_bits & 0x800  # the name is flagged UTF-8


def test_members_compressed_once_give_the_same_zip():
    shared = b"player code " * 5000
    cache = DeflateCache()
    one = zip_bytes({"player/app.js": shared, "a/index.html": b"a"}, cache=cache)
    two = zip_bytes({"player/app.js": shared, "b/index.html": b"b"}, cache=cache)
    assert one == zip_bytes({"player/app.js": shared, "a/index.html": b"a"})
    assert two == zip_bytes({"player/app.js": bytes(shared), "b/index.html": b"b"})
