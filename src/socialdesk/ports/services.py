"""The outside services actions use: the bus, the clock, and the channel senders (with comment moderation)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from socialdesk.domain.events import Event
from socialdesk.ports.inbox import OutboxItem


class Bus(Protocol):
    def publish(self, events: Sequence[Event]) -> None: ...
    def subscribe(self, handler: Callable[[Event], None]) -> Callable[[], None]:
        """Register a handler; returns a function that unsubscribes it."""
        ...


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class SendResult:
    external_id: str


class SendUnconfirmed(Exception):
    """`find_sent` could not tell whether the reply is already on the network (its look-back budget ran
    out before the first attempt's time): sending again could post it twice, so an agent must check."""


class ChannelSender(Protocol):
    def send(self, item: OutboxItem) -> SendResult: ...
    def find_sent(self, item: OutboxItem) -> SendResult | None:
        """After an attempt that may have reached the network (``item.attempted_at`` is set): the post
        already there for this item, if any. Looks back at least to ``item.attempted_at``; raises
        SendUnconfirmed when it cannot look that far."""
        ...


@runtime_checkable
class CommentModerator(Protocol):
    """A sender that can also hide, show again and delete a public comment on the network (the brand's
    own posts' comments); ``comment_id`` is the network's id of it (the message's ``external_id``)."""

    def hide_comment(self, comment_id: str, *, hidden: bool = True) -> None: ...
    def delete_comment(self, comment_id: str) -> None: ...
