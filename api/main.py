"""The application factory: ``create_app(settings)``.

``uvicorn --factory clusterexcellence.api.main:app_from_env`` builds it from the
environment (what ``cluster-excellence serve`` runs).
"""

from __future__ import annotations

import contextlib
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from . import __doc__ as package_doc
from .audit.router import router as audit_router
from .benchmarks.router import router as benchmarks_router
from .clients.router import router as clients_router
from .database import make_engine, make_sessionmaker
from .health.router import router as health_router
from .instruments import service as instruments_service
from .instruments.router import router as instruments_router
from .learners.router import router as learners_router
from .middleware import BodyLimit
from .problems import install_problem_handlers, problems_in_openapi
from .results.batching import SubmissionBatcher
from .results.router import router as results_router
from .settings import Settings
from .xapi.router import router as xapi_router

API_VERSION = "1.0.0"

TAGS = [
    {"name": "health", "description": "Liveness and readiness probes."},
    {"name": "instruments", "description": "Published instruments and their scoring specs."},
    {"name": "results", "description": "Raw answers in, the engine's results out."},
    {"name": "learners", "description": "A learner's results, data export and erasure."},
    {"name": "xapi", "description": "xAPI 1.0.3 statements in and out."},
    {"name": "benchmarks", "description": "Peer statistics (k-anonymous) and positions."},
    {"name": "clients", "description": "API credentials (admins)."},
    {"name": "audit", "description": "Who changed what, when, on which record."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API on the database of ``settings`` (default: from the environment)."""
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # At most as many threads run endpoints as there are connections: a thread never
        # waits for a connection that a request waiting for a thread holds.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(4, 2 * settings.db_pool_size)
        # Load and compile the published instruments before the first request needs them.
        await anyio.to_thread.run_sync(instruments_service.list_instruments)
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Cluster Excellence outcome API",
        version=API_VERSION,
        description=(package_doc or "").strip()
        + "\n\nAuthenticate with `Authorization: Bearer <token>`; each endpoint names the "
        "roles that may call it. Errors are RFC 9457 problems (`application/problem+json`).",
        openapi_tags=TAGS,
    )
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.submissions = SubmissionBatcher(app.state.sessions)
    install_problem_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    for router in (
        health_router,
        instruments_router,
        results_router,
        learners_router,
        xapi_router,
        benchmarks_router,
        clients_router,
        audit_router,
    ):
        app.include_router(router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
            )
            app.openapi_schema = _document_roles(problems_in_openapi(schema))
        return app.openapi_schema

    app.openapi = openapi
    return app


def _document_roles(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {})["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "A client's token."}
    }
    for path in schema.get("paths", {}).values():
        for op in path.values():
            roles = op.get("x-roles")
            if roles is None:
                continue
            op["security"] = [{"bearer": []}]
            note = "**Roles**: " + ", ".join(f"`{r}`" for r in roles) + "."
            op["description"] = f"{op.get('description', '')}\n\n{note}".strip()
    return schema


def app_from_env() -> FastAPI:
    """The app configured from ``CLUSTEREXCELLENCE_*`` (for uvicorn's ``--factory``)."""
    return create_app(Settings())
