"""The one port incoming posts go through: a `PostSink`.

Part of the ports (see ports/). Every entry point (the API's POST /api/v1/posts, the webhook
receivers, the channel runner, `socialdesk ingest`) hands its posts to the runtime's sink
(`Runtime.post_sink()`), chosen once from the settings:

- embedded mode: `QueueSink` (workers/post_sinks.py), the ingest queue's writer thread; a batch is
  accepted when its transaction has committed.
- scale-out mode: `StreamSink` (same module), the JetStream posts stream; a batch is accepted when
  the stream has acknowledged every post (the ingest workers store it later, and ack only after
  their commit).

`accept` returns only once the posts are durably accepted, so a caller may then forget them (a
channel client saves its cursor). It raises when nothing can be accepted now (the database or NATS
is away): the caller keeps the posts and tries again. A post refused on its own (storing it failed,
it alone) is in `Acceptance.refused` with the reason; its neighbours are accepted.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

from socialdesk.domain.post import Post

PostKey = tuple[str, str]  # (channel, external id), as in ports/


@dataclass(frozen=True, slots=True)
class RefusedPost:
    """A post of the batch that was not accepted: its position in the batch handed in, and why."""

    index: int
    key: PostKey
    reason: str


@dataclass(frozen=True, slots=True)
class Acceptance:
    """What a sink did with one batch.

    `stored`: the sink stored the posts itself (embedded mode, or a history import), so the counts
    below are final. Otherwise the posts are `queued` in the stream for the ingest workers, and
    `duplicates` counts those the stream already held (its de-duplication window).
    """

    received: int
    stored: bool
    added: int = 0
    duplicates: int = 0
    queued: int = 0
    conversations_created: int = 0
    cases_opened: int = 0
    cases_resolved: int = 0
    listening_only: int = 0
    conversation_ids: frozenset[int] = frozenset()
    refused: tuple[RefusedPost, ...] = field(default=())

    @property
    def accepted(self) -> int:
        """Posts durably accepted (stored or in the stream), duplicates included."""
        return self.received - len(self.refused)


class PostSink(Protocol):
    """Where incoming posts go. Implementations: workers/post_sinks.py (`QueueSink`, `StreamSink`)
    and the in-memory `MemorySink` for tests; one contract suite (tests/workers/test_post_sinks.py)
    runs against each."""

    def accept(self, workspace_id: int, posts: Sequence[Post], *, history: bool = False) -> Acceptance:
        """Return once every post is durably accepted (or refused on its own, with why); raise when
        none can be accepted now. `history`: past conversations (see `do_ingest_posts`), stored
        at once in every mode."""
        ...

    def submit(
        self, workspace_id: int, posts: Sequence[Post], *, history: bool = False
    ) -> Future[Acceptance]:
        """Hand a batch over without waiting (batches are accepted in the order submitted); the
        future gives what `accept` would have returned, or its error."""
        ...
