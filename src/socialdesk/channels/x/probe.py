"""X's probe: the token's own user, then one page of its mentions."""

from __future__ import annotations

from socialdesk.channels.connect import Connector
from socialdesk.channels.probe import ProbeProblem, probe_get
from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    user_id = str(account.settings["user_id"])
    with connector.http(account) as http:
        me = probe_get(http, "/2/users/me", "X", scopes="tweet.read users.read").json().get("data") or {}
        if me.get("id") and str(me["id"]) != user_id:
            raise ProbeProblem(
                f"wrong user id: the token belongs to @{me.get('username')} (id {me['id']}), "
                f"not user id {user_id}"
            )
        probe_get(
            http,
            f"/2/users/{user_id}/mentions?max_results=5",
            "X",
            scopes="tweet.read users.read",
            not_found=f"no X user with id {user_id}; check the user id",
        )
    return f"connected as @{me.get('username', account.handle)} (id {user_id}); mentions readable"
