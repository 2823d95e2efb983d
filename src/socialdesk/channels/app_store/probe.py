"""`socialdesk channels test` for the App Store: the key signs, and the app's reviews are readable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from socialdesk.channels.app_store.api import AppStoreError, check
from socialdesk.channels.app_store.quota import reviews_path
from socialdesk.channels.connect import BudgetSpent
from socialdesk.channels.framework import ChannelError
from socialdesk.channels.probe import ProbeProblem, unreachable

if TYPE_CHECKING:
    from socialdesk.channels.connect import Connector
    from socialdesk.ports.channels import ChannelAccount


def probe(connector: Connector, account: ChannelAccount) -> str:
    app_id = str(account.settings["app_id"])
    try:
        with connector.http(account) as http:
            check(http.get(reviews_path(app_id), params={"limit": 1}))
    except AppStoreError as exc:
        raise ProbeProblem(f"App Store Connect refused: {exc}") from None
    except BudgetSpent as exc:
        raise ProbeProblem(f"not asked: {exc}") from None
    except httpx.TransportError as exc:
        raise ProbeProblem(
            unreachable(str(account.settings.get("api_url") or "App Store Connect"), exc)
        ) from None
    except ChannelError as exc:
        raise ProbeProblem(str(exc)) from None
    return f"connected: the reviews of app {app_id} are readable"
