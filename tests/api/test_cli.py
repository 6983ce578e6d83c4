"""``cluster-excellence db`` and ``admin``: migrate, create a client whose token works."""

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from clusterexcellence.api.main import create_app
from clusterexcellence.api.settings import Settings
from clusterexcellence.cli.main import app


def run(*args: str, url: str):
    result = CliRunner().invoke(app, [*args, "--database-url", url])
    return result


def test_db_upgrade_current_downgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'api.db'}"
    assert "current: base" in run("db", "current", url=url).output
    r = run("db", "upgrade", url=url)
    assert r.exit_code == 0 and "revision 0001" in r.output
    assert "current: 0001; head: 0001" in run("db", "current", url=url).output
    r = run("db", "downgrade", "base", url=url)
    assert r.exit_code == 0 and "revision base" in r.output


def test_admin_create_client_prints_a_working_token_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'api.db'}"
    assert run("admin", "create-client", "x", url=url).exit_code == 1  # not migrated
    run("db", "upgrade", url=url)
    r = run("admin", "create-client", "root", "--role", "admin", url=url)
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    assert token.startswith("cex_")
    http = TestClient(create_app(Settings(database_url=url)))
    assert http.get("/clients", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listing = run("admin", "list-clients", url=url).output
    assert "root" in listing and token not in listing
    client_id = listing.split()[0]
    assert run("admin", "revoke-client", client_id, url=url).exit_code == 0
    assert http.get("/clients", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_admin_create_client_refuses_an_unknown_role(tmp_path):
    url = f"sqlite:///{tmp_path / 'api.db'}"
    run("db", "upgrade", url=url)
    r = run("admin", "create-client", "x", "--role", "king", url=url)
    assert r.exit_code == 1 and "unknown role" in r.output
