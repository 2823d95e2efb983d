"""What a Meta product (Facebook Pages, Instagram) is configured with, and the descriptor parts both
share: the Graph client, the sender, the probe and the webhook parser, built from a :class:`MetaProduct`
that each network's own ``network.py`` fills in. Clients are imported only when used."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from socialdesk.ports.channels import ChannelAccount

if TYPE_CHECKING:
    import httpx

    from socialdesk.channels.connect import Connector
    from socialdesk.channels.framework import PostDict
    from socialdesk.ports.services import ChannelSender

API = "https://graph.facebook.com"  # the same as graph.API
SECRET_DOCS = {
    "page_token": "a long-lived Page access token (docs/channels-meta.md says which permissions)",
    "app_secret": "the Meta app's secret: every webhook POST's X-Hub-Signature-256 is checked with it",
    "verify_token": "the verify token you type into the app's webhook settings (made up and shown once "
    "when not given)",
}
SETTING_DOCS = {
    "api_url": f"Graph API base URL (default {API})",
    "graph_version": "Graph API version (default v19.0)",
}


@dataclass(frozen=True)
class MetaProduct:
    """One Meta product: its webhook ``object``, the setting naming the brand's id there, the edge a
    comment's replies live on, and the ``platform`` of its conversations."""

    object_name: str
    id_setting: str
    reply_edge: str
    platform: str
    hide_field: str = "is_hidden"

    def brand_id(self, account: ChannelAccount) -> str:
        return str(account.settings[self.id_setting])

    def check(self, settings: Mapping[str, Any]) -> str | None:
        if not str(settings[self.id_setting]).isdigit():
            return f"{self.id_setting} is the account's numeric Graph id (not its name)"
        version = settings.get("graph_version")
        if version is not None and not (
            str(version).startswith("v") and str(version)[1:].replace(".", "").isdigit()
        ):
            return "graph_version looks like v19.0"
        return None

    def http(self, connector: Connector, account: ChannelAccount, app: bool) -> httpx.Client:
        from socialdesk.channels.meta.graph import VERSION, graph_http

        return graph_http(
            connector.secret(account, "page_token"),
            base_url=str(account.settings.get("api_url") or API),
            version=str(account.settings.get("graph_version") or VERSION),
            policy=connector.url_policy,
            transport=connector.transport,
        )

    def sender(self, connector: Connector, account: ChannelAccount) -> ChannelSender:
        from socialdesk.channels.meta.send import MetaSender

        return MetaSender(
            connector.http(account),
            self.brand_id(account),
            platform=self.platform,
            reply_edge=self.reply_edge,
            hide_field=self.hide_field,
            now=connector.clock.now if connector.clock is not None else None,
        )

    def probe(self, connector: Connector, account: ChannelAccount) -> str:
        import httpx

        from socialdesk.channels.framework import ChannelError
        from socialdesk.channels.meta.graph import check
        from socialdesk.channels.probe import ProbeProblem, unreachable

        brand = self.brand_id(account)
        with connector.http(account) as http:
            try:
                me = check(http.get(f"/{brand}", params={"fields": "id,name,username"}))
            except httpx.TransportError as exc:
                raise ProbeProblem(unreachable(str(http.base_url), exc)) from None
            except ChannelError as exc:  # Graph's own words: an expired token says so (code 190)
                raise ProbeProblem(str(exc)) from None
        if str(me.get("id")) != brand:
            raise ProbeProblem(f"the token answers for {me.get('id')!r}, not {self.id_setting} {brand}")
        return f"connected to {me.get('username') or me.get('name') or brand} through the Graph API"

    def parse(self, channel: str, payload: Any, received_at: datetime) -> list[PostDict]:
        from socialdesk.channels.meta.parse import read_webhook

        return read_webhook(
            payload, object_name=self.object_name, channel=channel, received_at=received_at
        ).posts
