"""`socialdesk channels test` for YouTube: whose channel the token is for, and its threads readable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from socialdesk.channels.connect import BudgetSpent
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.probe import ProbeProblem, unreachable
from socialdesk.channels.youtube.api import YouTubeError, check

if TYPE_CHECKING:
    from socialdesk.channels.connect import Connector
    from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    channel_id = str(account.settings["channel_id"])
    try:
        with connector.http(account) as http:
            mine = check(http.get("/youtube/v3/channels", params={"part": "id,snippet", "mine": "true"}))
            items = mine.get("items") or [{}]
            found = str(items[0].get("id") or "")
            title = str((items[0].get("snippet") or {}).get("title") or found)
            if found != channel_id:
                raise ProbeProblem(
                    f"wrong channel: the token is for {title} ({found or 'no channel'}), not {channel_id}"
                )
            params: dict[str, str | int] = {"part": "snippet", "maxResults": 1}
            params["allThreadsRelatedToChannelId"] = channel_id
            check(http.get("/youtube/v3/commentThreads", params=params))
    except YouTubeError as exc:
        raise ProbeProblem(f"YouTube refused: {exc}") from None
    except BudgetSpent as exc:
        raise ProbeProblem(f"not asked: {exc}") from None
    except httpx.TransportError as exc:
        raise ProbeProblem(unreachable(str(account.settings.get("api_url") or "YouTube"), exc)) from None
    except ChannelError as exc:
        raise ProbeProblem(str(exc)) from None
    return f"connected as {title} ({channel_id}); comment threads readable"
