"""RSS/Atom's probe: fetch the feed and count its entries."""

from __future__ import annotations

from socialdesk.channels.connect import Connector
from socialdesk.channels.probe import ProbeProblem, probe_get
from socialdesk.channels.rss.parse import feed_posts
from socialdesk.domain.clock import SystemClock
from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    url = str(account.settings["feed_url"])
    with connector.http(account) as http:
        resp = probe_get(http, url, "the feed", not_found="no feed at this URL")
    posts = feed_posts(resp.content, url, SystemClock().now())
    if not posts and b"<" not in resp.content[:200]:
        raise ProbeProblem("the URL answers, but not with an RSS or Atom feed")
    return f"feed reachable: {len(posts)} entries"
