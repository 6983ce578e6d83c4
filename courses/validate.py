"""Validate a content tree: structure, cross-references, decision graphs and files.

:func:`validate_content` reads everything under a root and returns the content with every
problem at once, sorted by file and line; nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clusterexcellence.engine import InstrumentError

from .assets import exhibit_problems, narrative_problems, yaml_text_problems
from .checks import (
    case_id_problems,
    competency_problems,
    content_id_problems,
    framework_problems,
    module_ref_problems,
    translation_problems,
)
from .decisions import case_instrument, graph_problems
from .exceptions import ContentProblem
from .itemwriting import itemwriting_warnings
from .loader import Content, LoadedModule, load_content
from .models import CaseModule
from .pathtext import path_text_problems


@dataclass(frozen=True)
class Validation:
    """The content read from a root, every problem (error) of it and every warning.

    Both lists are sorted by file and line, each entry once. Warnings are the
    item-writing checks of :mod:`.itemwriting`; they do not make the content invalid.
    """

    content: Content
    problems: list[ContentProblem]
    warnings: list[ContentProblem] = field(default_factory=list)


def validate_content(root: Path) -> Validation:
    """Read and check the content under ``root`` (a content root or a course folder)."""
    content = load_content(Path(root))
    problems = sorted(set(content.problems + check_content(content)))
    return Validation(content, problems, sorted(set(itemwriting_warnings(content))))


def validate_path(root: Path) -> list[ContentProblem]:
    """Every problem of the content under ``root``: ``validate_content(root).problems``."""
    return validate_content(root).problems


def check_content(content: Content) -> list[ContentProblem]:
    """Cross-file checks of loaded content (structural problems are already collected)."""
    problems = list(content_id_problems(content))
    for source, fw in content.frameworks:
        problems += framework_problems(source, fw)
    competencies = content.competency_ids()
    module_ids = {m.id for m in content.modules()}
    for course in content.courses:
        if course.model is None:
            continue
        langs = list(course.model.languages)
        problems += translation_problems(course.source, course.model, langs, "the course's")
        for module in course.modules:
            if module.model is not None:
                problems += module_problems(
                    module, competencies, module_ids, bool(content.frameworks)
                )
    return problems


def module_problems(
    module: LoadedModule, competencies: set[str], module_ids: set[str], have_framework: bool
) -> list[ContentProblem]:
    """Every cross-reference and file problem of one valid module."""
    src = module.source
    problems = list(translation_problems(src, module.model, module.languages, "the course's"))
    problems += yaml_text_problems(module)
    if not isinstance(module.model, CaseModule):
        problems += module_ref_problems(module, module_ids)
        return problems
    structure = list(case_id_problems(module))
    structure += [
        src.problem(p.loc, p.msg, _graph_hint(p.msg)) for p in graph_problems(module.model)
    ]
    if not structure:  # compile only a sound graph (its problems would repeat these)
        try:
            case_instrument(module.model)
        except InstrumentError as exc:
            structure += [
                src.problem(p.loc, f"as an engine instrument: {p.msg}") for p in exc.problems
            ]
    if not structure:  # paths are walked only through a sound, acyclic graph
        structure += path_text_problems(module)
    problems += structure
    if have_framework:
        problems += competency_problems(module, competencies)
    problems += narrative_problems(module)
    problems += exhibit_problems(module)
    return problems


def _graph_hint(msg: str) -> str:
    if "cannot be reached" in msg:
        return "point an option's 'next' at it, or remove it"
    if "closes a loop" in msg or "no way out" in msg:
        return "decision graphs must not loop: point 'next' forward, or at 'end'"
    return "use the id of a decision point of this case, or 'end'"
