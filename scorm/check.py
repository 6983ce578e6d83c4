"""Check any SCORM 1.2, SCORM 2004 or cmi5 package, ours or a third party's.

:func:`check_package` reports every problem it finds, each with where it is (zip entry,
line), in four layers:

1. the zip (:mod:`.archive`): unsafe names, links, duplicates, zip bombs; a zip bomb is
   refused before any entry is read, and nothing is ever extracted to disk;
2. the XML (:mod:`.xmlread`): no DTD, no entities, no network; BOM and unescaped ``&``;
3. ``imsmanifest.xml`` (:mod:`.cam`): at the zip root, version and namespaces, the
   official schemas, references, files, ``scormtype``, importer rules;
4. ``cmi5.xml`` (:mod:`.cmi5`): the course structure.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .archive import LIMITS, Limits, inspect_zip, read_entry
from .cam import Reader, check_manifest
from .cmi5 import check_cmi5
from .problems import Problem
from .schemas import LomMode, SchemaSet, schema_set
from .spec import CMI5_MANIFEST, FORMAT_NAMES, MANIFEST, Format
from .xmlread import parse_xml


@dataclass
class Report:
    """The outcome of checking one package.

    ``kind`` is the format found (``scorm12``, ``scorm2004``, ``cmi5``, or None when no
    manifest could be read); ``launch`` the page an LMS opens first; ``units`` the
    number of launchable items (SCOs and assets) or AUs.
    """

    package: str
    kind: Format | None = None
    schemaversion: str | None = None
    launch: str | None = None
    units: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        """No error (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        """One line: ``ok: PKG (SCORM 2004 4th Edition, 3 unit(s), launches x/index.html)``."""
        what = FORMAT_NAMES.get(self.kind or "", "unknown format")
        declared = (self.schemaversion or "").strip()
        if self.kind == "scorm2004" and declared.startswith("2004 "):
            what = f"SCORM {declared}"
        elif self.kind == "scorm2004" and declared:
            what = f"{what} ({declared})"
        details = f"{what}, {self.units} unit(s)"
        if self.launch:
            details += f", launches {self.launch}"
        n_err, n_warn = len(self.errors), len(self.problems) - len(self.errors)
        if self.ok:
            extra = f", {n_warn} warning(s)" if n_warn else ""
            return f"ok: {self.package} ({details}{extra})"
        return f"{n_err} error(s), {n_warn} warning(s) in {self.package} ({details})"

    def to_json(self) -> dict:
        return {
            "package": self.package,
            "kind": self.kind,
            "schemaversion": self.schemaversion,
            "launch": self.launch,
            "units": self.units,
            "ok": self.ok,
            "problems": [p.to_json() for p in self.problems],
        }


def check_package(
    path: Path | str, *, schemas: SchemaSet | None = None, limits: Limits = LIMITS
) -> Report:
    """Check the package zip at ``path``.

    Parameters
    ----------
    path : Path or str
    schemas : SchemaSet, optional
        The official schemas (default: :func:`.schemas.schema_set`, read only when the
        package has an ``imsmanifest.xml``).
    limits : Limits
        Sizes and ratios beyond which the zip is refused unread.

    Raises
    ------
    SchemaFolderError
        When the package needs the schemas and they cannot be found.
    """
    path = Path(path)
    report = Report(str(path))
    add = report.problems.append
    try:
        size = path.stat().st_size
    except OSError as exc:
        add(Problem("", 0, "package.unreadable", f"cannot read the package: {exc.strerror}"))
        return report
    if path.is_dir():
        add(Problem("", 0, "package.folder", "is a folder: give the package's zip file"))
        return report
    if size > limits.max_package_bytes:
        add(
            Problem(
                "",
                0,
                "zip.too-large",
                f"{size:,} bytes, more than the limit of {limits.max_package_bytes:,}: "
                "refused unread",
            )
        )
        return report
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        add(Problem("", 0, "package.not-a-zip", f"not a zip file ({exc})"))
        return report
    with zf:
        inspection = inspect_zip(zf, limits=limits)
        report.problems += inspection.problems
        if inspection.readable:

            def read(name: str) -> tuple[bytes | None, Problem | None]:
                return read_entry(zf, inspection.infos[name], max_bytes=limits.max_xml_bytes)

            _check_contents(inspection.names, read, lambda: schemas or schema_set(), report)
    report.problems.sort()
    return report


def check_files(
    files: Mapping[str, bytes],
    *,
    name: str = "package",
    schemas: SchemaSet | None = None,
    check_schemas: bool = True,
    lom: LomMode = "loose",
) -> Report:
    """Check a package given as its files (path in the zip → bytes), without a zip.

    The zip layer is left out: names are taken as given. Used on packages being built;
    ``check_schemas=False`` leaves out the official schemas (every other check runs);
    ``lom="strict"`` holds inline LOM metadata to LOMv1.0's vocabularies.
    """
    report = Report(name)

    def read(entry: str) -> tuple[bytes | None, Problem | None]:
        return files[entry], None

    def find_schemas() -> SchemaSet | None:
        return (schemas or schema_set()) if check_schemas else None

    _check_contents(sorted(files), read, find_schemas, report, lom=lom)
    report.problems.sort()
    return report


def _check_contents(
    names: list[str],
    read: Reader,
    schemas: Callable[[], SchemaSet | None],
    report: Report,
    *,
    lom: LomMode = "loose",
) -> None:
    add = report.problems.append
    name_set = set(names)
    if MANIFEST not in name_set and CMI5_MANIFEST not in name_set:
        _no_manifest(names, add)
        return
    if MANIFEST in name_set:
        tree = _parse(MANIFEST, read, report)
        if tree is not None:
            found = check_manifest(tree, names, read, schemas(), lom=lom)
            report.kind, report.schemaversion = found.kind, found.schemaversion
            report.launch, report.units = found.launch, found.units
            report.problems += found.problems
    if CMI5_MANIFEST in name_set:
        tree = _parse(CMI5_MANIFEST, read, report)
        if tree is not None:
            units, launch, problems = check_cmi5(tree, names)
            report.problems += problems
            if MANIFEST not in name_set:
                report.kind, report.units, report.launch = "cmi5", units, launch


def _parse(entry: str, read: Reader, report: Report):
    data, problem = read(entry)
    if problem is not None:
        report.problems.append(problem)
        return None
    tree, problems = parse_xml(data, entry)
    report.problems += problems
    return tree


def _no_manifest(names: list[str], add) -> None:
    wanted = (MANIFEST, CMI5_MANIFEST)
    for name in names:
        if "/" not in name and name.lower() in wanted:
            add(
                Problem(
                    name,
                    0,
                    "manifest.name-case",
                    f"named {name!r}: the manifest's name is {name.lower()} in lower case "
                    "(servers on Linux do not find it otherwise)",
                )
            )
            return
    nested = sorted(
        (n for n in names if posixpath.basename(n).lower() in wanted),
        key=lambda n: (n.count("/"), n),
    )
    if nested:
        name = nested[0]
        base, folder = posixpath.basename(name), posixpath.dirname(name)
        add(
            Problem(
                name,
                0,
                "manifest.not-at-root",
                f"{base} is inside the folder {folder}/, not at the zip root: zip the "
                f"contents of {folder}/ rather than the folder itself (Moodle refuses such a "
                "package, other LMSs find no manifest)",
            )
        )
        return
    add(
        Problem(
            "",
            0,
            "manifest.missing",
            f"no {MANIFEST} (SCORM) or {CMI5_MANIFEST} (cmi5) at the zip root: not a SCORM "
            "or cmi5 package",
        )
    )
