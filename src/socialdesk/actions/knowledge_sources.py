"""Knowledge-base articles that come from conversations: a sent brand reply saved as an answer in one
click ("save as answer"), and public answers by others in a customer's thread (proposed by the
community); both with personal data stripped, in review until a reviewer publishes them.

Nothing from a conversation is ever suggested before review: the article starts in review, and
suggestions read published articles only (actions/knowledge_suggest.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from socialdesk.actions.care_audit import record, record_config_change
from socialdesk.domain.errors import NotFound, PermissionDenied, ValidationFailed
from socialdesk.domain.knowledge import TITLE_MAX, Article, ArticleContent, ArticleState
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message, Post, Visibility
from socialdesk.ports import UnitOfWork
from socialdesk.triage.private_data import find_private_data

SENT = frozenset({"sent", "delivered"})  # deliveries of a brand reply that reached the network
_HANDLE_RE = re.compile(r"(?<![\w@])@[\w.-]+(?:@[\w.-]+)?")
_SPACES_RE = re.compile(r"[ \t]{2,}")
_BEFORE_PUNCTUATION_RE = re.compile(r"[ \t]+([,.!?;:])")  # left where a handle was taken out
TITLE_WORDS = 12


def strip_personal_data(text: str, names: Iterable[str] = ()) -> str:
    """`text` without the private data triage finds (e-mails, phones, cards, order and account
    numbers, addresses: each replaced by a placeholder such as "[order number]"), without @handles,
    and with the customer's names (each word of at least two letters) replaced by "[name]"."""
    found = find_private_data(text)
    out: list[str] = []
    at = 0
    for match in found:
        out.append(text[at : match.start])
        out.append("[" + match.kind.replace("_", " ") + "]")  # [email], [phone], [order number] ...
        at = match.end
    out.append(text[at:])
    stripped = _HANDLE_RE.sub("", "".join(out))
    words = sorted({w for name in names for w in re.findall(r"[^\W\d_]{2,}", name)}, key=len, reverse=True)
    if words:
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
        )
        stripped = pattern.sub("[name]", stripped)
    lines = [
        _BEFORE_PUNCTUATION_RE.sub(r"\1", _SPACES_RE.sub(" ", line)).strip() for line in stripped.splitlines()
    ]
    return "\n".join(lines).strip(" ,")


def _title(question: str, answer: str) -> str:
    words = (question or answer).split()
    title = " ".join(words[:TITLE_WORDS]) + (" …" if len(words) > TITLE_WORDS else "")
    return title[:TITLE_MAX] or "Saved answer"


def _question_before(messages: list[Message], reply: Message) -> Message | None:
    """The customer's latest message before the reply (what it answered)."""
    earlier = [m for m in messages if m.direction is Direction.INBOUND and m.created_at <= reply.created_at]
    return earlier[-1] if earlier else None


def check_save_reply_as_answer(uow: UnitOfWork, user: User, message_id: int, now: datetime) -> Article:
    """Any active agent saves a sent brand reply of their workspace as an answer: an article in
    review holding the reply (personal data stripped) and the customer's question it answered, linked
    to its conversation. A reviewer (admin or knowledge editor) publishes it."""
    if not user.is_active:
        raise PermissionDenied("a disabled user cannot save answers")
    message = uow.messages.get(user.workspace_id, message_id)
    if message is None or message.conversation_id is None:
        raise NotFound(f"message {message_id}")
    if message.direction is not Direction.OUTBOUND:
        raise ValidationFailed(
            f"message {message_id} is the customer's: only a brand reply is saved as an answer"
        )
    if message.delivery not in SENT:
        raise ValidationFailed(
            f"message {message_id} is {message.delivery}, not sent: only a sent reply is saved as an answer"
        )
    return do_save_reply_as_answer(uow, user, message, now)


def do_save_reply_as_answer(uow: UnitOfWork, user: User, reply: Message, now: datetime) -> Article:
    assert reply.conversation_id is not None
    conversation = uow.conversations.get(user.workspace_id, reply.conversation_id)
    messages = uow.messages.list_for_conversation(user.workspace_id, reply.conversation_id)
    question = _question_before(messages, reply)
    names = [
        n
        for n in (question.author_name if question else "", conversation.author_name if conversation else "")
        if n
    ]
    asked = strip_personal_data(question.text, names) if question else ""
    body = strip_personal_data(reply.text, names)
    if not body:
        raise ValidationFailed(
            f"message {reply.id}: nothing is left of the reply once personal data is stripped"
        )
    content = ArticleContent(
        title=_title(asked, body),
        body=body,
        questions=(asked,) if asked else (),
        language=reply.lang or (question.lang if question else None),
    )
    article = uow.articles.add(
        user.workspace_id,
        None,
        content,
        ArticleState.IN_REVIEW,
        user.id if user.id > 0 else None,
        now,
        source="reply",
        source_conversation_id=reply.conversation_id,
    )
    record_config_change(
        uow,
        user,
        now,
        "kb.article.saved_from_reply",
        article_id=article.id,
        key=article.key,
        message_id=reply.id,
        source_conversation_id=reply.conversation_id,
        before=None,
        after={**content.as_dict(), "state": article.state.value, "version": article.version},
    )
    return article


# -- proposed by the community --------------------------------------------------------------------


def community_answers(
    stored: Iterable[tuple[Post, int, Direction]],
) -> list[tuple[Post, int]]:
    """Of a batch's stored posts (post, message id, direction), the candidates for a community
    answer: public replies, not from a brand account."""
    return [
        (post, message_id)
        for post, message_id, direction in stored
        if direction is Direction.INBOUND and post.in_reply_to and post.visibility is Visibility.PUBLIC
    ]


def _handle(handle: str) -> str:
    return handle.lstrip("@").casefold()


def do_propose_community_answers(
    uow: UnitOfWork, workspace_id: int, replies: list[tuple[Post, int]], now: datetime
) -> list[Article]:
    """A public answer in a customer's thread by someone who is neither that customer nor a brand
    account becomes a proposed article (in review, source "community", the conversation linked) with
    the customer's question and the answer, personal data stripped. Never suggested before a reviewer
    publishes it. One proposal per answer (keyed by its message), so a redelivery adds nothing."""
    threaded: list[tuple[Post, int, int]] = []
    for post, message_id in replies:  # their conversations as threading left them
        stored = uow.messages.get(workspace_id, message_id)
        if stored is not None and stored.conversation_id is not None:
            threaded.append((post, message_id, stored.conversation_id))
    if not threaded:
        return []
    proposed: list[Article] = []
    for post, message_id, cid in threaded:
        messages = uow.messages.list_for_conversation(workspace_id, cid)
        inbound = [m for m in messages if m.direction is Direction.INBOUND]
        customer = _handle(inbound[0].author_handle) if inbound else ""  # who opened the thread
        if not customer or _handle(post.author.handle) == customer:
            continue  # the customer's own follow-up
        key = f"community-{message_id}"
        if uow.articles.by_key(workspace_id, key) is not None:
            continue
        asked = [
            m for m in inbound if _handle(m.author_handle) == customer and m.created_at <= post.created_at
        ]
        if not asked:
            continue
        question = asked[-1]
        names = [n for n in (question.author_name, post.author.name or "") if n]
        body = strip_personal_data(post.text, names)
        question_text = strip_personal_data(question.text, names)
        if not body:
            continue
        content = ArticleContent(
            title=_title(question_text, body),
            body=body,
            questions=(question_text,) if question_text else (),
            language=post.lang or question.lang,
        )
        article = uow.articles.add(
            workspace_id,
            key,
            content,
            ArticleState.IN_REVIEW,
            None,
            now,
            source="community",
            source_conversation_id=cid,
        )
        record(
            uow,
            workspace_id,
            now,
            None,
            "kb.article.proposed_by_community",
            conversation_id=cid,
            article_id=article.id,
            key=key,
            message_id=message_id,
        )
        proposed.append(article)
    return proposed
