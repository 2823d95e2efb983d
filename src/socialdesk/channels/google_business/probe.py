"""`socialdesk channels test` for Business Profile: the location's reviews readable with the token."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from socialdesk.channels.connect import BudgetSpent
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.google_business.quota import reviews_path
from socialdesk.channels.google_oauth import GoogleApiError, check
from socialdesk.channels.probe import ProbeProblem, unreachable

if TYPE_CHECKING:
    from socialdesk.channels.connect import Connector
    from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    s = account.settings
    try:
        with connector.http(account) as http:
            body = check(
                http.get(reviews_path(str(s["account_id"]), str(s["location_id"])), params={"pageSize": 1})
            )
    except GoogleApiError as exc:
        raise ProbeProblem(f"Business Profile refused: {exc}") from None
    except BudgetSpent as exc:
        raise ProbeProblem(f"not asked: {exc}") from None
    except httpx.TransportError as exc:
        raise ProbeProblem(unreachable(str(s.get("api_url") or "Business Profile"), exc)) from None
    except ChannelError as exc:
        raise ProbeProblem(str(exc)) from None
    total = body.get("totalReviewCount", 0)
    return f"connected: location {s['location_id']} readable ({total} reviews)"
