"""JSON responses rendered by orjson: every result and page the API returns is a large
JSON document, and orjson writes one several times faster than the standard library
(same output: compact UTF-8, floats as their shortest repr)."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse as _StarletteJSON


class JSONResponse(_StarletteJSON):
    """A JSON response (``application/json`` unless ``media_type`` says otherwise)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def dumps(value: Any) -> str:
    """JSON text of ``value``, for the database's JSON columns."""
    return orjson.dumps(value).decode()


loads = orjson.loads
