"""Brand channel accounts: register them, ingest what they carry, keep their health, cursors and budget.

Secrets never reach this module in clear after `check_add_channel_account`: they are sealed
(encrypted) by the `CredentialSealer` the caller passes, and stored sealed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.roles import require_admin
from socialdesk.actions.care.audit import record_config_change
from socialdesk.actions.care.notifications import notify_reviewers
from socialdesk.actions.inbox.annotate import Annotator
from socialdesk.actions.inbox.delivery_reports import do_record_delivery_reports, split_reports
from socialdesk.actions.inbox.ingest import IngestReport, do_ingest_posts
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import User
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import PostError, post_from_dict
from socialdesk.ports.channels import (
    ChannelAccount,
    ChannelHealthRow,
    CredentialSealer,
    NetworkCatalog,
    NetworkSchema,
    NewChannelAccount,
    ReadBudget,
    UrlChecker,
)
from socialdesk.ports.ingest import Acceptance, PostSink
from socialdesk.ports.uow import UnitOfWork

MISSING_KEY = (
    "SOCIALDESK_SECRET_KEY is not set, so credentials cannot be stored encrypted; "
    "create one with `socialdesk channels key` and set it in the environment of every socialdesk process"
)


def network_schema(networks: NetworkCatalog, network: str) -> NetworkSchema:
    """The schema of ``network``; ValidationFailed naming the known networks when there is none."""
    found = networks.schema(network)
    if found is None:
        raise ValidationFailed(f"network {network!r}: expected one of {', '.join(networks.names())}")
    return found


def _check_settings(
    network: str, schema: NetworkSchema, settings: Mapping[str, Any], urls: UrlChecker
) -> dict[str, Any]:
    allowed = set(schema.settings)
    unknown = sorted(set(settings) - allowed)
    if unknown:
        expected = ", ".join(sorted(allowed)) or "none"
        raise ValidationFailed(f"{network}: unknown setting {', '.join(unknown)}; expected {expected}")
    for name in schema.required_settings:
        if not str(settings.get(name) or "").strip():
            raise ValidationFailed(f"{network}: the setting {name} is required")
    clean = {k: v.strip() if isinstance(v, str) else v for k, v in settings.items() if v not in (None, "")}
    for name in schema.url_settings:
        if name in clean and urlsplit(str(clean[name])).scheme not in ("http", "https"):
            raise ValidationFailed(f"{network}: {name} must be an http(s) URL, not {str(clean[name])[:80]!r}")
        refused = urls.refusal(str(clean[name])) if name in clean else None
        if refused is not None:
            raise ValidationFailed(f"{name}: {refused}")
    mode = clean.get("mode")
    if mode is not None and mode not in schema.modes:
        raise ValidationFailed(f"{network}: mode {mode!r}; expected one of {', '.join(schema.modes)}")
    if "interval" in clean:
        try:
            interval = float(clean["interval"])
        except (TypeError, ValueError):
            raise ValidationFailed(f"{network}: interval must be a number of seconds") from None
        clean["interval"] = interval
        if interval < 1:
            raise ValidationFailed(f"{network}: interval must be at least 1 second")
    if "direct_messages" in clean:
        flag = clean["direct_messages"]
        words = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
        if not isinstance(flag, bool) and str(flag).lower() not in words:
            raise ValidationFailed(f"{network}: direct_messages must be true or false")
        clean["direct_messages"] = flag if isinstance(flag, bool) else words[str(flag).lower()]
    problem = schema.check(clean) if schema.check is not None else None
    if problem:
        raise ValidationFailed(f"{network}: {problem}")
    return clean


def _check_secrets(network: str, schema: NetworkSchema, secrets: Mapping[str, str]) -> dict[str, str]:
    allowed = set(schema.secrets)
    unknown = sorted(set(secrets) - allowed)
    if unknown:
        expected = ", ".join(sorted(allowed)) or "none"
        raise ValidationFailed(f"{network}: unknown credential {', '.join(unknown)}; expected {expected}")
    missing = [name for name in schema.required_secrets if not str(secrets.get(name) or "").strip()]
    if missing:
        raise ValidationFailed(f"{network}: the credential {', '.join(missing)} is required")
    return {k: v.strip() for k, v in secrets.items() if v and v.strip()}


def check_add_channel_account(
    uow: UnitOfWork,
    user: User,
    network: str,
    handle: str,
    settings: Mapping[str, Any],
    secrets: Mapping[str, str],
    sealer: CredentialSealer | None,
    now: datetime,
    *,
    urls: UrlChecker,
    networks: NetworkCatalog,
    budget_reads: int | None = None,
    budget_window_seconds: int = 900,
) -> ChannelAccount:
    """Register a channel account (admins only); its secrets are stored sealed, never in clear.

    ``networks`` (the network registry) says what the network's accounts are configured with. Where
    the handle is the brand's own account (X, Mastodon, Bluesky: ``NetworkSchema.brand_account``) it
    is also registered as a brand account, so the brand's own posts arriving through the channel are
    filed as outbound replies. URL settings must pass ``urls`` (the URL policy): no private address
    unless the server allows them.
    """
    require_admin(user, "connect channel accounts")
    schema = network_schema(networks, network)
    handle = handle.strip().lstrip("@")
    if not handle or len(handle) > 300:
        raise ValidationFailed("handle: 1 to 300 characters")
    clean = _check_settings(network, schema, settings, urls)
    sealed_values = _check_secrets(network, schema, secrets)
    if budget_reads is not None and budget_reads < 1:
        raise ValidationFailed("budget_reads: at least 1 read per window (or none for no budget)")
    if budget_window_seconds < 1:
        raise ValidationFailed("budget_window_seconds: at least 1")
    if budget_reads is None and schema.default_budget is not None:
        budget_reads, budget_window_seconds = schema.default_budget  # the network's own quota
    if any(
        a.network == network and a.handle.casefold() == handle.casefold()
        for a in uow.channels.list(user.workspace_id)
    ):
        raise ValidationFailed(f"channel account {network}:{handle} already exists")
    sealed = None
    if sealed_values:
        if sealer is None:
            raise ValidationFailed(MISSING_KEY)
        sealed = sealer.seal(sealed_values)
    if schema.brand_account:
        known = {b.id for b in uow.brands.list(user.workspace_id)}
        brand = check_add_brand_account(uow, user.workspace_id, network, handle, clean.get("user_id"))
        if brand.id not in known:
            after = {"channel": network, "handle": brand.handle, "external_id": brand.external_id}
            record_config_change(
                uow, user, now, "brand_account_added", brand_id=brand.id, before=None, after=after
            )
    new = NewChannelAccount(network, handle, clean, sealed, budget_reads, budget_window_seconds)
    account = uow.channels.add(user.workspace_id, new, now)
    record_config_change(
        uow,
        user,
        now,
        "channel_added",
        account_id=account.id,
        before=None,
        after=channel_audit_state(account),
    )
    uow.emit(
        Event(
            user.workspace_id, EventKind.CHANNEL_ADDED, {"account_id": account.id, "channel": account.label}
        )
    )
    return account


def channel_audit_state(account: ChannelAccount) -> dict[str, Any]:
    """An account as the audit trail shows it: never its secrets (only whether it has some), and URLs
    without any ``user:password@`` part."""
    settings = {name: _without_userinfo(value) for name, value in account.settings.items()}
    return {
        "channel": account.label,
        "settings": settings,
        "has_credentials": account.sealed_credentials is not None,
        "is_active": account.is_active,
        "budget_reads": account.budget.reads,
        "budget_window_seconds": account.budget.window_seconds,
    }


def _without_userinfo(value: Any) -> Any:
    """An http(s) URL setting without its ``user:password@`` part; any other value as it is."""
    if not isinstance(value, str):
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or "@" not in parts.netloc:
        return value
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def check_test_channel_account(uow: UnitOfWork, user: User, account_id: int) -> ChannelAccount:
    """The account an admin may probe: a probe sends its credentials to its network, so admins only."""
    require_admin(user, "test channel accounts")
    return access_channel_account(uow, user, account_id)


def list_channel_accounts(uow: UnitOfWork, user: User) -> list[ChannelAccount]:
    return uow.channels.list(user.workspace_id)


def access_channel_account(uow: UnitOfWork, user: User, account_id: int) -> ChannelAccount:
    """The one way to fetch an account for a user: other workspaces' accounts are "not found"."""
    account = uow.channels.get(user.workspace_id, account_id)
    if account is None:
        raise NotFound(f"channel account {account_id}")
    return account


def find_webhook_account(uow: UnitOfWork, account_id: int, network: str) -> ChannelAccount | None:
    """An active account of ``network`` by id alone (webhook receivers authenticate by signature)."""
    account = uow.channels.find(account_id)
    return account if account is not None and account.network == network and account.is_active else None


NEEDS_CREDENTIALS = "channel_needs_credentials"  # the notification kind

# -- ingest ------------------------------------------------------------------------------------------


@dataclass
class ChannelIngestReport:
    report: IngestReport = field(default_factory=IngestReport)
    errors: list[PostError] = field(default_factory=list)


def do_ingest_channel_posts(
    uow: UnitOfWork,
    account: ChannelAccount,
    posts: Sequence[dict[str, Any]],
    now: datetime,
    annotator: Annotator | None = None,
) -> ChannelIngestReport:
    """Store a batch a channel delivered (normalized post dicts) and count it as the account's traffic.

    The caller commits; a client saves its cursor only after that commit.
    """
    result = ChannelIngestReport()
    good: list[Post] = []
    for position, data in enumerate(posts, start=1):
        parsed = post_from_dict(data, line=position)
        if isinstance(parsed, PostError):
            result.errors.append(parsed)
        else:
            good.append(parsed)
    if good:
        result.report = do_ingest_posts(uow, account.workspace_id, good, now, annotator)
    uow.channels.record_posts(account.workspace_id, account.id, len(good), now)
    return result


@dataclass
class ChannelAcceptance:
    acceptance: Acceptance
    errors: list[PostError] = field(default_factory=list)  # posts that are not valid, by position


def accept_channel_posts(
    sink: PostSink,
    uow_factory: Callable[[], UnitOfWork],
    account: ChannelAccount,
    posts: Sequence[dict[str, Any]],
    now: datetime,
) -> ChannelAcceptance:
    """Hand a batch a channel delivered (normalized post dicts) to the post sink, then count it as
    the account's traffic. Returns once the valid posts are durably accepted (see ports/ingest.py):
    only then may a client save its cursor. Raises, counting nothing, when the sink cannot accept."""
    errors: list[PostError] = []
    good: list[Post] = []
    reports, posts = split_reports(posts)  # bounces and automatic replies: never customer posts
    for position, data in enumerate(posts, start=1):
        parsed = post_from_dict(data, line=position)
        if isinstance(parsed, PostError):
            errors.append(parsed)
        else:
            good.append(parsed)
    acceptance = sink.accept(account.workspace_id, good)
    with uow_factory() as uow:
        uow.channels.record_posts(account.workspace_id, account.id, acceptance.accepted, now)
        # Recorded on the sent messages once the posts are in, so a batch fetched again after a failed
        # ingest records its reports once.
        do_record_delivery_reports(uow, account.workspace_id, account.network, reports, now)
    return ChannelAcceptance(acceptance, errors)


# -- cursors -----------------------------------------------------------------------------------------


def get_channel_cursor(uow: UnitOfWork, account: ChannelAccount, key: str) -> str | None:
    return uow.channels.get_cursor(account.workspace_id, account.id, key)


def do_set_channel_cursor(
    uow: UnitOfWork, account: ChannelAccount, key: str, value: str, now: datetime
) -> None:
    uow.channels.set_cursor(account.workspace_id, account.id, key, value, now)


# -- read budget -------------------------------------------------------------------------------------


def rolled_budget(budget: ReadBudget, now: datetime) -> ReadBudget:
    """The budget as of ``now``: a new window (nothing spent) once the current one has passed."""
    started = budget.window_started_at
    if started is None or now >= started + timedelta(seconds=budget.window_seconds):
        return replace(budget, spent=0, window_started_at=now)
    return budget


def budget_spent(budget: ReadBudget, now: datetime) -> bool:
    rolled = rolled_budget(budget, now)
    return rolled.reads is not None and rolled.spent >= rolled.reads


def do_spend_reads(uow: UnitOfWork, account: ChannelAccount, reads: int, now: datetime) -> ReadBudget:
    current = uow.channels.get(account.workspace_id, account.id)
    budget = rolled_budget(current.budget if current else account.budget, now)
    budget = replace(budget, spent=budget.spent + max(reads, 0))
    uow.channels.set_budget(account.workspace_id, account.id, budget)
    return budget


# -- health and the silence alarm --------------------------------------------------------------------

SILENCE_PREFIX = "no posts for "


def silence_alarm(
    uow: UnitOfWork, account: ChannelAccount, now: datetime, *, minutes: float, busy_per_hour: float
) -> str | None:
    """``"no posts for N minutes"`` when a channel that usually has traffic (more than
    ``busy_per_hour`` posts an hour on average over the last day) has been silent ``minutes``."""
    if minutes <= 0 or account.last_post_at is None:
        return None
    if now - account.last_post_at < timedelta(minutes=minutes):
        return None
    day_ago = (now - timedelta(hours=24)).replace(minute=0, second=0, microsecond=0)
    hourly = uow.channels.posts_since(account.workspace_id, account.id, day_ago) / 24
    if hourly <= busy_per_hour:
        return None
    return f"{SILENCE_PREFIX}{minutes:g} minutes"


def do_update_channel_health(
    uow: UnitOfWork,
    account: ChannelAccount,
    reported: ChannelHealthRow,
    now: datetime,
    *,
    alarm: str | None = None,
) -> ChannelHealthRow:
    """Persist what the client reports, or ``alarm`` (degraded) while the client thinks all is well.

    Emits ``channel.health`` when the state changes and ``channel.alarm`` when an alarm starts.
    """
    health = reported
    if alarm and reported.state in ("starting", "connected"):
        health = ChannelHealthRow("degraded", alarm, None, reported.last_error, reported.changed_at)
    previous = account.health
    same_state = health.state == previous.state
    health = replace(health, changed_at=previous.changed_at if same_state and previous.changed_at else now)
    if (health.state, health.reason, health.until, health.last_error) == (
        previous.state,
        previous.reason,
        previous.until,
        previous.last_error,
    ):
        return previous
    uow.channels.set_health(account.workspace_id, account.id, health)
    data = {
        "account_id": account.id,
        "channel": account.label,
        "state": health.state,
        "reason": health.reason,
    }
    if not same_state:
        uow.emit(Event(account.workspace_id, EventKind.CHANNEL_HEALTH, data))
    if alarm and health.reason == alarm and previous.reason != alarm:
        uow.emit(Event(account.workspace_id, EventKind.CHANNEL_ALARM, data))
    return health


def list_active_channel_accounts(uow: UnitOfWork) -> list[ChannelAccount]:
    """Every workspace's active accounts: for the runner and the dispatcher's senders, not for users."""
    return uow.channels.list_active()


def do_mark_needs_credentials(uow: UnitOfWork, account_id: int, reason: str, now: datetime) -> None:
    """The network refused the account's credentials while sending (a revoked or expired token): the
    account is broken with the network's reason until an admin gives new credentials, which reset it
    to ``starting`` (actions/channels/config.py). When it was not broken already, ``channel.health`` is
    emitted and every active admin is notified (``channel_needs_credentials``)."""
    account = uow.channels.find(account_id)
    if account is None:
        return
    was_broken = account.health.state == "broken"
    do_update_channel_health(uow, account, ChannelHealthRow("broken", reason, last_error=reason), now)
    if was_broken:
        return
    data = {"account_id": account.id, "channel": account.label, "text": reason}
    notify_reviewers(uow, account.workspace_id, NEEDS_CREDENTIALS, now, None, **data)
