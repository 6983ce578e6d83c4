"""YAML source files with the line and column of every mapping key and sequence item.

Content is parsed with ruamel.yaml in round-trip mode, which records where each key and
item starts. A :class:`YamlSource` keeps that tree for locating problems and hands plain
Python data (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``) to pydantic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .exceptions import ContentError, ContentProblem

Loc = Sequence[str | int]


@dataclass(frozen=True)
class YamlSource:
    """A parsed YAML file: plain data plus the round-trip tree for locations."""

    path: Path
    data: Any
    tree: Any

    def position(self, loc: Loc) -> tuple[int, int]:
        """1-based ``(line, column)`` of the deepest part of ``loc`` present in the file.

        Parts that are not in the file (a missing field, a union tag or ``[key]`` added by
        pydantic) are skipped, so a problem is placed at its nearest existing ancestor.
        A scalar is located at its value, a mapping or sequence at its key or item.
        """
        node, pos = self.tree, (0, 0)
        for part in loc:
            if isinstance(node, CommentedMap) and _has_key(node, part):
                key = _key(node, part)
                child = node[key]
                scalar = not isinstance(child, CommentedMap | CommentedSeq)
                pos = _safe(node.lc.value if scalar else node.lc.key, key, pos)
                node = child
            elif (
                isinstance(node, CommentedSeq)
                and isinstance(part, int)
                and not isinstance(part, bool)
                and 0 <= part < len(node)
            ):
                pos = _safe(node.lc.item, part, pos)
                node = node[part]
        return pos[0] + 1, pos[1] + 1

    def problem(self, loc: Loc, message: str, hint: str = "") -> ContentProblem:
        """A :class:`ContentProblem` at ``loc`` in this file."""
        line, col = self.position(loc)
        return ContentProblem(self.path, line, col, message, hint)

    def key_position(self, loc: Loc) -> tuple[int, int]:
        """1-based position of the key (not the value) named by the last part of ``loc``."""
        parent, last = loc[:-1], loc[-1]
        node = self.tree
        for part in parent:
            try:
                node = node[_key(node, part) if isinstance(node, CommentedMap) else part]
            except (KeyError, IndexError, TypeError):
                return self.position(loc)
        if isinstance(node, CommentedMap) and _has_key(node, last):
            line, col = _safe(node.lc.key, _key(node, last), (0, 0))
            return line + 1, col + 1
        return self.position(loc)


def _has_key(node: CommentedMap, part: str | int) -> bool:
    return part in node or str(part) in node or _key(node, part) in node


def _key(node: CommentedMap, part: str | int) -> Any:
    if part in node:
        return part
    for key in node:  # YAML keys may be numbers or booleans (``1: ...``, ``on: ...``)
        if str(key) == str(part):
            return key
    return part


def _safe(getter, key, default: tuple[int, int]) -> tuple[int, int]:
    try:
        line, col = getter(key)
    except (KeyError, IndexError, TypeError, AttributeError):
        return default
    return int(line), int(col)


def plain(node: Any) -> Any:
    """Round-trip YAML nodes as plain Python values (keys as strings)."""
    if isinstance(node, dict):
        return {str(k) if not isinstance(k, str) else str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def read_yaml(path: Path) -> YamlSource:
    """Parse ``path``.

    Raises
    ------
    ContentError
        With one problem at the line and column of a YAML syntax error (or a duplicate
        key, or a file that cannot be read as UTF-8).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(
            [ContentProblem(path, 1, 1, f"cannot read file: {exc}", "save it as UTF-8")]
        ) from exc
    yaml = YAML(typ="rt")
    try:
        tree = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise ContentError(
            [
                ContentProblem(
                    path,
                    line,
                    col,
                    f"YAML syntax error: {what}",
                    "check indentation, quotes and colons here or on the line before",
                )
            ]
        ) from exc
    except YAMLError as exc:
        raise ContentError(
            [ContentProblem(path, 1, 1, f"YAML error: {exc}", "fix the YAML syntax")]
        ) from exc
    return YamlSource(path=path, data=plain(tree), tree=tree)
