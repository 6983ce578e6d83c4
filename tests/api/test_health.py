from fastapi.testclient import TestClient

from clusterexcellence.api import migrate
from clusterexcellence.api.database import make_engine
from clusterexcellence.api.main import create_app
from clusterexcellence.api.settings import Settings


def test_healthz_answers_without_credentials(api):
    r = api.http.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_reports_the_migrated_revision(api):
    r = api.http.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {"status": "ready", "revision": migrate.head()}


def test_readyz_is_503_on_a_database_that_is_not_migrated(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    r = TestClient(app).get("/readyz")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert "revision None" in r.json()["detail"]


def test_readyz_is_503_when_the_database_is_one_revision_behind(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    migrate.downgrade(engine, "-1")
    r = TestClient(create_app(Settings(database_url=url))).get("/readyz")
    assert r.status_code == 503


def test_readyz_is_503_when_the_database_is_unreachable():
    url = "postgresql://nobody:nothing@127.0.0.1:9/none?connect_timeout=1"
    r = TestClient(create_app(Settings(database_url=url))).get("/readyz")
    assert r.status_code == 503
    assert "unreachable" in r.json()["detail"]
    assert "nobody" not in r.text  # no connection details leak


def test_the_sqlite_default_runs_with_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'api.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (tmp_path / "sub" / "api.db").exists()


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLUSTEREXCELLENCE_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("CLUSTEREXCELLENCE_MAX_BODY_BYTES", "4096")
    s = Settings()
    assert s.database_url == "sqlite:///elsewhere.db" and s.max_body_bytes == 4096
    monkeypatch.delenv("CLUSTEREXCELLENCE_DATABASE_URL")
    assert Settings().database_url == "sqlite:///./var/api.db"
