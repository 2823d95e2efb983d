"""Knowledge-base suggestions in the reply composer: the top published articles for a conversation,
why each was suggested, the one-click insert that fits the channel, and the record of each
suggestion shown, inserted and sent (`kb_suggestions`, read by the analytics).

The query is the customer's newest messages (those since the brand last answered, else the newest
one) in their language. A suggestion is recorded once per conversation, article and agent when first
shown; inserting it records the text put in the composer and gives the agent an insert id that the
reply form carries; the reply counts as sent with the article when it still holds the article's link
or at least half of the inserted text (`knowledge.similarity.containment`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from socialdesk.actions.conversations import access_conversation_by_id
from socialdesk.actions.knowledge_suggest import ArticleIndexes, Query, document, suggest
from socialdesk.domain.attribution import sign_reply
from socialdesk.domain.errors import NotFound, ValidationFailed
from socialdesk.domain.knowledge import Article, ArticleState
from socialdesk.domain.people import User
from socialdesk.domain.post import Direction, Message
from socialdesk.domain.text_length import count, limit
from socialdesk.knowledge.explain import Why, explain
from socialdesk.knowledge.insert_text import insert_text, joined
from socialdesk.knowledge.similarity import containment
from socialdesk.ports import UnitOfWork

TOP = 3
QUERY_MESSAGES = 3  # the customer's newest messages that make the query
SENT_CONTAINMENT = 0.5


@dataclass(frozen=True, slots=True)
class ComposerSuggestion:
    article: Article
    rank: int
    score: float
    why: Why


@dataclass(frozen=True, slots=True)
class Inserted:
    text: str  # the composer's text with the insert
    insert: str  # what was inserted
    suggestion_id: int
    short: bool  # the short version with the link (the full answer was over the limit)


def customer_query(messages: list[Message]) -> Query | None:
    """The customer's messages since the brand last answered (at most QUERY_MESSAGES), else the newest."""
    inbound = [m for m in messages if m.direction is Direction.INBOUND and m.text.strip()]
    if not inbound:
        return None
    last_out = max((m.id for m in messages if m.direction is Direction.OUTBOUND), default=0)
    unanswered = [m for m in inbound if m.id > last_out] or inbound[-1:]
    chosen = unanswered[-QUERY_MESSAGES:]
    return Query(" ".join(m.text for m in chosen), chosen[-1].lang)


def suggest_for_conversation(
    uow: UnitOfWork, indexes: ArticleIndexes, user: User, conversation_id: int, top: int = TOP
) -> list[ComposerSuggestion]:
    """The `top` published articles for the conversation, best first, with why (a read)."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    query = customer_query(uow.messages.list_for_conversation(user.workspace_id, conv.id))
    if query is None:
        return []
    [found] = suggest(uow, indexes, user.workspace_id, [query], top)
    articles = uow.articles.by_keys(user.workspace_id, [s.key for s in found])
    out = []
    for rank, s in enumerate(found, start=1):
        article = articles.get(s.key)
        if article is not None and article.state is ArticleState.PUBLISHED:
            out.append(ComposerSuggestion(article, rank, s.score, explain(query.text, document(article))))
    return out


def unrecorded(uow: UnitOfWork, user: User, conversation_id: int, shown: list[ComposerSuggestion]) -> bool:
    """Whether some of `shown` are not recorded yet (a read: the caller then opens a write)."""
    known = uow.kb_suggestions.shown(user.workspace_id, conversation_id, user.id)
    return any(s.article.id not in known for s in shown)


def do_record_shown(
    uow: UnitOfWork, user: User, conversation_id: int, shown: list[ComposerSuggestion], now: datetime
) -> None:
    rows = [(s.article.id, s.rank, s.score) for s in shown]
    uow.kb_suggestions.record_shown(user.workspace_id, conversation_id, user.id, rows, now)


def reply_fits(channel: str, existing: str, signature: str) -> Callable[[str], bool]:
    """Whether the reply, `existing` then an insert (then the signature), is within the limit."""
    most = limit(channel)

    def fits(insert: str) -> bool:
        if most is None:
            return True
        text = joined(existing, insert)
        signed = sign_reply(text, signature, channel) if signature.strip() else text
        return count(channel, signed) <= most

    return fits


def check_insert_suggestion(
    uow: UnitOfWork,
    user: User,
    conversation_id: int,
    article_id: int,
    existing: str,
    *,
    public: bool,
    now: datetime,
) -> Inserted:
    """Put the article's answer after what the agent wrote: in full when the reply then fits the
    channel's limit (with the signature of a public reply), else a short version and its link."""
    conv = access_conversation_by_id(uow, user, conversation_id)
    article = uow.articles.get(user.workspace_id, article_id)
    if article is None:
        raise NotFound(f"article {article_id}")
    if article.state is not ArticleState.PUBLISHED:
        raise ValidationFailed(f"article {article_id} is {article.state.value}: only published articles")
    known = uow.kb_suggestions.shown(user.workspace_id, conv.id, user.id)
    if article.id not in known:  # inserted from a page shown before the record was written
        uow.kb_suggestions.record_shown(user.workspace_id, conv.id, user.id, [(article.id, 0, 0.0)], now)
        known = uow.kb_suggestions.shown(user.workspace_id, conv.id, user.id)
    signature = user.signature if public else ""
    fits = reply_fits(conv.channel, existing, signature)
    c = article.content
    link = c.links[0] if c.links else None
    insert, short = insert_text(c.title, c.body, link, fits)
    suggestion = known[article.id]
    uow.kb_suggestions.mark_inserted(user.workspace_id, suggestion.id, insert, now)
    return Inserted(joined(existing, insert), insert, suggestion.id, short)


def do_mark_sent(
    uow: UnitOfWork,
    user: User,
    conversation_id: int,
    insert_ids: list[int],
    sent: list[Message],
    now: datetime,
) -> int:
    """After a reply is recorded (`sent`: its message, or a thread's parts): each insert it carried
    counts as sent when the reply still holds the article's link or at least half of the inserted
    text. Returns how many counted."""
    if not sent:
        return 0
    text = "\n".join(m.text for m in sent)
    counted = 0
    for suggestion_id in dict.fromkeys(insert_ids):
        row = uow.kb_suggestions.get(user.workspace_id, suggestion_id)
        if row is None or row.conversation_id != conversation_id or row.user_id != user.id:
            continue
        if row.inserted_text is None or row.sent_at is not None:
            continue
        article = uow.articles.get(user.workspace_id, row.article_id)
        links = article.content.links if article else ()
        if any(link in text for link in links) or containment(row.inserted_text, text) >= SENT_CONTAINMENT:
            uow.kb_suggestions.mark_sent(user.workspace_id, suggestion_id, sent[0].id, now)
            counted += 1
    return counted
