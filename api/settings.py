"""Settings of the API, read from the environment (``CLUSTEREXCELLENCE_*``)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The embedded default: a SQLite file under ./var (WAL, foreign keys on).
DEFAULT_DATABASE_URL = "sqlite:///./var/api.db"


class Settings(BaseSettings):
    """What an API process needs; every field comes from ``CLUSTEREXCELLENCE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="CLUSTEREXCELLENCE_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL: sqlite:///PATH (default) or postgresql://USER:PW@HOST/DB.",
    )
    max_body_bytes: int = Field(256 * 1024, ge=1024, description="Largest request body.")
    benchmark_k: int = Field(5, ge=2, description="Smallest peer group given a statistic.")
    xapi_base_iri: str = Field(
        "https://clusterexcellence.example/xapi",
        description="Base of the IRIs of activities, verbs and extensions this API writes.",
    )
    db_pool_size: int = Field(
        4,
        ge=1,
        description="Connections kept per process (as many more may open under load); "
        "endpoint threads are twice this, so no thread waits for a connection.",
    )
