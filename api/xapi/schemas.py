"""xAPI 1.0.3: the IRIs this API writes and the shape of what it accepts.

Statements are validated with ralph's pydantic models of xAPI
(:class:`ralph.models.xapi.base.statements.BaseXapiStatement`), foreign input read as it
comes; the OpenAPI document describes them loosely (an object, or a list of them).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, WithJsonSchema

XAPI_VERSION = "1.0.3"
VERSION_HEADER = "X-Experience-API-Version"
#: Versions of the header accepted (xAPI 1.0.x).
VERSION_PATTERN = r"^1\.0(\.[0-9]+)?$"
VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ACTIVITY_ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
MAX_STATEMENTS = 100


def activity_iri(base: str, instrument: str, version: int) -> str:
    return f"{base}/instruments/{instrument}/versions/{version}"


def extension_iri(base: str, name: str) -> str:
    return f"{base}/extensions/{name}"


_STATEMENT_SCHEMA = {
    "type": "object",
    "description": "An xAPI 1.0.3 statement (validated against the xAPI data model).",
    "required": ["actor", "verb", "object"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "actor": {"type": "object"},
        "verb": {"type": "object"},
        "object": {"type": "object"},
        "result": {"type": "object"},
        "context": {"type": "object"},
    },
}

StatementBody = Annotated[
    dict[str, Any] | list[dict[str, Any]],
    WithJsonSchema(
        {
            "oneOf": [
                _STATEMENT_SCHEMA,
                {"type": "array", "items": _STATEMENT_SCHEMA, "minItems": 1, "maxItems": 100},
            ],
            "examples": [
                {
                    "id": "8f7c1a3e-2b4d-4e6f-8a9b-0c1d2e3f4a5b",
                    "actor": {
                        "objectType": "Agent",
                        "account": {"homePage": "https://lms.example", "name": "learner-4f2a9c"},
                    },
                    "verb": {"id": VERB_COMPLETED, "display": {"en-US": "completed"}},
                    "object": {
                        "objectType": "Activity",
                        "id": "https://clusterexcellence.example/xapi/instruments/"
                        "competency-self-test/versions/1",
                    },
                }
            ],
        }
    ),
]


class StatementIds(BaseModel):
    """The ids of the statements stored (or already stored with the same content)."""

    ids: list[str] = Field(examples=[["8f7c1a3e-2b4d-4e6f-8a9b-0c1d2e3f4a5b"]])
    results: list[str | None] = Field(
        description="For each statement, the result scored from its answers extension."
    )


class XapiStatementRead(BaseModel):
    """An xAPI 1.0.3 statement (see the xAPI specification for every property)."""

    model_config = {"extra": "allow"}

    id: str
    actor: dict[str, Any]
    verb: dict[str, Any]
    object: dict[str, Any]
    result: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    timestamp: str
    version: str = Field(examples=[XAPI_VERSION])
