"""schemathesis against the OpenAPI document: generated requests on every operation, no
server error and no response outside the schema (``case.call_and_validate()``).

Each operation is called with a credential of a role it allows, so that generated
input reaches validation and the services. Hypothesis runs a fixed number of examples
per operation, derandomized, so CI is stable.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .factories import submission

EXAMPLES_PER_OPERATION = 60  # in each generation mode
MIN_CASES = 2000
#: Operations whose schema-valid input can still be a documented 422: which items and
#: answers are valid depends on the instrument named in the body (the engine checks
#: them), and a statement must also be valid xAPI. Every other check still runs on them.
SEMANTIC_422 = {"POST /results", "POST /xapi/statements"}


def run_operation(operation, headers: dict[str, str], mode: GenerationMode) -> int:
    """Generated cases of one operation, each called and validated; how many ran.

    Positive cases follow the schema; negative ones break it and must get a 4xx."""
    ran = 0
    excluded = [positive_data_acceptance] if operation.label in SEMANTIC_422 else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        nonlocal ran
        ran += 1
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()
    return ran


def test_generated_requests_get_documented_answers_and_never_a_5xx(api):
    creds = {role: api.new_client(role) for role in ("lms", "admin")}
    # Some data for the operations that read it.
    for i in range(3):
        api.http.post(
            "/results", json=submission(f"l{i}", seed=i, club=True), headers=creds["lms"].headers
        )
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    cases = {}
    for found in schema.get_all_operations():
        operation = found.ok()
        roles = operation.definition.raw.get("x-roles") or ["admin"]
        headers = creds["lms" if "lms" in roles else "admin"].headers
        raw = operation.definition.raw
        modes = [GenerationMode.POSITIVE]
        if raw.get("parameters") or raw.get("requestBody"):  # something to break
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:
            cases[f"{operation.label} {mode.value}"] = run_operation(operation, headers, mode)
    assert len({label.rsplit(" ", 1)[0] for label in cases}) == 20
    assert sum(cases.values()) >= MIN_CASES, cases
