"""What the composer shows from the knowledge base: the conversation's top suggestions (recorded as
shown the first time, once the page is sent) and the draft a suggestion's insert fills in (without
JavaScript, the page comes back with the composer filled)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from socialdesk.actions.knowledge_composer import (
    ComposerSuggestion,
    do_record_shown,
    suggest_for_conversation,
    unrecorded,
)
from socialdesk.domain.errors import ValidationFailed
from socialdesk.domain.people import User
from socialdesk.runtime import Runtime
from socialdesk.web.inputs import id_from_text

MAX_INSERTS = 20


@dataclass(frozen=True, slots=True)
class Draft:
    """The composer's starting text and the insert ids its reply form carries."""

    text: str = ""
    inserts: str = ""  # comma-separated suggestion ids
    short: bool = False  # the last insert is the short version with the link


def parse_inserts(value: str) -> list[int]:
    """The suggestion ids of a `kb_inserts` field; anything else in it is ignored."""
    found = (id_from_text(part) for part in value.split(",")[:MAX_INSERTS])
    return list(dict.fromkeys(i for i in found if i is not None))


def composer_suggestions(
    runtime: Runtime, user: User, conversation_id: int
) -> tuple[list[ComposerSuggestion], Callable[[], None] | None]:
    """The top published articles for the conversation, and the recording of their first showing to
    run after the page is sent (None when nothing is new): the page never waits on the write lock."""
    try:
        with runtime.read_uow() as uow:
            shown = suggest_for_conversation(uow, runtime.article_indexes, user, conversation_id)
            missing = unrecorded(uow, user, conversation_id, shown)
    except ValidationFailed:
        return [], None
    if not missing:
        return shown, None

    def record() -> None:
        with runtime.uow() as uow:
            do_record_shown(uow, user, conversation_id, shown, runtime.clock.now())

    return shown, record
