"""Parameters of the results endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path

ResultId = Annotated[
    str, Path(min_length=1, max_length=36, examples=["3f2b8c1d-6a4e-4c7b-9d1f-0e2a5b7c9d11"])
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="Same key and same body: the first response again; another body: 422.",
        examples=["lms-attempt-20261201-0001"],
    ),
]
