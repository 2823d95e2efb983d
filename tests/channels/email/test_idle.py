"""IMAP IDLE against a scripted loopback server: news sent in the same packet as the ``+ idling``
answer is seen (it once sat in imaplib's read buffer while the client waited on an empty socket), and
a BYE during IDLE is a lost connection."""

from __future__ import annotations

import imaplib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from socialdesk.channels.email.inbox import ImapInbox
from socialdesk.channels.framework import ChannelHealth, MemoryCursorStore, StopFlag


@contextmanager
def scripted_imap(idle_answer: bytes) -> Iterator[int]:
    """A server that greets, answers CAPABILITY, and answers IDLE with ``idle_answer`` in one send."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"* OK scripted\r\n")
            for line in lines:
                tag, _, command = line.decode().strip().partition(" ")
                if command.upper() == "CAPABILITY":
                    conn.sendall(f"* CAPABILITY IMAP4rev1 IDLE\r\n{tag} OK done\r\n".encode())
                elif command.upper() == "IDLE":
                    idle_tag = tag
                    conn.sendall(idle_answer)
                elif tag.upper() == "DONE":
                    conn.sendall(f"{idle_tag} OK idle done\r\n".encode())
                elif command.upper() == "LOGOUT":
                    conn.sendall(f"* BYE\r\n{tag} OK bye\r\n".encode())
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        thread.join(timeout=30)


def _inbox() -> ImapInbox:
    return ImapInbox(
        lambda: imaplib.IMAP4("127.0.0.1", 1),
        lambda posts: None,
        ChannelHealth("email"),
        MemoryCursorStore(),
        idle_seconds=0.5,
    )


def test_news_in_the_same_packet_as_the_idle_answer_is_seen() -> None:
    with scripted_imap(b"+ idling\r\n* 5 EXISTS\r\n") as port:
        conn = imaplib.IMAP4("127.0.0.1", port)
        assert _inbox().idle(conn, StopFlag()) is True
        conn.logout()


def test_an_idle_with_no_news_says_so() -> None:
    with scripted_imap(b"+ idling\r\n") as port:
        conn = imaplib.IMAP4("127.0.0.1", port)
        assert _inbox().idle(conn, StopFlag()) is False
        conn.logout()


def test_bye_during_idle_is_a_lost_connection() -> None:
    with scripted_imap(b"+ idling\r\n* BYE shutting down\r\n") as port:
        conn = imaplib.IMAP4("127.0.0.1", port)
        with pytest.raises(imaplib.IMAP4.abort, match="ended the session"):
            _inbox().idle(conn, StopFlag())
        conn.shutdown()
