"""`socialdesk channels test` for Google Play: the app's reviews readable with the account's token."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from socialdesk.channels.connect import BudgetSpent
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.google_play.api import PlayError, check
from socialdesk.channels.google_play.quota import reviews_path
from socialdesk.channels.probe import ProbeProblem, unreachable

if TYPE_CHECKING:
    from socialdesk.channels.connect import Connector
    from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    package = str(account.settings["package_name"])
    try:
        with connector.http(account) as http:
            body = check(http.get(reviews_path(package), params={"maxResults": 1}))
    except PlayError as exc:
        hint = " (is the service account or user given access to the app in Play Console?)"
        raise ProbeProblem(f"Google Play refused: {exc}{hint if exc.status in (403, 404) else ''}") from None
    except BudgetSpent as exc:
        raise ProbeProblem(f"not asked: {exc}") from None
    except httpx.TransportError as exc:
        raise ProbeProblem(unreachable(str(account.settings.get("api_url") or "Google Play"), exc)) from None
    except ChannelError as exc:
        raise ProbeProblem(str(exc)) from None
    recent = "reviews" if body.get("reviews") else "no reviews in the last week"
    return f"connected: {package} readable ({recent})"
