"""A sent brand reply saved as an answer ("save as answer"): personal data stripped, in review with the
customer's question and the conversation linked, audited, never suggested before a reviewer publishes
it; on real SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from socialdesk.actions.knowledge import check_transition_article
from socialdesk.actions.knowledge_sources import check_save_reply_as_answer, strip_personal_data
from socialdesk.actions.knowledge_suggest import ArticleIndexes, Query, suggest
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.knowledge import ArticleState, Transition
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Direction, Visibility
from socialdesk.ports import NewConversation, NewMessage, UnitOfWork

NOW = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)
QUESTION = "@AcmeCares hi, I'm Jane Doe, my order #A123456 never arrived, mail me at jane.doe@example.com"
REPLY = (
    "@janedoe77 Sorry Jane! Refunds for a lost parcel take 3 to 5 days: call +1 415 555 0134 "
    "or write to refunds@acme.example with order #A123456."
)


def test_strip_personal_data_removes_what_names_or_reaches_the_customer() -> None:
    stripped = strip_personal_data(REPLY, ["Jane Doe"])
    for private in ("janedoe77", "Jane", "415 555 0134", "refunds@acme.example", "A123456"):
        assert private not in stripped, private
    assert stripped == (
        "Sorry [name]! Refunds for a lost parcel take 3 to 5 days: call [phone] "
        "or write to [email] with order #[order number]."
    )
    assert strip_personal_data("Thanks @bob@mastodon.social, all fixed.", []) == "Thanks, all fixed."


def _world(uow: UnitOfWork, delivery: str = "sent") -> tuple[dict[str, User], int, int, int]:
    """People, a conversation, its customer's question and the brand's reply (id)."""
    ws = uow.workspaces.add("acme", "Acme")
    people = {
        role.value: uow.users.add(ws.id, f"{role.value}@acme.test", role.value, role, "x", "")
        for role in (Role.ADMIN, Role.AGENT, Role.KNOWLEDGE_EDITOR)
    }
    [cid] = uow.conversations.add_many(
        ws.id, [NewConversation("x", None, "s", NOW, NOW, None, 2, "janedoe77", "Jane Doe", 1, "", 0)]
    )

    def message(ext: str, direction: Direction, text: str, at: datetime, who: str) -> NewMessage:
        return NewMessage(cid, "x", ext, direction, Visibility.PUBLIC, text, at, who, who)

    question, reply = uow.messages.add_many(
        ws.id,
        [
            message("q1", Direction.INBOUND, QUESTION, NOW, "janedoe77"),
            message("r1", Direction.OUTBOUND, REPLY, NOW + timedelta(minutes=5), "AcmeCares"),
        ],
    )
    uow.messages.mark_delivered(ws.id, reply, "r1", delivery)
    return people, cid, question, reply


def _suggested(uow: UnitOfWork, ws: int) -> list[str]:
    [row] = suggest(uow, ArticleIndexes(), ws, [Query("my parcel never arrived, refund?", None)], 3)
    return [s.key for s in row]


def test_a_sent_reply_becomes_an_answer_in_review_never_suggested_before_a_reviewer_publishes_it(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    with uow_factory() as uow:
        people, cid, _question, reply = _world(uow)
    agent, editor = people["agent"], people["knowledge_editor"]
    ws = agent.workspace_id
    with uow_factory() as uow:
        article = check_save_reply_as_answer(uow, agent, reply, NOW)
    assert article.state is ArticleState.IN_REVIEW
    assert (article.source, article.source_conversation_id, article.author_id) == ("reply", cid, agent.id)
    assert article.content.body.startswith("Sorry [name]! Refunds for a lost parcel")
    assert article.content.questions == (
        "hi, I'm [name] [name], my order #[order number] never arrived, mail me at [email]",
    )
    for private in ("jane", "janedoe77", "A123456", "example.com", "555"):
        assert private not in (article.content.title + article.content.body).casefold(), private
    with uow_factory() as uow:
        assert _suggested(uow, ws) == []  # in review: never shown to agents as knowledge
        entries = [e for e in uow.audit.between(ws, None, None) if e.action == "kb.article.saved_from_reply"]
        assert [(e.actor_id, e.data["message_id"], e.data["source_conversation_id"]) for e in entries] == [
            (agent.id, reply, cid)
        ]
    with uow_factory() as uow, pytest.raises(PermissionDenied):
        check_transition_article(uow, agent, article.id, Transition.APPROVE, NOW)
    with uow_factory() as uow:
        check_transition_article(uow, editor, article.id, Transition.APPROVE, NOW)
    with uow_factory() as uow:
        assert _suggested(uow, ws) == [article.key]


@pytest.mark.parametrize("delivery", ["queued", "failed"])
def test_only_a_sent_brand_reply_is_saved(uow_factory: Callable[[], UnitOfWork], delivery: str) -> None:
    with uow_factory() as uow:
        people, _cid, question, reply = _world(uow, delivery)
    agent = people["agent"]
    with uow_factory() as uow, pytest.raises(ValidationFailed, match="not sent"):
        check_save_reply_as_answer(uow, agent, reply, NOW)
    with uow_factory() as uow, pytest.raises(ValidationFailed, match="customer's"):
        check_save_reply_as_answer(uow, agent, question, NOW)
    with uow_factory() as uow, pytest.raises(NotFound):
        check_save_reply_as_answer(uow, agent, reply + 1000, NOW)
    with uow_factory() as uow:
        assert uow.articles.find(agent.workspace_id) == []


def test_a_public_answer_by_someone_else_in_a_thread_is_proposed_for_review_never_suggested(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    """Dan answers Carol's question in her public thread: a proposal in review with her question and
    his answer (personal data stripped), linked to the conversation, audited as the system's. Carol's
    own follow-up, the brand's reply and a second delivery of the same posts propose nothing."""
    from socialdesk.actions.accounts import ensure_workspace
    from socialdesk.actions.brand_accounts import check_add_brand_account
    from socialdesk.actions.ingest import do_ingest_posts
    from tests.factories import post

    with uow_factory() as uow:
        ws = ensure_workspace(uow, "acme").id
        check_add_brand_account(uow, ws, "x", "@AcmeCares")
    posts = [
        post("@AcmeCares my parcel never arrived, what do I do?", id="q", author="carol"),
        post(
            "@carol same here: ask for a refund at acme.example/refund, Dan",
            id="a",
            author="dan",
            reply_to="q",
            minutes=1,
        ),
        post("@dan thanks!", id="f", author="carol", reply_to="a", minutes=2),
        post("@carol Sorry Carol, DM us", id="b", author="AcmeCares", reply_to="q", minutes=3),
    ]
    for _ in range(2):
        with uow_factory() as uow:
            do_ingest_posts(uow, ws, posts, NOW)
    with uow_factory() as uow:
        [article] = uow.articles.find(ws)
        conversation = uow.messages.get(ws, _message_id(uow, ws, "q"))
        assert conversation is not None
        assert (article.state, article.source) == (ArticleState.IN_REVIEW, "community")
        assert article.source_conversation_id == conversation.conversation_id
        assert article.content.questions == ("my parcel never arrived, what do I do?",)
        assert article.content.body == "same here: ask for a refund at acme.example/refund, [name]"
        assert article.author_id is None
        assert _suggested(uow, ws) == []
        [entry] = [
            e for e in uow.audit.between(ws, None, None) if e.action == "kb.article.proposed_by_community"
        ]
        assert entry.actor_id is None and entry.data["key"] == article.key


def _message_id(uow: UnitOfWork, ws: int, external_id: str) -> int:
    [found] = [m.id for m in uow.messages.recent(ws, 100) if m.external_id == external_id]
    return found
