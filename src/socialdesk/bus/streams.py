"""JetStream streams and subjects of the scale-out pipeline."""

from __future__ import annotations

import hashlib

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError

POSTS_STREAM = "SD_POSTS"
POSTS_SUBJECT = "sd.posts"  # sd.posts.<workspace id>
DEAD_STREAM = "SD_DEAD"
DEAD_SUBJECT = "sd.dead"  # sd.dead.<stage>
EVENTS_SUBJECT = "sd.events"  # sd.events.<workspace id>, core NATS (live UI updates)
DUPLICATE_WINDOW_S = 600.0


def posts_subject(workspace_id: int) -> str:
    return f"{POSTS_SUBJECT}.{workspace_id}"


def events_subject(workspace_id: int) -> str:
    return f"{EVENTS_SUBJECT}.{workspace_id}"


def dead_post_subject(workspace_id: int, channel: str, external_id: str) -> str:
    """The dead-letter subject of one post, so its fate is found by subject (the newest message on
    it) without scanning the stream: `sd.dead.ingest.<workspace>.<digest of channel and id>`."""
    digest = hashlib.sha256(f"{channel}\x1f{external_id}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"{DEAD_SUBJECT}.ingest.{workspace_id}.{digest[:40]}"


def post_msg_id(workspace_id: int, channel: str, external_id: str) -> str:
    """The Nats-Msg-Id of a post: JetStream drops a second publish of it within the duplicate window."""
    return f"{workspace_id}:{channel}:{external_id}"


async def ensure_streams(js: JetStreamContext) -> None:
    """Create the streams if they are missing (idempotent; safe from many processes at once)."""
    configs = [
        StreamConfig(
            name=POSTS_STREAM,
            subjects=[f"{POSTS_SUBJECT}.>"],
            retention=RetentionPolicy.WORK_QUEUE,
            storage=StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW_S,
            max_bytes=2 * 1024**3,
            discard=DiscardPolicy.NEW,  # when full, publishers are told no (back-pressure), nothing dropped
        ),
        StreamConfig(
            name=DEAD_STREAM,
            subjects=[f"{DEAD_SUBJECT}.>"],
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            max_msgs=100_000,
        ),
    ]
    for config in configs:
        try:
            await js.add_stream(config)
        except BadRequestError:
            await js.update_stream(config)
