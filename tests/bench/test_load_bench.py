"""`socialdesk bench load`, briefly: a real `socialdesk serve` on a loopback port answers every kind of the
agent mix without errors or dropped requests while posts are ingested, and is stopped after."""

from __future__ import annotations

import socket

import pytest

from socialdesk.bench import load


def test_a_short_load_run_answers_every_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    ports: list[int] = []
    real_free_port = load.free_port

    def remembered() -> int:
        ports.append(real_free_port())
        return ports[-1]

    monkeypatch.setattr(load, "free_port", remembered)
    result = load.run(clients=2, rate=50.0, seconds=2.0, conversations=100)
    for kind in ("inbox", "conversation", "reply"):
        figures = result["requests"][kind]
        assert figures["answered"] > 0, kind
        assert figures["errors"] == figures["dropped"] == 0, (kind, figures)
    assert result["ingest"]["accepted_posts_per_s"] > 0
    assert result["ingest"]["posts_failed"] == 0
    assert result["server_cpu_s"] > 0 and result["server_cpu_ms_per_request"] > 0  # (Linux: /proc)
    # The server is gone: its port refuses connections.
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
        sock.connect((load.HOST, ports[0]))
