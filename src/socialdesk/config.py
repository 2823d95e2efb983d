"""One typed Settings object; nothing else in socialdesk reads the environment."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SOCIALDESK_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/socialdesk.db",
        description="Where data lives: sqlite:///path.db (default) or postgresql://user:pass@host/db.",
    )
    nats_url: str | None = Field(
        default=None, description="NATS server for scale-out mode; unset means the in-process bus."
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, description="Port the web server listens on.")
    cookie_secure: bool = Field(
        default=True,
        description="Send the session cookie with the Secure flag (browsers accept it on http://localhost).",
    )
    session_hours: int = Field(default=12, description="How long a web login lasts, in hours.")
    data_dir: Path = Field(
        default=Path("../shared/data"),
        description="Folder of the public datasets used by ingest, train and tests.",
    )
    dispatch_interval: float = Field(
        default=0.5, description="Seconds between outbox dispatcher passes in `serve` and `demo`."
    )
    triage: bool = Field(
        default=True,
        description="Classify every ingested post (needs reply, category, sentiment, urgency...).",
    )
    demo_posts_per_minute: float = Field(
        default=40.0, description="How fast `socialdesk demo` streams generated traffic into the inbox."
    )


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
