"""Speed of the outcome API, printed as one JSON object.

Run: ``.venv/bin/python bench/api.py`` (``--quick`` for a smaller run). uvicorn serves the
API on 127.0.0.1 with a SQLite file; an async load generator on the same machine (plain
asyncio keep-alive connections; httpx checks the request first) sends, all in one run:

- ``submit_rps``: result submissions per second (``POST /results``, scored by the
  engine and stored, one new result each), ``--concurrency`` requests in flight;
- ``p99_ms_at_300rps``: 99th percentile latency of submissions sent at a steady 300 per
  second (open loop: a request goes out on schedule, whether or not the last came back);
- ``bare_rps``: a bare FastAPI POST with the same pydantic body (``bench/bare_app.py``),
  same server settings, same generator;
- ``ratio``: ``submit_rps / bare_rps``.

Every loop is bounded in requests and time; the servers listen on 127.0.0.1 only. On a
shared machine the figures move with the load (``load_average`` is printed with them).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # the tests' factories: one valid submission

from tests.api.factories import submission  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: list[str], env: dict[str, str], workers: int, port: int, log) -> subprocess.Popen:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        *target,
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def wait_ready(base: str, path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + path, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server at {base} did not start")


class Connection:
    """One keep-alive HTTP/1.1 connection sending one prepared request again and again.

    A load generator this plain costs a few tens of microseconds a request, so the
    figures are the server's, not the client's (httpx's own overhead is about a
    millisecond a request, more than a bare FastAPI POST)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, request: bytes) -> int:
        self.writer.write(request)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def prepared(path: str, body: bytes, token: str) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def closed_loop(
    port: int, request: bytes, *, concurrency: int, seconds: float, max_requests: int
) -> float:
    """Requests per second with ``concurrency`` in flight, for ``seconds`` (at most
    ``max_requests``); every answer must be a 201."""
    connections = [await Connection.open(port) for _ in range(concurrency)]
    for c in connections:  # warm up the connections and the server
        await c.send(request)
    done = 0
    stop = time.perf_counter() + seconds

    async def worker(c: Connection) -> None:
        nonlocal done
        while time.perf_counter() < stop and done < max_requests:
            status = await c.send(request)
            if status != 201:
                raise SystemExit(f"status {status} under load")
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections))
    elapsed = time.perf_counter() - start
    for c in connections:
        c.close()
    return done / elapsed


async def open_loop(port: int, request: bytes, *, rate: float, seconds: float) -> float:
    """p99 latency (ms) of requests due on a fixed schedule of ``rate`` per second,
    counted from when each was due (a late request's wait counts)."""
    free: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(64):
        c = await Connection.open(port)
        await c.send(request)
        free.put_nowait(c)
    latencies: list[float] = []
    start = time.perf_counter()

    async def one(i: int) -> None:
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        c = await free.get()
        status = await c.send(request)
        latencies.append((time.perf_counter() - due) * 1000)
        free.put_nowait(c)
        if status != 201:
            raise SystemExit(f"status {status} at {rate} per second")

    await asyncio.gather(*(one(i) for i in range(int(rate * seconds))))
    while not free.empty():
        free.get_nowait().close()
    latencies.sort()
    return latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (for tests)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of each server")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight")
    args = parser.parse_args()
    seconds = 1.0 if args.quick else 8.0
    rate, rate_seconds = (100.0, 1.0) if args.quick else (300.0, 8.0)
    max_requests = 100_000

    from clusterexcellence.api import migrate
    from clusterexcellence.api.clients import service as clients
    from clusterexcellence.api.database import make_engine, make_sessionmaker

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        migrate.upgrade(engine)
        with make_sessionmaker(engine)() as session:
            _, token = clients.create_client(session=session, name="bench", role="lms", caller=None)
        engine.dispose()
        env = os.environ | {"CLUSTEREXCELLENCE_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        body = json.dumps(submission("bench-learner", club=True, portfolio="ict")).encode()
        # Checked once with httpx: the bench's request is a valid submission.
        submit, bare_request = prepared("/results", body, token), prepared("/bare", body, token)
        api_port, bare_port = free_port(), free_port()
        with open(Path(tmp) / "servers.log", "wb") as log:
            api = serve(
                ["clusterexcellence.api.main:app_from_env"], env, args.workers, api_port, log
            )
            bare = serve(["bare_app:create_bare_app"], env, args.workers, bare_port, log)
            try:
                api_base, bare_base = (
                    f"http://127.0.0.1:{api_port}",
                    f"http://127.0.0.1:{bare_port}",
                )
                wait_ready(api_base, "/healthz")
                wait_ready(bare_base, "/docs")
                check = httpx.post(
                    f"{api_base}/results",
                    content=body,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
                if check.status_code != 201:
                    raise SystemExit(f"the bench's submission is refused: {check.text}")
                loop = dict(
                    concurrency=args.concurrency, seconds=seconds, max_requests=max_requests
                )
                bare_rps = asyncio.run(closed_loop(bare_port, bare_request, **loop))
                submit_rps = asyncio.run(closed_loop(api_port, submit, **loop))
                p99 = asyncio.run(open_loop(api_port, submit, rate=rate, seconds=rate_seconds))
            finally:
                for p in (api, bare):
                    p.terminate()
                for p in (api, bare):
                    p.wait(30)
    figures = {
        "submit_rps": round(submit_rps, 1),
        "p99_ms_at_300rps": round(p99, 2),
        "bare_rps": round(bare_rps, 1),
        "ratio": round(submit_rps / bare_rps, 3),
        "rate_rps": rate,
        "workers": args.workers,
        "concurrency": args.concurrency,
        "seconds": seconds,
        "database": "sqlite",
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "quick": args.quick,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
