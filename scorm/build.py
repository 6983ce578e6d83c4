"""Packages from course content: one per module and one per course, in each language.

A package holds the player's shared files under ``player/``, each module's launch folder
under ``<module-id>/`` (``index.html`` and its ``media/``), and the manifest at the root
(``imsmanifest.xml`` for SCORM, ``cmi5.xml`` for cmi5). The files come from the player
(:mod:`clusterexcellence.player.site`); this module names, plans, checks and zips them.

File names (``<output>/<format>/``):

- ``<course>.<lang>.zip``: the course, one SCO/AU per module, in the course's order;
- ``<course>--<module>.<lang>.zip``: one module (ids never contain ``--``).

Content is validated first; invalid content fails the build with every ``file:line``
problem. Packages are written to a staging folder and moved into the output folder only
when all of them are built, so a failed build leaves nothing there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from clusterexcellence.courses.loader import Content, LoadedCourse
from clusterexcellence.courses.markdown import plain_text
from clusterexcellence.courses.validate import validate_content
from clusterexcellence.player import site as player_site

from .archive import DeflateCache, zip_bytes
from .check import check_files
from .cmi5 import cmi5_xml
from .exceptions import BuildError, ManifestInvalidError
from .manifest import manifest_12, manifest_2004
from .plan import PackagePlan, Sco
from .schemas import SchemaSet, schema_set
from .spec import CMI5_MANIFEST, FORMAT_NAMES, FORMATS, MANIFEST, Format

#: Base of the package IRIs (cmi5 course and AU ids, the LOM identifier); the outcome
#: API writes its xAPI IRIs under the same base by default.
DEFAULT_IRI_BASE = "https://clusterexcellence.example/xapi"
LAUNCH_PAGE = "index.html"


@dataclass(frozen=True)
class Target:
    """One package to build: a course (``module`` None) or one of its modules, one language."""

    course: str
    module: str | None
    lang: str

    @property
    def name(self) -> str:
        """The package name: ``case-studies.en``, ``case-studies--strategy-refresh.en``."""
        if self.module is None:
            return f"{self.course}.{self.lang}"
        return f"{self.course}--{self.module}.{self.lang}"

    @property
    def file_name(self) -> str:
        return f"{self.name}.zip"


def load_valid_content(root: Path) -> Content:
    """The content under ``root``; :class:`BuildError` with every problem if it is invalid."""
    validation = validate_content(root)
    if validation.problems:
        problems = [p.format(relative_to=Path.cwd()) for p in validation.problems]
        raise BuildError(
            f"the content in {root} is invalid ({len(problems)} problem(s)); nothing was built",
            problems,
        )
    return validation.content


def select_targets(
    content: Content, names: list[str] | None = None, *, langs: list[str] | None = None
) -> list[Target]:
    """The packages ``names`` ask for (every course when empty), in course order.

    A course name gives the course package and one package per module; a module name
    (its id, or the name of its folder) gives that module's package. Each in every
    language of its course (or ``langs``).
    """
    courses = [c for c in content.courses if c.model is not None]
    course_ids = {c.model.id: c for c in courses}
    module_course = {m.id: c for c in courses for m in c.modules}
    folder_ids = {m.folder.name: m.id for c in courses for m in c.modules}
    wanted: dict[tuple[str, str | None], None] = {}
    for name in names or list(course_ids):
        if name in course_ids:
            wanted[(name, None)] = None
            for m in course_ids[name].modules:
                wanted[(name, m.id)] = None
        elif name in module_course or name in folder_ids:
            mid = name if name in module_course else folder_ids[name]
            wanted[(module_course[mid].model.id, mid)] = None
        else:
            raise BuildError(
                f"no course or module {name!r}; courses: {', '.join(course_ids)}; modules: "
                f"{', '.join(module_course)}"
            )
    known_langs = {lg for c in courses for lg in c.model.languages}
    for lg in langs or []:
        if lg not in known_langs:
            raise BuildError(f"no course is in language {lg!r} (languages: {sorted(known_langs)})")
    targets = []
    for course in courses:
        cid = course.model.id
        ids = [None] + [m.id for m in course.modules]
        for lang in course.model.languages:
            if langs and lang not in langs:
                continue
            targets += [Target(cid, mid, lang) for mid in ids if (cid, mid) in wanted]
    return targets


class PackageBuilder:
    """Builds the packages of one format from valid content.

    The player's files of a module are made once per language and reused by the
    module's package and its course's package, and each file is compressed once. Every
    manifest is checked as :func:`.check.check_files` checks a package, against the
    official schemas (given, or found by :func:`.schemas.schema_set`) unless
    ``check_schemas`` is False.
    """

    def __init__(
        self,
        content: Content,
        fmt: Format,
        *,
        iri_base: str = DEFAULT_IRI_BASE,
        schemas: SchemaSet | None = None,
        check_schemas: bool = True,
    ) -> None:
        if fmt not in FORMATS:
            raise BuildError(f"unknown package format {fmt!r} (formats: {', '.join(FORMATS)})")
        self.content, self.fmt = content, fmt
        self.iri_base = iri_base.rstrip("/")
        # Without the schemas (check_schemas=False) manifests get every other check.
        self.schemas = (schemas or schema_set()) if check_schemas and fmt != "cmi5" else None
        self._courses = {c.model.id: c for c in content.courses if c.model is not None}
        self._app: dict[str, bytes] | None = None
        self._modules: dict[tuple[str, str, str], tuple[Sco, dict[str, bytes]]] = {}
        self._deflated = DeflateCache()

    def app_files(self) -> dict[str, bytes]:
        if self._app is None:
            self._app = dict(player_site.app_files())
        return self._app

    def module(self, course: str, module: str, lang: str) -> tuple[Sco, dict[str, bytes]]:
        """The unit of ``module`` and its files (paths in the package)."""
        key = (course, module, lang)
        if key not in self._modules:
            top = {p.split("/", 1)[0] for p in self.app_files()}
            if module in top:
                raise BuildError(
                    f"module id {module!r} is also a folder of the player's files; rename it"
                )
            own = player_site.module_files(self.content, course, module, lang, host=self.fmt)
            if LAUNCH_PAGE not in own:
                raise BuildError(f"the player gave module {module!r} ({lang}) no {LAUNCH_PAGE}")
            files = {f"{module}/{path}": data for path, data in own.items()}
            info = player_site.module_info(self.content, course, module, lang)
            sco = Sco(
                identifier=module,
                title=info["title"],
                description=info["summary"],
                href=f"{module}/{LAUNCH_PAGE}",
                files=tuple(sorted(files)),
                mastery_score=info["mastery_score"],
                duration_minutes=int(info["duration_minutes"]),
            )
            self._modules[key] = (sco, files)
        return self._modules[key]

    def plan(self, target: Target) -> tuple[PackagePlan, dict[str, bytes]]:
        """The plan of ``target`` and every file of its package but the manifest."""
        course = self._course(target.course)
        module_ids = [m.id for m in course.modules] if target.module is None else [target.module]
        files = dict(self.app_files())
        scos = []
        for mid in module_ids:
            sco, own = self.module(target.course, mid, target.lang)
            scos.append(sco)
            files.update(own)
        if target.module is None:
            title = course.model.title.get(target.lang) or next(iter(course.model.title.values()))
            desc = course.model.description
            description = plain_text(desc.get(target.lang) or next(iter(desc.values())))
        else:
            title, description = scos[0].title, scos[0].description
        plan = PackagePlan(
            identifier=target.name,
            iri=f"{self.iri_base}/packages/{target.name}",
            title=title,
            description=description,
            language=target.lang,
            scos=tuple(scos),
            shared_files=tuple(sorted(self.app_files())),
        )
        return plan, files

    def package(self, target: Target) -> bytes:
        """The zip of ``target``; :class:`ManifestInvalidError` if the package has any
        problem, a warning included."""
        plan, files = self.plan(target)
        if self.fmt == "scorm12":
            files[MANIFEST] = manifest_12(plan)
        elif self.fmt == "scorm2004":
            files[MANIFEST] = manifest_2004(plan)
        else:
            files[CMI5_MANIFEST] = cmi5_xml(plan)
        report = check_files(
            files,
            name=target.file_name,
            schemas=self.schemas,
            check_schemas=self.schemas is not None,
            lom="strict",
        )
        if report.problems:  # a warning too: these manifests are ours
            lines = "\n".join(f"  {p.format(target.file_name)}" for p in report.problems)
            raise ManifestInvalidError(
                f"the {FORMAT_NAMES[self.fmt]} package {target.file_name} fails its checks:\n"
                f"{lines}"
            )
        return zip_bytes(files, cache=self._deflated)

    def _course(self, course_id: str) -> LoadedCourse:
        try:
            return self._courses[course_id]
        except KeyError:
            raise BuildError(f"no course {course_id!r}") from None


def write_packages(
    builder: PackageBuilder,
    targets: list[Target],
    out: Path,
    *,
    on_package: Callable[[Target], None] | None = None,
) -> list[Path]:
    """Build every target and move the zips into ``out/<format>/`` together.

    Nothing is written into ``out`` unless every package is built.
    """
    folder = Path(out) / builder.fmt
    for p in (folder, *folder.parents):
        if p.exists() and not p.is_dir():
            raise BuildError(f"output {folder}: {p} is a file, not a folder")
    anchor = next(p for p in (folder, *folder.parents) if p.exists())
    staging = Path(tempfile.mkdtemp(prefix=".packages-", dir=anchor))
    try:
        for target in targets:
            (staging / target.file_name).write_bytes(builder.package(target))
            if on_package is not None:
                on_package(target)
        umask = os.umask(0)
        os.umask(umask)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for target in targets:
            tmp = staging / target.file_name
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, folder / target.file_name)
            written.append(folder / target.file_name)
        return written
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
