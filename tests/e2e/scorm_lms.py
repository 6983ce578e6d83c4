"""A SCORM LMS for the browser tests: scorm-again (npm) in ``pages/scorm-lms.html``, its
commits received on 127.0.0.1, and what an LMS does between two launches."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .conftest import Request, Response

#: Elements the SCO writes and the LMS does not hand back at the next launch.
WRITE_ONLY = {
    "1.2": {"cmi.core.exit", "cmi.core.session_time"},
    "2004": {"cmi.exit", "cmi.session_time"},
}
EXIT = {"1.2": "cmi.core.exit", "2004": "cmi.exit"}
ENTRY = {"1.2": "cmi.core.entry", "2004": "cmi.entry"}
HOST = {"1.2": "scorm12", "2004": "scorm2004"}


@dataclass
class Commits:
    """The commit endpoint: keeps each payload; ``refuse`` answers the next ones with an
    LMS error (``{"result": false, "errorCode": 101}``)."""

    payloads: list[dict[str, Any]] = field(default_factory=list)
    refusing: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        with self.lock:
            if self.refusing > 0:
                self.refusing -= 1
                return Response.json({"result": False, "errorCode": 101})
            self.payloads.append(request.json())
        return Response.json({"result": True, "errorCode": 0})

    def last(self) -> dict[str, Any]:
        with self.lock:
            return dict(self.payloads[-1]) if self.payloads else {}

    def wait_for(self, test, timeout: float = 10.0) -> dict[str, Any]:
        """The first payload (newest first) that passes ``test``, waiting for it to come."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                for payload in reversed(self.payloads):
                    if test(payload):
                        return payload
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"no commit passed the test in {timeout} s ({len(self.payloads)} received)"
                )
            time.sleep(0.05)


def relaunch_cmi(version: str, committed: dict[str, Any]) -> dict[str, str]:
    """What an LMS hands the next launch from the last commit: the data without the
    write-only elements, and ``entry`` = ``resume`` after ``exit`` = ``suspend``."""
    data = {
        k: v
        for k, v in committed.items()
        if isinstance(v, str) and v != "" and k not in WRITE_ONLY[version] and k != ENTRY[version]
    }
    data[ENTRY[version]] = "resume" if committed.get(EXIT[version]) == "suspend" else ""
    return data


class Lms:
    """One launch of content in the test LMS page: ``launch(...)``, then ``call`` the
    content's host, read ``cmi()`` and the call ``log()``."""

    def __init__(self, page, server, commits: Commits):
        self.page = page
        self.server = server
        self.commits = commits
        self.version = None

    def launch(
        self,
        version: str,
        bundle: str,
        *,
        saved: dict[str, str] | None = None,
        delay_ms: int = 0,
        api: bool = True,
        wait: int | None = None,
    ):
        """Open the LMS page with scorm-again (``version`` "1.2" or "2004") and, in its
        iframe, the host driver on the bundle at URL ``bundle``. ``saved``: the CMI of an
        earlier session; ``delay_ms``: the API appears that late; without ``api`` the page
        offers none; ``wait``: how long the content looks for it (ms)."""
        self.version = version
        content = f"/tests/e2e/pages/host-driver.html?host={HOST[version]}&bundle={bundle}"
        if wait is not None:
            content += f"&wait={wait}"
        self.page.goto(f"{self.server.url}/tests/e2e/pages/scorm-lms.html")
        settings = {
            "lmsCommitUrl": f"{self.server.url}/commit",
            "dataCommitFormat": "flattened",
            "autocommit": False,
            "logLevel": 5,
        }
        if api:
            options = {
                "version": version,
                "settings": settings,
                "saved": saved,
                "delayMs": delay_ms,
                "content": content,
            }
            self.page.evaluate("o => lms.start(o)", options)
        else:
            self.page.evaluate("url => { document.getElementById('content').src = url; }", content)
        return self

    def wait_ready(self):
        """The content's frame, once its host is made (the API found or given up)."""
        self.page.wait_for_function(
            "() => { const w = document.getElementById('content').contentWindow;"
            " return w && w.driver && w.driver.ready; }"
        )
        return next(f for f in self.page.frames if "host-driver" in f.url)

    @property
    def frame(self):
        return self.wait_ready()

    def call(self, script: str, arg: Any = None) -> Any:
        """Run ``script`` (an async function of ``host`` and ``arg``) in the content."""
        return self.frame.evaluate(
            f"async (arg) => {{ const host = driver.host; return await ({script})(host, arg); }}",
            arg,
        )

    def problems(self) -> list[str]:
        return self.frame.evaluate("driver.problems")

    def cmi(self) -> dict[str, Any]:
        return self.page.evaluate("lms.cmi()")

    def log(self) -> list[list[str]]:
        return self.page.evaluate("lms.log")

    def leave(self) -> None:
        """Navigate the content's frame away (the learner leaves the module)."""
        self.frame.evaluate("() => { location.href = '/tests/e2e/pages/left.html?left'; }")
        self.page.wait_for_function(
            "() => document.getElementById('content').contentWindow.location.search === '?left'"
        )
