"""YAML source files with the line and column of every mapping key and sequence item.

Content is parsed with ruamel.yaml in round-trip mode, which records where each key and
item starts. A :class:`YamlSource` keeps that tree for locating problems and hands plain
Python data (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``) to pydantic.
:func:`load_yaml` is the one reader of YAML files (content, instruments, calibration): it
refuses oversized files and aliases before anything expands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, Event

from .exceptions import ContentError, ContentProblem
from .files import MAX_YAML_BYTES, read_text

Loc = Sequence[str | int]
#: The tags content may carry (YAML's core types, and ``!`` for a plain string).
PLAIN_TAGS = frozenset(
    [
        "!",
        *(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")),
    ]
)


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
    """Parse ``path`` into a :class:`YamlSource` (see :func:`load_yaml` for what is refused).

    Raises
    ------
    ContentError
        With one located problem, as :func:`load_yaml`.
    """
    tree = load_yaml(path)
    return YamlSource(path=path, data=plain(tree), tree=tree)


def load_yaml(path: Path, *, fast: bool = False) -> Any:
    """The YAML document in ``path``: its round-trip tree, or plain data when ``fast``.

    ``fast`` uses the safe loader (its C version when installed, about 5x faster), for
    files that need no line numbers. Either way a file larger than
    :data:`~.files.MAX_YAML_BYTES` is refused before it is read, and any alias (``*name``)
    or tag outside :data:`PLAIN_TAGS` before anything is built from it: content never
    needs them, and nested aliases make a file of a few hundred bytes expand to billions
    of values.

    Raises
    ------
    ContentError
        With one problem at the line and column of the first alias, of a YAML syntax error,
        a duplicate key or an unsupported tag (or at ``1:1`` for a file that is too large,
        cannot be read or is not UTF-8).
    """
    text = read_text(path, limit=MAX_YAML_BYTES)
    yaml = YAML(typ="safe" if fast else "rt")
    try:
        if fast:
            # The C loader composes on its own: check its (cheap) parse events first.
            for event in yaml.parse(text):
                _check(event)
        else:
            yaml.Composer = _PlainComposer
        return yaml.load(text)
    except _Refused as refused:
        raise _error(path, refused.event.start_mark, *refused.args) from None
    except ConstructorError as exc:
        raise _error(
            path,
            exc.problem_mark,
            f"unsupported YAML tag: {exc.problem}",
            "remove the tag: content is plain mappings, lists, strings, numbers and booleans",
        ) from exc
    except MarkedYAMLError as exc:
        what = " ".join(x for x in (exc.context, exc.problem) if x) or "invalid YAML"
        raise _error(
            path,
            exc.problem_mark or exc.context_mark,
            f"YAML syntax error: {what}",
            "check indentation, quotes and colons here or on the line before",
        ) from exc
    except YAMLError as exc:
        raise _error(path, None, f"YAML error: {exc}", "fix the YAML syntax") from exc


class _Refused(Exception):
    """An alias or tag met while parsing: ``args`` are the message and the hint."""

    def __init__(self, event: Event, message: str, hint: str) -> None:
        super().__init__(message, hint)
        self.event = event


def _check(event: Event) -> None:
    """Raise :class:`_Refused` for an alias or a tag outside :data:`PLAIN_TAGS`."""
    if isinstance(event, AliasEvent):
        raise _Refused(
            event,
            f"YAML alias *{event.anchor}: content files may not use aliases",
            "write the value out in full: aliases can make a small file expand enormously",
        )
    tag = getattr(event, "tag", None)
    if tag is not None and str(tag) not in PLAIN_TAGS:
        raise _Refused(
            event,
            f"unsupported YAML tag {str(tag)!r}",
            "remove the tag: content is plain mappings, lists, strings, numbers and booleans",
        )


class _PlainComposer(Composer):
    """A composer that checks each node's event first: an alias stops it before it is shared."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        _check(self.parser.peek_event())
        return super().compose_node(parent, index)


def _error(path: Path, mark: Any, message: str, hint: str) -> ContentError:
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return ContentError([ContentProblem(path, line, col, message, hint)])
