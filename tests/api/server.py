"""A real API server for the tests: ``cluster-excellence serve`` in a subprocess on
127.0.0.1 and a free port, stopped (or killed) by the test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from clusterexcellence.api.clients import service as clients_service
from clusterexcellence.api.database import make_engine, make_sessionmaker


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, log: Path, *, workers: int = 1, port: int | None = None) -> None:
        self.url = url
        self.log = log
        self.workers = workers
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Server:
        env = os.environ | {"CLUSTEREXCELLENCE_DATABASE_URL": self.url}
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "clusterexcellence.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                ],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not get ready: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the server and its workers (its own process group)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def new_token(url: str, role: str = "lms") -> str:
    """A client made directly in the database (as ``admin create-client`` does)."""
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        _, token = clients_service.create_client(session=session, name=role, role=role, caller=None)
    engine.dispose()
    return token
