"""Knowledge-base articles through the actions: who may do what (the permission matrix), the state
machine, the version history and the audit trail, on real SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from socialdesk.actions.knowledge.articles import (
    check_create_article,
    check_import_articles,
    check_transition_article,
    check_update_article,
)
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.knowledge import ArticleContent, ArticleState, Transition
from socialdesk.domain.people import Role, User
from socialdesk.knowledge.records import parse_lines
from socialdesk.ports.uow import UnitOfWork

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
CONTENT = ArticleContent(title="Reset your password", body="Use the *forgot password* link.")
EDITED = ArticleContent(title="Reset your password", body="Use the link on the sign-in page.")


def _people(uow: UnitOfWork) -> dict[str, User]:
    ws = uow.workspaces.add("acme", "Acme")
    people = {
        role.value: uow.users.add(ws.id, f"{role.value}@acme.test", role.value, role, "x", "")
        for role in (Role.ADMIN, Role.AGENT, Role.KNOWLEDGE_EDITOR)
    }
    uow.commit()
    return people


def _article_in(uow: UnitOfWork, author: User, state: ArticleState) -> int:
    article = check_create_article(uow, author, CONTENT, NOW)
    if state is ArticleState.IN_REVIEW:
        check_transition_article(uow, author, article.id, Transition.SUBMIT, NOW)
    elif state is ArticleState.PUBLISHED:
        article = uow.articles.set_state(author.workspace_id, article.id, ArticleState.PUBLISHED, NOW)
    elif state is ArticleState.ARCHIVED:
        article = uow.articles.set_state(author.workspace_id, article.id, ArticleState.ARCHIVED, NOW)
    uow.commit()
    return article.id


REVIEWERS = {"admin": True, "knowledge_editor": True, "agent": False}
# (transition, from state): every reviewer-only transition is refused to an agent, allowed to reviewers
MATRIX = [
    (Transition.APPROVE, ArticleState.IN_REVIEW),
    (Transition.REJECT, ArticleState.IN_REVIEW),
    (Transition.PUBLISH, ArticleState.DRAFT),
    (Transition.PUBLISH, ArticleState.ARCHIVED),
    (Transition.ARCHIVE, ArticleState.PUBLISHED),
]


@pytest.mark.parametrize("role", sorted(REVIEWERS))
@pytest.mark.parametrize(("transition", "source"), MATRIX)
def test_only_admins_and_knowledge_editors_review(
    uow_factory: Callable[[], UnitOfWork], role: str, transition: Transition, source: ArticleState
) -> None:
    with uow_factory() as uow:
        people = _people(uow)
        article_id = _article_in(uow, people["agent"], source)
        if REVIEWERS[role]:
            moved = check_transition_article(uow, people[role], article_id, transition, NOW)
            assert moved.state is not source
        else:
            with pytest.raises(PermissionDenied, match="only admins and knowledge editors"):
                check_transition_article(uow, people[role], article_id, transition, NOW)
            assert uow.articles.get(people[role].workspace_id, article_id).state is source  # type: ignore[union-attr]


@pytest.mark.parametrize("role", sorted(REVIEWERS))
def test_every_role_writes_and_submits_drafts_but_only_reviewers_edit_published(
    uow_factory: Callable[[], UnitOfWork], role: str
) -> None:
    with uow_factory() as uow:
        people = _people(uow)
        user = people[role]
        draft = check_create_article(uow, user, CONTENT, NOW)
        assert draft.state is ArticleState.DRAFT and draft.version == 1
        assert check_update_article(uow, user, draft.id, EDITED, NOW).version == 2
        assert (
            check_transition_article(uow, user, draft.id, Transition.SUBMIT, NOW).state
            is ArticleState.IN_REVIEW
        )
        published = _article_in(uow, people["admin"], ArticleState.PUBLISHED)
        if REVIEWERS[role]:
            assert check_update_article(uow, user, published, EDITED, NOW).version == 2
        else:
            with pytest.raises(PermissionDenied):
                check_update_article(uow, user, published, EDITED, NOW)


@pytest.mark.parametrize("role", sorted(REVIEWERS))
def test_only_reviewers_import(uow_factory: Callable[[], UnitOfWork], role: str) -> None:
    lines = ['{"id": "a", "title": "T", "body": "B"}']
    with uow_factory() as uow:
        people = _people(uow)
        if REVIEWERS[role]:
            report = check_import_articles(uow, people[role], parse_lines(lines), ArticleState.PUBLISHED, NOW)
            assert report.created == 1
        else:
            with pytest.raises(PermissionDenied):
                check_import_articles(uow, people[role], parse_lines(lines), ArticleState.PUBLISHED, NOW)
            assert uow.articles.find(people[role].workspace_id) == []


def test_a_transition_from_the_wrong_state_is_refused_saying_from_where(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        people = _people(uow)
        article_id = _article_in(uow, people["agent"], ArticleState.DRAFT)
        with pytest.raises(
            ValidationFailed, match=r"cannot approve an article that is draft \(only from: in_review\)"
        ):
            check_transition_article(uow, people["admin"], article_id, Transition.APPROVE, NOW)


def test_approval_is_audited_with_the_version_it_approved_and_history_keeps_every_version(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        people = _people(uow)
        agent, editor = people["agent"], people["knowledge_editor"]
        article = check_create_article(uow, agent, CONTENT, NOW)
        check_update_article(uow, agent, article.id, EDITED, NOW)
        check_transition_article(uow, agent, article.id, Transition.SUBMIT, NOW)
        check_transition_article(uow, editor, article.id, Transition.APPROVE, NOW)
        uow.commit()
        versions = uow.articles.versions(agent.workspace_id, article.id)
        assert [(v.version, v.content.body, v.editor_id) for v in versions] == [
            (1, CONTENT.body, agent.id),
            (2, EDITED.body, agent.id),
        ]
        entries = uow.audit.between(agent.workspace_id, None, None)
        approvals = [e for e in entries if e.action == "kb.article.approve"]
        assert len(approvals) == 1
        assert approvals[0].actor_id == editor.id
        assert approvals[0].data["version"] == 2
        assert approvals[0].data["before"] == {"state": "in_review"}
        assert approvals[0].data["after"] == {"state": "published"}
        actions = [e.action for e in entries]
        assert actions == [
            "kb.article.created",
            "kb.article.updated",
            "kb.article.submit",
            "kb.article.approve",
        ]


def test_another_workspaces_article_is_not_found(uow_factory: Callable[[], UnitOfWork]) -> None:
    with uow_factory() as uow:
        people = _people(uow)
        other_ws = uow.workspaces.add("other", "Other")
        outsider = uow.users.add(other_ws.id, "boss@other.test", "boss", Role.ADMIN, "x", "")
        article_id = _article_in(uow, people["agent"], ArticleState.IN_REVIEW)
        with pytest.raises(NotFound):
            check_transition_article(uow, outsider, article_id, Transition.APPROVE, NOW)
        with pytest.raises(NotFound):
            check_update_article(uow, outsider, article_id, EDITED, NOW)


def test_import_is_idempotent_by_id_and_keeps_an_archived_articles_state(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    first = ['{"id": "a", "title": "A", "body": "one"}', '{"id": 7, "title": "B", "body": "two"}']
    with uow_factory() as uow:
        admin = _people(uow)["admin"]
        report = check_import_articles(uow, admin, parse_lines(first), ArticleState.PUBLISHED, NOW)
        assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
        again = check_import_articles(uow, admin, parse_lines(first), ArticleState.PUBLISHED, NOW)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
        b = uow.articles.by_key(admin.workspace_id, "7")
        assert b is not None
        check_transition_article(uow, admin, b.id, Transition.ARCHIVE, NOW)
        changed = [
            '{"id": "a", "title": "A", "body": "one"}',
            '{"id": 7, "title": "B", "body": "two, better"}',
        ]
        third = check_import_articles(uow, admin, parse_lines(changed), ArticleState.PUBLISHED, NOW)
        assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
        b = uow.articles.by_key(admin.workspace_id, "7")
        assert b is not None and b.version == 2 and b.state is ArticleState.ARCHIVED
        assert len(uow.articles.find(admin.workspace_id)) == 2
