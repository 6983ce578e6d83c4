"""Translatable texts of validated content models, with their location in the YAML."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from clusterexcellence.engine.fields import LANG_PATTERN

_LANG = re.compile(LANG_PATTERN)


def is_text(value: Any) -> bool:
    """Whether ``value`` is a translatable text: language code → string."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and _LANG.match(k) for k in value)
        and all(isinstance(v, str) for v in value.values())
    )


def iter_texts(value: Any, loc: tuple = ()) -> Iterator[tuple[tuple, dict[str, str]]]:
    """Yield ``(loc, text)`` for every translatable text in a model, depth first.

    ``loc`` uses the YAML keys (field aliases), so it locates the text in its file.
    """
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from iter_texts(getattr(value, name), (*loc, info.alias or name))
    elif is_text(value):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_texts(item, (*loc, key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from iter_texts(item, (*loc, i))


def pick(text: dict[str, str] | None, lang: str) -> str:
    """The text in ``lang``, else in the first language it has, else ``""``."""
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()))
