"""The world the permission table is checked in: two workspaces with one of everything a route can name.

Each workspace has an admin, a team lead, an agent, an agent in training (and a colleague in a team); a
conversation with its case and message, a held reply, a team, a routing rule, a spam rule, a monitor,
a saved reply, a problem and a channel account. Every role has an API token and a web session. The
database is built once (a template file) and copied for each route, so no route sees another's changes.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.credentials import do_create_api_token, do_start_session, hash_secret
from socialdesk.actions.accounts.invites import check_invite_user
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.care.macros import check_create_macro
from socialdesk.actions.care.saved_replies import check_add_saved_reply
from socialdesk.actions.care.teams import (
    check_add_member,
    check_add_routing_rule,
    check_create_team,
    check_update_agent,
)
from socialdesk.actions.care.threads import check_create_problem
from socialdesk.actions.channels.accounts import check_add_channel_account
from socialdesk.actions.inbox.conversations import list_conversations
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.actions.inbox.replies import check_reply
from socialdesk.actions.inbox.views import check_save_view
from socialdesk.actions.knowledge.articles import check_create_article, check_transition_article
from socialdesk.actions.listening.monitors import check_create_monitor
from socialdesk.actions.listening.rules import check_add_spam_rule
from socialdesk.channels.registry import REGISTRY
from socialdesk.config import Settings
from socialdesk.domain.knowledge import ArticleContent, Transition
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Author, Post, Visibility
from socialdesk.ports.care import NewRoutingRule
from socialdesk.ports.desk import MacroFields
from socialdesk.ports.inbox import ConversationQuery
from socialdesk.ports.uow import UnitOfWork
from socialdesk.runtime import Runtime, build_runtime

ADMIN, LEAD, AGENT, TRAINEE, ANONYMOUS = "admin", "team lead", "agent", "agent in training", "no session"
ROLES = (ANONYMOUS, TRAINEE, AGENT, LEAD, ADMIN)  # admins last: their changes cannot hide a refusal
PASSWORD = "correct-horse-7"


@dataclass(frozen=True)
class Credentials:
    user: User
    token: str  # API bearer token
    session: str  # the session cookie
    csrf: str  # the session's CSRF token


@dataclass
class Workspace:
    id: int
    people: dict[str, Credentials] = field(default_factory=dict)
    # What a path parameter can point at, by kind ("conversation", "case", "team"...).
    objects: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class World:
    template: Path
    mine: Workspace  # the callers' workspace
    theirs: Workspace  # another workspace: its objects must answer 404 to my callers

    def runtime(self, directory: Path) -> Runtime:
        """A runtime on a fresh copy of the world's database."""
        for part in self.template.parent.glob(self.template.name + "*"):
            shutil.copy(part, directory / part.name.replace("template", "copy"))
        return build_runtime(_settings(f"sqlite:///{directory}/copy.db"), migrate=False)


def _settings(url: str) -> Settings:
    """Private addresses allowed (as on premises): the world's feeds are on loopback, never elsewhere."""
    return Settings(database_url=url, allow_private_urls=True)


def _person(uow: UnitOfWork, ws_id: int, slug: str, role_name: str, now: datetime) -> Credentials:
    role = {ADMIN: Role.ADMIN, LEAD: Role.LEAD}.get(role_name, Role.AGENT)
    email = f"{role_name.replace(' ', '-')}@{slug}.io"
    user = check_create_user(uow, ws_id, email, role_name.title(), PASSWORD, role)
    token = do_create_api_token(uow, user, "permissions", now)
    started = do_start_session(uow, user, now, 24 * 365)
    return Credentials(user, token, started.token, started.session.csrf_token)


def _workspace(runtime: Runtime, slug: str) -> Workspace:
    now = datetime.now(UTC)
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, slug)
        brand = f"{slug.title()}Cares"
        brand_account = check_add_brand_account(uow, ws.id, "x", brand)
        world = Workspace(ws.id)
        for role_name in (ADMIN, LEAD, AGENT, TRAINEE):
            world.people[role_name] = _person(uow, ws.id, slug, role_name, now)
        admin = world.people[ADMIN].user
        colleague = check_create_user(uow, ws.id, f"colleague@{slug}.io", "Colleague", PASSWORD)
        colleague_token = uow.tokens.get_by_hash(
            hash_secret(do_create_api_token(uow, colleague, "colleague", now))
        )
        assert colleague_token is not None
        trainee = world.people[TRAINEE].user
        trainee = check_update_agent(uow, admin, trainee.id, {"in_training": True}, now)
        world.people[TRAINEE] = replace(world.people[TRAINEE], user=trainee)
        team = check_create_team(uow, admin, "Care", "least_loaded", "least_loaded", None, now)
        check_add_member(uow, admin, team.id, colleague.id, now)
        rule = check_add_routing_rule(
            uow, admin, NewRoutingRule(name="all", position=0, team_id=team.id), now
        )
        spam = check_add_spam_rule(uow, admin, "term", f"{slug} giveaway", now)
        monitor = check_create_monitor(uow, admin, name="brand", query=slug, now=now)
        saved = check_add_saved_reply(uow, admin, "Hi", "Hello {{customer.name}}", "workspace", None, now)
        problem = check_create_problem(uow, admin, "Outage", now)
        macro = check_create_macro(uow, admin, MacroFields("Thanks", "Thank you!", ("thanks",)), now)
        view = check_save_view(uow, admin, "Billing", {"tag": "billing"}, None, now)
        article = check_create_article(uow, admin, ArticleContent("Outages", "We post updates here."), now)
        article = check_transition_article(uow, admin, article.id, Transition.PUBLISH, now)
        settings = {"feed_url": "http://127.0.0.1:9/feed.xml"}  # loopback: the world reaches nothing else
        urls = runtime.channel_connector().url_policy
        feed = check_add_channel_account(
            uow, admin, "rss", f"{slug} news", settings, {}, None, now, urls=urls, networks=REGISTRY
        )
        posts = [
            Post(
                id=f"{slug}-{i}",
                channel="x",
                text=f"@{brand} my internet is down ({i})",
                created_at=now,
                author=Author(id=f"c{i}", handle=f"customer{i}", name=f"Customer {i}"),
            )
            for i in (1, 2)
        ]
        do_ingest_posts(uow, ws.id, posts, now)
        rows = list_conversations(uow, admin, ConversationQuery(limit=10))
        first, second = rows[0], rows[1]
        assert first.case is not None
        message = uow.messages.list_for_conversation(ws.id, first.conversation.id)[0]
        held = check_reply(uow, trainee, first.conversation.id, "We are on it", Visibility.PUBLIC, now)
        invitation = check_invite_user(uow, admin, f"invited@{slug}.io", "Invited", Role.AGENT, now)
        assert held.approval is not None, "a trainee's reply waits for an approver"
        uow.commit()
    world.objects.update(
        conversation=first.conversation.id,
        other_conversation=second.conversation.id,
        case=first.case.id,
        message=message.id,
        team=team.id,
        member=colleague.id,
        colleague_token=colleague_token.id,
        routing_rule=rule.id,
        spam_rule=spam.id,
        brand_account=brand_account.id,
        saved_reply=saved.id,
        monitor=monitor.id,
        problem=problem.id,
        macro=macro.id,
        inbox_view=view.id,
        article=article.id,
        approval=held.approval.id,
        channel=feed.id,
        workspace=ws.id,
        invite=invitation.token,
    )
    return world


def build_world(directory: Path) -> World:
    template = directory / "template.db"
    runtime = build_runtime(_settings(f"sqlite:///{template}"))
    try:
        mine, theirs = _workspace(runtime, "acme"), _workspace(runtime, "beta")
    finally:
        runtime.close()
    return World(template, mine, theirs)
