"""Who may do what. Every ``check_*`` action that needs a role asks here, so the API, the UI and the CLI
share one answer (views only turn `PermissionDenied` into a 403).

The policy, in short (docs/security.md has the table):

* **admins** configure the workspace: monitors, spam rules, channel accounts (and their probes), teams
  and members, routing rules, the SLA policy, approval rules, saved replies for everyone; they review
  held replies, export the audit trail, see the dead letters and feed posts in through the API;
* **agents** work cases: read the inbox and the workspace's configuration, reply, note, assign, hand
  off, merge and split, set status and priority, correct triage labels, keep their own saved replies
  and their teams', set their own status;
* **team leads** may do all an agent may, and configure the care workflow: teams and members, routing
  rules, the SLA policy, approval rules, and agents' capacity, training flag and skills (not users'
  roles, passwords or accounts, nor monitors, channels or brands); they run incidents (confirm,
  resolve, own, answer everyone affected), which agents read, note and add conversations to;
* an **agent in training** may do all an agent may; their replies wait for an approver;
* a **knowledge editor** may do all an agent may, and reviews knowledge-base articles: approves,
  rejects, publishes and archives them, edits published ones and imports articles. Admins may too.
  Any agent may write a draft article and submit it for review.
"""

from __future__ import annotations

from socialdesk.domain.errors import PermissionDenied
from socialdesk.domain.people import Role, User


def require_admin(user: User, what: str) -> None:
    """Refuse a non-admin: ``what`` completes "only admins ...", e.g. "change spam rules"."""
    if not user.is_admin:
        raise PermissionDenied(f"only admins {what}")


def check_ingest_allowed(user: User) -> None:
    """Posts fed in through the API become customer messages, so only admins' (integration) tokens may
    send them: an agent must not be able to put words in a customer's mouth."""
    require_admin(user, "feed posts in through the API")


def check_incident_public_text_allowed(user: User) -> None:
    """An incident's public status text is published as it is (the status endpoint, the snippet), so an
    agent in training may not set it: their words wait for an approver elsewhere too."""
    if user.in_training and not user.is_admin:
        raise PermissionDenied("an agent in training may not set an incident's public status text")


def check_incident_command_allowed(user: User, what: str) -> None:
    """Running an incident (confirming, resolving or reopening it, choosing its owner, answering
    everyone it affects, holding its replies for approval) is for admins and team leads; any agent
    reads incidents, notes them and adds or removes their conversations. ``what`` completes "only
    admins and team leads ..."."""
    if not user.configures_care:
        raise PermissionDenied(f"only admins and team leads {what}")


def require_care_configuration(user: User, what: str) -> None:
    """Refuse anyone but admins and team leads: ``what`` completes "only admins and team leads ..."."""
    if not user.configures_care:
        raise PermissionDenied(f"only admins and team leads {what}")


def check_settings_allowed(user: User, what: str, *, leads: bool = False) -> None:
    """The workspace's settings pages are for those who change them: admins, and team leads for the
    care workflow's pages (``leads``); ``what`` completes the refusal, e.g. "manage teams"."""
    if leads:
        require_care_configuration(user, what)
    else:
        require_admin(user, what)


def is_knowledge_reviewer(user: User) -> bool:
    return user.is_admin or user.role is Role.KNOWLEDGE_EDITOR


def check_kb_review_allowed(user: User, what: str) -> None:
    """Refuse anyone but admins and knowledge editors: ``what`` completes "only ... may", e.g.
    "approve an article"."""
    if not is_knowledge_reviewer(user):
        raise PermissionDenied(f"only admins and knowledge editors may {what}")


def check_macros_allowed(user: User) -> None:
    """Macros are the team's: one applied changes a conversation's reply, tags, status, assignment and
    follow-up at a key press, so admins and team leads keep the set; every agent applies them."""
    require_care_configuration(user, "create, change or delete macros")
