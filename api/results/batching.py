"""Group commit of result submissions.

Submissions that arrive while earlier ones are being written wait, and are then scored
by the engine in one batch per instrument version and stored in one transaction. Under
load a process writes many results per commit (and per trip to a worker thread); alone,
a submission goes at once. Each submission is answered only after the transaction that
holds it has committed, so a 201 is never lost.

A batch falls back to one transaction per submission when any of its submissions needs
it: a conflict on an idempotency key (a duplicate, here or in another process), or an
error of the database. Per-submission errors (an unknown instrument, an answer out of
range) fail that submission only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from clusterexcellence.engine import ResponseError, score_answers

from ..clients.schemas import Caller
from . import service
from .schemas import ResultCreate

#: The most submissions written in one transaction.
MAX_BATCH = 128


@dataclass
class _Submission:
    caller: Caller
    body: ResultCreate
    key: str | None
    future: asyncio.Future = field(repr=False)


class SubmissionBatcher:
    """Writes the submissions of one process in batches (one writer task per event loop)."""

    def __init__(self, sessions: sessionmaker[Session], *, max_batch: int = MAX_BATCH) -> None:
        self.sessions = sessions
        self.max_batch = max_batch
        self._queue: list[_Submission] = []
        self._writer: asyncio.Task | None = None

    async def submit(
        self, *, caller: Caller, body: ResultCreate, idempotency_key: str | None
    ) -> tuple[int, dict[str, Any], bool]:
        """Score and store one submission: ``(status, response body, replayed)``, as
        :func:`.service.submit`; its errors are raised here."""
        future = asyncio.get_running_loop().create_future()
        self._queue.append(_Submission(caller, body, idempotency_key, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_queued())
        return await future

    async def _write_queued(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            try:
                outcomes = await anyio.to_thread.run_sync(self.write, batch)
            except Exception as exc:  # the whole batch failed: each submission learns why
                outcomes = [exc] * len(batch)
            except BaseException:  # cancelled (the server stops): so are the requests
                for sub in (*batch, *self._queue):
                    sub.future.cancel()
                self._queue = []
                raise
            for sub, outcome in zip(batch, outcomes, strict=True):
                if sub.future.done():  # its request went away
                    continue
                if isinstance(outcome, BaseException):
                    sub.future.set_exception(outcome)
                else:
                    sub.future.set_result(outcome)

    def write(self, batch: list[_Submission]) -> list[Any]:
        """Store ``batch`` (in a worker thread): each submission's outcome or exception."""
        outcomes: list[Any] = [None] * len(batch)
        scored: list[tuple[int, dict[str, Any]]] = []
        for k, kind, value in self._prepare(batch):
            if kind == "scored":
                scored.append((k, value))
            else:  # a replayed response, or the submission's error
                outcomes[k] = value
        if not scored:
            return outcomes
        try:
            with self.sessions() as session:
                responses = service.add_scored(
                    session=session,
                    scored=[
                        service.Scored(batch[k].caller, batch[k].body, outcome, batch[k].key)
                        for k, outcome in scored
                    ],
                )
                session.commit()
        except IntegrityError:
            # A key used meanwhile (or twice in this batch): one at a time, as a lone
            # submission settles it.
            for k, _ in scored:
                outcomes[k] = self._one(batch[k])
            return outcomes
        for (k, _), response in zip(scored, responses, strict=True):
            outcomes[k] = (201, response, False)
        return outcomes

    def _one(self, sub: _Submission) -> Any:
        try:
            with self.sessions() as session:
                return service.submit(
                    session=session, caller=sub.caller, body=sub.body, idempotency_key=sub.key
                )
        except Exception as exc:
            return exc

    def _prepare(self, batch: list[_Submission]) -> Iterator[tuple[int, str, Any]]:
        """``(index, kind, value)`` of each submission: ``scored`` (its outcome JSON),
        ``replayed`` (the stored response of its key) or ``error`` (an exception)."""
        groups: dict[tuple[str, int], list[int]] = {}
        compiled = {}
        with self.sessions() as session:
            for k, sub in enumerate(batch):
                try:
                    if sub.key is not None:
                        replay = service.replayed(
                            session=session, caller=sub.caller, body=sub.body, key=sub.key
                        )
                        if replay is not None:
                            yield k, "replayed", replay
                            continue
                    target = (sub.body.instrument.id, sub.body.instrument.version)
                    compiled[target] = service.compiled_for(sub.body)
                except Exception as exc:
                    yield k, "error", exc
                    continue
                groups.setdefault(target, []).append(k)
        for target, rows in groups.items():
            try:
                results = score_answers(compiled[target], [batch[k].body.answers for k in rows])
            except ResponseError:
                # An answer out of range: each alone, so that only its submission fails.
                for k in rows:
                    try:
                        yield k, "scored", service.score(batch[k].body)
                    except Exception as exc:
                        yield k, "error", exc
                continue
            for k, result in zip(rows, results, strict=True):
                yield k, "scored", service.outcome_json(result)
