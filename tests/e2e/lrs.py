"""A small cmi5 LMS and LRS for the browser tests, as routes of a loopback test server:
the one-time fetch URL, the State API, the agent profile and the Statement API, each
checking the auth token and the xAPI version header as an LRS does."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .conftest import Request, Response, Route

XAPI = "/xapi/"
SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


@dataclass
class Lrs:
    """An LMS launching one AU for one learner; ``launch_url`` makes each new launch (a
    new session and a fresh one-time fetch URL)."""

    launch_mode: str = "Normal"
    mastery_score: float | None = None
    return_url: str | None = None
    actor: dict[str, Any] = field(
        default_factory=lambda: {
            "objectType": "Agent",
            "account": {"homePage": "https://lms.example", "name": "learner-42"},
        }
    )
    registration: str = field(default_factory=lambda: str(uuid.uuid4()))
    activity_id: str = "https://lms.example/activities/au/governance-conflict"
    publisher_id: str = "https://clusterexcellence.example/au/governance-conflict"
    statements: list[dict[str, Any]] = field(default_factory=list)
    states: dict[str, Any] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    session: str = ""
    token: str = ""
    fetches: dict[str, bool] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def launch_url(self, base: str, au_path: str) -> str:
        """A new launch of the AU at ``au_path``: LaunchData written, a new fetch key."""
        key = uuid.uuid4().hex
        with self.lock:
            self.session = str(uuid.uuid4())
            self.token = uuid.uuid4().hex
            self.fetches[key] = False
            data = {
                "contextTemplate": {
                    "contextActivities": {
                        "grouping": [{"id": self.publisher_id, "objectType": "Activity"}]
                    },
                    "extensions": {SESSION_EXTENSION: self.session},
                },
                "launchMode": self.launch_mode,
                "moveOn": "CompletedAndPassed",
            }
            if self.mastery_score is not None:
                data["masteryScore"] = self.mastery_score
            if self.return_url:
                data["returnURL"] = self.return_url
            self.states["LMS.LaunchData"] = data
        query = urlencode(
            {
                "endpoint": f"{base}{XAPI}",
                "fetch": f"{base}/lms/fetch?k={key}",
                "actor": json.dumps(self.actor),
                "registration": self.registration,
                "activityId": self.activity_id,
            }
        )
        return f"{au_path}{'&' if '?' in au_path else '?'}{query}"

    # ------------------------------------------------------------------ routes

    def routes(self) -> dict[tuple[str, str], Route]:
        return {
            ("POST", "/lms/fetch"): self._fetch,
            ("GET", f"{XAPI}activities/state"): self._state,
            ("PUT", f"{XAPI}activities/state"): self._state,
            ("GET", f"{XAPI}agents/profile"): self._profile,
            ("POST", f"{XAPI}statements"): self._statements,
        }

    def _fetch(self, request: Request) -> Response:
        key = request.query.get("k", [""])[0]
        with self.lock:
            if key not in self.fetches:
                return Response.json({"error-code": "2", "error-text": "unknown fetch URL"})
            if self.fetches[key]:
                return Response.json({"error-code": "1", "error-text": "already used"})
            self.fetches[key] = True
            return Response.json({"auth-token": self.token})

    def _refuse(self, request: Request) -> Response | None:
        if request.headers.get("X-Experience-API-Version") != "1.0.3":
            self.refused.append(
                f"{request.method} {request.path}: no X-Experience-API-Version 1.0.3"
            )
            return Response.json({"error": "X-Experience-API-Version"}, 400)
        if request.headers.get("Authorization") != f"Basic {self.token}":
            self.refused.append(f"{request.method} {request.path}: bad Authorization")
            return Response.json({"error": "unauthorized"}, 401)
        return None

    def _state(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        q = {k: v[0] for k, v in request.query.items()}
        if (
            json.loads(q.get("agent", "null")) != self.actor
            or q.get("registration") != self.registration
        ):
            return Response.json({"error": "agent or registration"}, 400)
        if q.get("activityId") != self.activity_id:
            return Response.json({"error": "activityId"}, 400)
        state_id = q["stateId"]
        with self.lock:
            if request.method == "PUT":
                if state_id == "LMS.LaunchData":
                    return Response.json({"error": "the AU must not write LMS.LaunchData"}, 403)
                self.states[state_id] = request.json()
                return Response(204)
            if state_id not in self.states:
                return Response(404)
            return Response.json(self.states[state_id])

    def _profile(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        return Response.json({"languagePreference": "en-US,fr-FR", "audioPreference": "off"})

    def _statements(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        body = request.json()
        batch = body if isinstance(body, list) else [body]
        with self.lock:
            self.statements.extend(batch)
        return Response.json([s.get("id") for s in batch])

    def verbs(self) -> list[str]:
        return [s["verb"]["id"].rsplit("/", 1)[-1] for s in self.statements]
