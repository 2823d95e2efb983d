"""`socialdesk bench load --web 2`, briefly: the scale-out mode (PostgreSQL + NATS, two web processes,
an ingest worker) answers every kind of the agent mix without errors or dropped requests, the ingest
worker stores the posts the API accepted, and nothing of the cluster is left running after."""

from __future__ import annotations

import socket

import pytest

from socialdesk.bench import load_cluster
from socialdesk.cluster.dev import DevCluster

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def test_a_short_scale_out_run_answers_every_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[DevCluster] = []
    real_start = DevCluster.start

    def remembered(self: DevCluster, *, fresh: bool = False) -> None:
        started.append(self)
        real_start(self, fresh=fresh)

    monkeypatch.setattr(DevCluster, "start", remembered)
    result = load_cluster.run_cluster(clients=4, rate=50.0, seconds=3.0, conversations=100, web=2)
    for kind in ("inbox", "conversation", "reply"):
        figures = result["requests"][kind]
        assert figures["answered"] > 0, kind
        assert figures["errors"] == figures["dropped"] == 0, (kind, figures)
    ingest = result["ingest"]
    assert ingest["accepted_posts_per_s"] > 0 and ingest["posts_failed"] == 0
    assert ingest["backlog_stored_within_s"] is not None  # every accepted post was stored
    assert result["cpu_s"]["web"] > 0
    [cluster] = started
    ports = cluster.web_ports()
    assert len(ports) == 2
    for port in ports:  # the web processes are gone
        with socket.socket() as sock, pytest.raises(ConnectionRefusedError):
            sock.connect(("127.0.0.1", port))
    assert not cluster.data_dir.exists()
