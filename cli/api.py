"""``serve``, ``db`` and ``admin``: run the outcome API and manage its database and clients.

FastAPI, SQLAlchemy and Alembic are imported inside the commands, so the rest of the
program works without the ``[api]`` extra. The database comes from
``CLUSTEREXCELLENCE_DATABASE_URL`` (default: ``./var/api.db``) or ``--database-url``.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .common import fail
from .common import out as console

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="CLUSTEREXCELLENCE_DATABASE_URL",
        help="SQLAlchemy URL (default: sqlite:///./var/api.db).",
        show_envvar=True,
    ),
]


def _settings(database_url: str | None):
    try:
        from clusterexcellence.api.settings import Settings
    except ImportError as exc:
        raise fail(
            f"the API needs its extra: pip install 'cluster-excellence[api]' ({exc.name})"
        ) from None
    return Settings(database_url=database_url) if database_url else Settings()


def _engine(database_url: str | None):
    from clusterexcellence.api.database import make_engine

    return make_engine(_settings(database_url).database_url)


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="uvicorn worker processes.")] = 1,
    database_url: DatabaseUrl = None,
) -> None:
    """Migrate the database to the newest revision, then serve the API with uvicorn."""
    import os

    import uvicorn

    from clusterexcellence.api import migrate

    settings = _settings(database_url)
    from clusterexcellence.api.database import make_engine

    engine = make_engine(settings.database_url)
    migrate.upgrade(engine)
    engine.dispose()
    # Workers are new processes: they read the same settings from the environment.
    os.environ["CLUSTEREXCELLENCE_DATABASE_URL"] = settings.database_url
    console.print(f"serving the API on http://{host}:{port} (docs at /docs)")
    uvicorn.run(
        "clusterexcellence.api.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )


def _migrate(direction: str, revision: str, database_url: str | None) -> None:
    """Run ``migrate.upgrade`` or ``migrate.downgrade`` to ``revision``; print where it is."""
    from clusterexcellence.api import migrate

    engine = _engine(database_url)
    getattr(migrate, direction)(engine, revision)
    console.print(f"database at revision {migrate.current(engine) or 'base'}")


db_app = typer.Typer(help="Migrate the API's database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database_url: DatabaseUrl = None,
) -> None:
    """Migrate forward (default: to the newest revision)."""
    _migrate("upgrade", revision, database_url)


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision ('base': empty).")] = "-1",
    database_url: DatabaseUrl = None,
) -> None:
    """Migrate back (default: one revision)."""
    _migrate("downgrade", revision, database_url)


@db_app.command("current")
def db_current(database_url: DatabaseUrl = None) -> None:
    """Print the database's revision and the newest one."""
    from clusterexcellence.api import migrate

    revision = migrate.current(_engine(database_url))
    console.print(f"current: {revision or 'base (not migrated)'}; head: {migrate.head()}")


admin_app = typer.Typer(help="Manage API clients.", no_args_is_help=True)


@admin_app.command("create-client")
def admin_create_client(
    name: Annotated[str, typer.Argument(help="A name for the client (e.g. the LMS).")],
    role: Annotated[
        str, typer.Option(help="lms, label-body, assessor, club-admin or admin.")
    ] = "lms",
    database_url: DatabaseUrl = None,
) -> None:
    """Create a client and print its token, once (only a digest of it is stored)."""
    from clusterexcellence.api.clients import service
    from clusterexcellence.api.clients.tables import ROLES
    from clusterexcellence.api.database import make_sessionmaker

    if role not in ROLES:
        raise fail(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if not name.strip() or len(name) > 200:
        raise fail("the name must have 1 to 200 characters")
    engine = _engine(database_url)
    _require_migrated(engine)
    with make_sessionmaker(engine)() as session:
        row, token = service.create_client(session=session, name=name, role=role, caller=None)
    console.print(f"client {row['id']} ({role}) created; its token, shown once:")
    console.print(token)


@admin_app.command("revoke-client")
def admin_revoke_client(
    client_id: Annotated[str, typer.Argument(help="The client's id.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a client: its token stops working at once."""
    from clusterexcellence.api.clients import service
    from clusterexcellence.api.database import make_sessionmaker
    from clusterexcellence.api.exceptions import NotFound

    engine = _engine(database_url)
    _require_migrated(engine)
    with make_sessionmaker(engine)() as session:
        try:
            row = service.revoke_client(session=session, client_id=client_id, caller=None)
        except NotFound as exc:
            raise fail(exc.detail) from None
    console.print(f"client {row['id']} revoked at {row['revoked_at']:%Y-%m-%dT%H:%M:%SZ}")


@admin_app.command("list-clients")
def admin_list_clients(database_url: DatabaseUrl = None) -> None:
    """List clients (id, role, name, revoked)."""
    from clusterexcellence.api.clients import service
    from clusterexcellence.api.database import make_sessionmaker

    engine = _engine(database_url)
    _require_migrated(engine)
    with make_sessionmaker(engine)() as session:
        for row in service.list_clients(session=session):
            state = "revoked" if row["revoked_at"] else "active"
            console.print(f"{row['id']}  {row['role']:<10}  {state:<7}  {row['name']}")


def _require_migrated(engine) -> None:
    from clusterexcellence.api import migrate

    if migrate.current(engine) != migrate.head():
        raise fail("the database is not migrated: run cluster-excellence db upgrade")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.add_typer(db_app, name="db")
    app.add_typer(admin_app, name="admin")


def api_demo(folder, console, answers: dict) -> None:
    """Step 5 of the demo: the outcome API on a SQLite file in ``folder``, with a demo
    client; a submission, its xAPI statement and peer statistics over real HTTP (uvicorn
    on 127.0.0.1, stopped at the end). Skipped without the ``[api]`` extra."""
    try:
        import httpx
        import uvicorn

        from clusterexcellence.api import migrate
        from clusterexcellence.api.clients import service
        from clusterexcellence.api.database import make_engine, make_sessionmaker
        from clusterexcellence.api.main import create_app
        from clusterexcellence.api.settings import Settings
    except ImportError:
        console.print("the API extra is not installed (pip install 'cluster-excellence[api]')")
        return
    import socket
    import threading
    import time

    url = f"sqlite:///{(folder / 'api.db').resolve()}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with make_sessionmaker(engine)() as session:
        row, token = service.create_client(
            session=session, name="demo-lms", role="lms", caller=None
        )
    engine.dispose()
    token_file = folder / "api-token.txt"
    token_file.write_text(token + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(Settings(database_url=url)), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    if not server.started:
        raise fail("the demo API server did not start")
    base = f"http://127.0.0.1:{port}"
    try:
        auth = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=auth, timeout=30) as http:
            body = {
                "instrument": {"id": "competency-self-test", "version": 1},
                "learner_id": "demo-learner",
                "answers": answers,
                "consent": {"share_with_label_body": False, "share_with_club": True},
                "peer_group": {"portfolio": "ict"},
            }
            created = http.post("/results", json=body, headers={"Idempotency-Key": "demo-1"})
            created.raise_for_status()
            result = created.json()
            overall = result["outcome"]["overall"]
            console.print(
                f"POST /results → {created.status_code}: result {result['id']}, overall "
                f"{overall['score']:.2f} ({overall['level']}), scored by the server"
            )
            statement = http.get(f"/results/{result['id']}/xapi").json()
            console.print(f"GET /results/{{id}}/xapi → verb {statement['verb']['id']}")
            peers = http.get(
                "/benchmarks/competency-self-test/versions/1", params={"portfolio": "ict"}
            ).json()
            stats = next(m for m in peers["measures"] if m["measure"] == "overall")["statistics"]
            console.print(
                f"GET /benchmarks/... → {stats['n']} ict peers, "
                f"overall median {stats['median']:.2f}"
            )
            position = http.get(f"/results/{result['id']}/benchmark?same=portfolio").json()
            pct = next(p for p in position["positions"] if p["measure"] == "overall")
            console.print(f"GET /results/{{id}}/benchmark → percentile {pct['percentile']:.0f}")
    finally:
        server.should_exit = True
        thread.join(15)
    console.print(
        f"serve it: cluster-excellence serve --database-url {url}\n"
        f"(the demo client's token is in {token_file}; docs at /docs)"
    )
