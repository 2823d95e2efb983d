"""One typed Settings object: every setting is read here, and so is everything else this package reads
from the environment (the named functions at the end; tests/test_environment_reads.py fails on a read
anywhere else)."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from socialdesk.domain.incidents.outreach import parse_pace


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
    agent_idle_minutes: float = Field(
        default=15,
        gt=0,
        description=(
            "Minutes without a key, click or page in the browser after which an online agent is set away "
            "(no new cases); the next activity brings them back online."
        ),
    )
    login_failures_per_account: int = Field(
        default=10,
        ge=1,
        description=(
            "Wrong passwords for one email within the failure window before its logins answer 429 "
            "(even with the right password) until the window has passed; a successful login resets it."
        ),
    )
    login_failures_per_address: int = Field(
        default=30,
        ge=1,
        description=(
            "Wrong passwords from one client address (IPv6: its /64) within the failure window before "
            "its logins answer 429."
        ),
    )
    token_failures_per_address: int = Field(
        default=20,
        ge=1,
        description=(
            "Wrong or expired API tokens from one client address within the failure window before its "
            "API calls answer 429."
        ),
    )
    auth_failure_window_seconds: int = Field(
        default=900,
        ge=1,
        description="The window, in seconds, over which wrong passwords and wrong tokens are counted.",
    )
    password_hash_slots: int = Field(
        default=4,
        ge=1,
        description=("Password hashes (argon2, 64 MiB each) one web process runs at once; more logins wait."),
    )
    password_hash_wait_seconds: float = Field(
        default=2.0,
        ge=0,
        description=(
            "How long a login waits for a free hashing slot before it answers 503 (busy) with Retry-After."
        ),
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated addresses or networks (such as 127.0.0.1,10.0.0.0/8) of reverse proxies "
            "whose X-Forwarded-For header gives the client address for throttling. Empty (default): the "
            "header is ignored and the connection's peer address is the client."
        ),
    )
    data_dir: Path = Field(
        default=Path("../shared/data"),
        description="Folder of the public datasets used by ingest, train and tests.",
    )
    dispatch_interval: float = Field(
        default=0.5, description="Seconds between outbox dispatcher passes in `serve` and `demo`."
    )
    outbox_lease_seconds: float = Field(
        default=5.0,
        gt=0.5,
        le=600,
        description=(
            "Seconds an outbox relay (dispatcher) may go without a heartbeat before another relay takes "
            "over the replies it claimed (it beats five times per lease): how soon a crashed relay's "
            "replies resume. Keep it above the clock skew between machines and the time a send takes "
            "to reach the network."
        ),
    )
    triage: bool = Field(
        default=True,
        description="Classify every ingested post (needs reply, category, sentiment, urgency...).",
    )
    triage_care_model: Literal["auto", "on", "off"] = Field(
        default="auto",
        description=(
            "The second triage stage (MiniLM sentence embedding + quantised heads) on posts that reached "
            "care (care monitor, brand mention, direct message): auto = on when the model is packaged and "
            "its encoder installed (the ml extra), else off; on = required (start-up fails without it); off."
        ),
    )
    triage_processes: int = Field(
        default_factory=lambda: 1 if (os.cpu_count() or 1) > 1 else 0,
        ge=0,
        description=(
            "Child processes that triage posts ahead of the embedded ingest writer, on other cores "
            "(default: 1 where the machine has two cores or more, else 0: the writer triages)."
        ),
    )
    ingest_group_posts: int = Field(
        default=1000,
        ge=1,
        description=(
            "Embedded mode: the most posts the ingest writer stores in one transaction when batches "
            "queue up (group commit)."
        ),
    )
    ingest_queue_posts: int = Field(
        default=2000,
        ge=1,
        description=(
            "Embedded mode: the most posts waiting for the ingest writer; callers wait beyond that."
        ),
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description=(
            "The largest request body any route accepts unless it declares another limit (413 beyond)."
        ),
    )
    ingest_max_body_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=1024,
        description="The largest request body of POST /api/v1/posts (batches of up to 5000 posts).",
    )
    webhook_max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="The largest request body of the webhook receivers (/api/v1/webhooks/...).",
    )
    native_matcher: bool = Field(
        default=True,
        description=(
            "Match monitors with the C matcher where it was built (needs a C compiler at install); "
            "false: the pure-Python matcher, the same results more slowly."
        ),
    )
    unscripted_similarity: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description=(
            "The unscripted guard's threshold: a public reply whose similarity (shingled Jaccard of its "
            "words, 0 to 1) to one of its brand's public replies of the last 24 hours reaches it is "
            "near-identical: the composer warns and asks the agent to confirm (docs/knowledge.md)."
        ),
    )
    incident_detection: bool = Field(
        default=True,
        description=(
            "Feed each stored customer post to the workspace's incident detector and store the incidents "
            "it opens (docs/incidents.md); false: no detection (agents may still create problems)."
        ),
    )
    incident_reply_pace: str = Field(
        default="default=20",
        description=(
            "How many of an incident's replies (answer everyone affected, and the follow-ups when it is "
            "fixed) each network takes a minute, as NETWORK=PER_MINUTE pairs separated by commas, e.g. "
            "`default=20,mastodon=30`; `default` is for the networks not named. The dispatcher spaces "
            "them out accordingly."
        ),
    )
    incident_followup: Literal["send", "queue"] = Field(
        default="queue",
        description=(
            "When an incident is resolved: `send` writes each affected customer a personal 'it's fixed: "
            "is it working for you now?' through the outbox at once; `queue` leaves it to agents as a "
            "follow-up (with the drafted text) in the promise ledger."
        ),
    )
    demo_posts_per_minute: float = Field(
        default=40.0, description="How fast `socialdesk demo` streams generated traffic into the inbox."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description=(
            "Fernet key that encrypts channel credentials at rest (create one with "
            "`socialdesk channels key`). Required to store or use channel credentials; never logged."
        ),
    )
    allow_private_urls: bool = Field(
        default=False,
        description=(
            "Let channel URLs (instances, feeds, API bases, Bluesky services) reach loopback, private "
            "(RFC 1918), CGNAT and unique-local addresses: for on-premises installs and tests. Off: "
            "only public addresses are fetched. Link-local addresses (cloud metadata) are refused "
            "either way."
        ),
    )
    api_prices: str = Field(
        default="",
        description=(
            "Unit prices in US dollars of pay-per-use network APIs, overriding the documented defaults "
            '(docs/channels.md, "API spend"): comma-separated network:price=dollars, for example '
            '"x:post_read=0.005,x:post_create=0.015". Spend shows on the channels page and stops at '
            "an account's monthly_cap_usd."
        ),
    )
    channel_runner: bool = Field(
        default=True,
        description=(
            "Run the channel clients (pollers, streams) inside `socialdesk serve`. Turn off when "
            "`socialdesk worker --stage channels` runs them, or with several web processes."
        ),
    )
    serve_relay_and_checks: bool = Field(
        default=True,
        description=(
            "Run the outbox relay and the care clocks (SLA, follow-ups) inside `socialdesk serve`. "
            "Turn off when `socialdesk worker --stage deliver` and `--stage checks` run them, so they "
            "run once however many web processes there are (`socialdesk dev-cluster` does)."
        ),
    )
    channel_check_interval: float = Field(
        default=30.0,
        description=(
            "Seconds between the channel runner's checks: health, read spend, silence alarm, new accounts."
        ),
    )
    silence_alarm_minutes: float = Field(
        default=60.0,
        description="A busy channel with no posts for this many minutes is marked degraded (0: no alarm).",
    )
    silence_alarm_min_hourly: float = Field(
        default=2.0,
        description=(
            "A channel counts as busy when it averaged more posts an hour than this over the last day."
        ),
    )

    @field_validator("incident_reply_pace")
    @classmethod
    def _pace_parses(cls, value: str) -> str:
        parse_pace(value)  # raises ValueError naming the part at fault
        return value

    @field_validator("api_prices")
    @classmethod
    def _prices_are_well_formed(cls, value: str) -> str:
        from socialdesk.domain.api_spend import parse_prices

        parse_prices(value, None)  # the names are checked against the networks' tables at start
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: str) -> str:
        for part in (p.strip() for p in value.split(",")):
            if part:
                try:
                    ipaddress.ip_network(part, strict=False)
                except ValueError:
                    raise ValueError(f"{part!r} is not an address or network (such as 10.0.0.0/8)") from None
        return value


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]


# --- The environment outside Settings ------------------------------------------------------------------
# Every read of the process environment is in this module: tests/test_environment_reads.py fails on one
# anywhere else in the package. docs/settings.md lists these beside the settings.


def environment_dataset_dir() -> Path | None:
    """`SOCIALDESK_DATA_DIR` for the dataset readers of `train` and `evaluate`; None when unset or empty."""
    value = os.environ.get("SOCIALDESK_DATA_DIR")
    return Path(value) if value else None


def environment_model_cache_dir() -> Path | None:
    """`SOCIALDESK_CACHE_DIR`, where the optional `[ml]` teacher model is looked for; None when unset."""
    value = os.environ.get("SOCIALDESK_CACHE_DIR")
    return Path(value) if value else None


def environment_bench_database_url(*, or_test_url: bool = True) -> str | None:
    """An existing PostgreSQL for the benches: `SOCIALDESK_BENCH_DATABASE_URL`, then (unless told not
    to) `SOCIALDESK_TEST_DATABASE_URL`; None means start an embedded one."""
    url = os.environ.get("SOCIALDESK_BENCH_DATABASE_URL")
    if not url and or_test_url:
        url = os.environ.get("SOCIALDESK_TEST_DATABASE_URL")
    return url or None


def environment_secret(variable: str) -> str | None:
    """The credential in the variable a `--*-env` option names (secrets never sit on a command line);
    None when it is unset or empty."""
    return os.environ.get(variable) or None


def environment_is_set(variable: str) -> bool:
    """Whether the process environment has `variable` (a tool's own, such as `XDG_RUNTIME_DIR`)."""
    return variable in os.environ


def set_environment_default(variable: str, value: str) -> None:
    """Set `variable` for this process and its children unless it is set already."""
    os.environ.setdefault(variable, value)


BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> str | None:
    """Ask numpy's BLAS for one thread unless the user chose otherwise (figures per core, as the
    knowledge benches report them); returns the OpenBLAS thread count in force."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    return os.environ.get("OPENBLAS_NUM_THREADS")


def child_environment(overrides: dict[str, str]) -> dict[str, str]:
    """The environment for a child process: this process's, with `overrides`."""
    return {**os.environ, **overrides}
