"""Mastodon's probe: the token's own account, then one notification."""

from __future__ import annotations

from socialdesk.channels.connect import Connector
from socialdesk.channels.probe import probe_get
from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    with connector.http(account) as http:
        me = probe_get(
            http,
            "/api/v1/accounts/verify_credentials",
            "the instance",
            scopes="read:accounts",
            not_found="no Mastodon API at this instance URL",
        ).json()
        probe_get(http, "/api/v1/notifications?limit=1", "the instance", scopes="read:notifications")
    return f"connected as @{me.get('acct', account.handle)} on {account.settings['instance_url']}"
