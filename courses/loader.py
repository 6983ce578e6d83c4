"""Read a content tree: frameworks, courses and their modules, into validated models.

A content root holds ``frameworks/*.yaml`` and one folder per course (``course.yaml``
plus one folder per module, each with a ``module.yaml``). A single course folder is a
root too. When a root has no ``frameworks/`` folder, the bundled frameworks are used.

Loading never stops at the first problem: every file is read, every structural problem is
collected with its ``file:line:column``, and the models that are valid are kept so that
the cross-file checks (:mod:`.checks`) can run on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from clusterexcellence.engine import Instrument, InstrumentError, load_instrument
from clusterexcellence.engine.exceptions import format_loc

from .exceptions import ContentError, ContentProblem
from .models import PATH_TEXT_TAGS, CaseModule, Course, Framework
from .paths import CONTENT_ROOT
from .source import Loc, YamlSource, read_yaml

FORMAT_DOC = "docs/content-format.md"


@dataclass
class LoadedModule:
    """A module folder; ``model`` is None when its ``module.yaml`` is invalid."""

    folder: Path
    source: YamlSource | None
    model: CaseModule | Instrument | None
    languages: list[str]

    @property
    def id(self) -> str:
        """The module's ``id`` (its folder name while the file is invalid)."""
        return self.model.id if self.model is not None else self.folder.name

    @property
    def kind(self) -> str:
        data = self.source.data if self.source else None
        return str(data.get("kind")) if isinstance(data, dict) else "?"


@dataclass
class LoadedCourse:
    folder: Path
    source: YamlSource | None
    model: Course | None
    modules: list[LoadedModule] = field(default_factory=list)


@dataclass
class Content:
    """Everything read from a content root, and the problems found while reading.

    ``framework_fallback`` is true when the root has no ``frameworks/`` folder of its own
    and the bundled frameworks were read instead.
    """

    root: Path
    frameworks: list[tuple[YamlSource, Framework]] = field(default_factory=list)
    courses: list[LoadedCourse] = field(default_factory=list)
    problems: list[ContentProblem] = field(default_factory=list)
    framework_fallback: bool = False

    def modules(self) -> list[LoadedModule]:
        return [m for c in self.courses for m in c.modules]

    def competency_ids(self) -> set[str]:
        return {cid for _, fw in self.frameworks for cid in fw.competency_ids()}


def load_content(root: Path) -> Content:
    """Read every file under ``root``; problems are collected in ``Content.problems``."""
    root = Path(root)
    content = Content(root=root)
    if not root.is_dir():
        content.problems.append(
            ContentProblem(root, 1, 1, "not a folder", "give a content root or a course folder")
        )
        return content
    if (root / "course.yaml").is_file():
        course_dirs, fw_dir = [root], root.parent / "frameworks"
    else:
        course_dirs = sorted(p.parent for p in root.glob("*/course.yaml"))
        fw_dir = root / "frameworks"
    if not fw_dir.is_dir():
        fw_dir, content.framework_fallback = CONTENT_ROOT / "frameworks", True
    for path in sorted(fw_dir.glob("*.yaml")):
        source = _read(path, content.problems)
        fw = _validate(source, Framework, content.problems) if source else None
        if fw is not None:
            content.frameworks.append((source, fw))
    if not course_dirs:
        content.problems.append(
            ContentProblem(
                root, 1, 1, "no course.yaml found", "add a course folder with a course.yaml"
            )
        )
    for folder in course_dirs:
        content.courses.append(_load_course(folder, content.problems))
    return content


def _load_course(folder: Path, problems: list[ContentProblem]) -> LoadedCourse:
    source = _read(folder / "course.yaml", problems)
    model = _validate(source, Course, problems) if source else None
    course = LoadedCourse(folder=folder, source=source, model=model)
    languages = list(model.languages) if model else []
    listed = list(model.modules) if model else []
    for i, module_id in enumerate(listed):
        if not (folder / module_id / "module.yaml").is_file():
            problems.append(
                source.problem(
                    ("modules", i),
                    f"unknown module id {module_id!r}: no {module_id}/module.yaml in {folder.name}",
                    "create the module folder or remove the id from 'modules'",
                )
            )
    extra = sorted(p.parent.name for p in folder.glob("*/module.yaml"))
    for name in [n for n in listed if n in extra] + [n for n in extra if n not in listed]:
        module = _load_module(folder / name, languages, problems)
        course.modules.append(module)
        if name not in listed and model is not None:
            problems.append(
                ContentProblem(
                    folder / name / "module.yaml",
                    1,
                    1,
                    f"module {name!r} is not listed in {folder.name}/course.yaml",
                    "add its id to the course's 'modules' or move the folder out",
                )
            )
    return course


def _load_module(folder: Path, languages: list[str], problems) -> LoadedModule:
    source = _read(folder / "module.yaml", problems)
    module = LoadedModule(folder=folder, source=source, model=None, languages=languages)
    if source is None:
        return module
    data = source.data
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind == "case":
        module.model = _validate(source, CaseModule, problems)
    elif kind == "instrument":
        try:
            module.model = load_instrument(data, source=str(source.path))
        except InstrumentError as exc:
            for p in exc.problems:
                problems.append(_problem(source, p.loc, p.msg))
    elif isinstance(data, dict):
        problems.append(
            source.problem(
                ("kind",),
                f"unknown module kind {kind!r}",
                "set 'kind: case' or 'kind: instrument'",
            )
        )
    else:
        problems.append(source.problem((), "module.yaml must be a mapping", f"see {FORMAT_DOC}"))
    return module


def _read(path: Path, problems: list[ContentProblem]) -> YamlSource | None:
    try:
        return read_yaml(path)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def _validate(source: YamlSource, model: type, problems: list[ContentProblem]):
    try:
        return model.model_validate(source.data)
    except ValidationError as exc:
        for e in exc.errors():
            problems.append(_problem(source, e["loc"], e["msg"], e["type"], e.get("input")))
        return None


def _problem(source: YamlSource, loc: Loc, msg: str, kind: str = "", value=None) -> ContentProblem:
    """A pydantic or engine error as a located problem with a hint."""
    loc = tuple(p for p in loc if p != "[key]" and p not in PATH_TEXT_TAGS)
    where = format_loc(loc)
    if kind == "extra_forbidden" or msg == "Extra inputs are not permitted":
        line, col = source.key_position(loc)
        return ContentProblem(
            source.path,
            line,
            col,
            f"unknown key {loc[-1]!r} in {format_loc(loc[:-1]) or 'the file'}",
            f"remove it or fix its spelling; the keys are listed in {FORMAT_DOC}",
        )
    if kind == "missing" or msg == "Field required":
        return source.problem(
            loc,
            f"missing key {loc[-1]!r} in {format_loc(loc[:-1]) or 'the file'}",
            f"add it; see {FORMAT_DOC}",
        )
    shown = ""
    if value is not None and not isinstance(value, dict | list):
        shown = f" (got {str(value)[:60]!r})"
    return source.problem(loc, f"{where}: {msg}{shown}" if where else msg, f"see {FORMAT_DOC}")
