"""Every ``clusterexcellence.courses`` module imports on its own, and no two import each other."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import clusterexcellence.courses as courses

PACKAGE = courses.__name__


def course_modules() -> dict[str, Path]:
    """Dotted name → file of every module of the package (subpackages included)."""
    found = {PACKAGE: Path(courses.__file__)}
    for info in pkgutil.walk_packages(courses.__path__, prefix=f"{PACKAGE}."):
        spec = info.module_finder.find_spec(info.name, None)
        found[info.name] = Path(spec.origin)
    return found


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that ``name`` imports anywhere (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            stem = node.module or ""
            base = (f"{base}.{stem}" if stem else base) if node.level else stem
            targets = [base, *(f"{base}.{a.name}" for a in node.names)]
        else:
            continue
        out |= {t for t in targets if t in known and t != name}
    return out


def test_every_module_imports_alone_in_a_fresh_interpreter():
    names = sorted(course_modules())
    assert len(names) > 20
    runs = {
        name: subprocess.Popen(
            [sys.executable, "-c", f"import {name}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    }
    failed = {}
    for name, proc in runs.items():
        _, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            failed[name] = err.strip().splitlines()[-1:]
    assert not failed


def test_modules_import_each_other_without_a_cycle():
    modules = course_modules()
    graph = {n: imported_modules(n, p, set(modules)) for n, p in modules.items()}
    # A package's __init__ may re-export; only modules importing each other count.
    graph = {n: {t for t in deps if t != PACKAGE} for n, deps in graph.items()}
    state: dict[str, str] = {}
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles
