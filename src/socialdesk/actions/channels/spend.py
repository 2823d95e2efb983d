"""What channel accounts spend on pay-per-use APIs: the gate every request of theirs passes.

`DbSpendGate` is the connector's `SpendGate` (domain/api_spend.py, ports/channels.py): before a request
it refuses when the account's read budget for the window is spent or the month's spend has reached the
account's ``monthly_cap_usd``; after the answer it adds the charge to the month (``channel_spend``) and,
for requests the channel runner does not count itself (probes, backfills, senders), one read to the
window. Each of these is its own short transaction, so nothing holds the write lock across a network
call.

A cap stops new requests once reached; a request already on its way when the cap is reached still
counts, so a month may end a single request's cost above its cap (X's own balance may go slightly
negative the same way).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from socialdesk.actions.channels.accounts import do_spend_reads, rolled_budget
from socialdesk.domain.api_spend import Charge, monthly_cap, usd_micros
from socialdesk.ports.channels import ChannelAccount, MonthSpend
from socialdesk.ports.services import Clock
from socialdesk.ports.uow import UnitOfWork

__all__ = ["DbSpendGate", "do_record_spend", "month_of", "month_spend", "spend_refusal"]


def month_of(moment: datetime) -> str:
    """The billing month of ``moment`` (UTC), as stored: ``"2026-12"``."""
    return f"{moment.year:04d}-{moment.month:02d}"


def month_spend(uow: UnitOfWork, accounts: list[ChannelAccount], now: datetime) -> dict[int, MonthSpend]:
    """Each account's spend this month (an account that spent nothing gets an empty row)."""
    if not accounts:
        return {}
    month = month_of(now)
    found: dict[int, MonthSpend] = {}
    by_workspace: dict[int, list[int]] = {}
    for account in accounts:
        by_workspace.setdefault(account.workspace_id, []).append(account.id)
    for workspace_id, ids in by_workspace.items():
        found.update(uow.channels.month_spend(workspace_id, ids, month))
    return {a.id: found.get(a.id, MonthSpend(month)) for a in accounts}


def spend_refusal(uow: UnitOfWork, account: ChannelAccount, now: datetime, *, reads: int) -> str | None:
    """Why the account may not make a request spending ``reads`` units of its read budget now, from
    what is stored; None: it may."""
    current = uow.channels.get(account.workspace_id, account.id) or account
    if reads > 0:
        budget = rolled_budget(current.budget, now)
        if budget.reads is not None and budget.spent + reads > budget.reads:
            return f"read budget spent: {budget.spent} of {budget.reads} reads this window"
    cap = monthly_cap(current.settings)
    if cap is None:
        return None
    spent = month_spend(uow, [current], now)[current.id]
    if spent.usd >= cap:
        return f"monthly spend cap reached: ${spent.usd:,.2f} of ${cap:,.2f} in {spent.month} (UTC)"
    return None


def do_record_spend(
    uow: UnitOfWork, account: ChannelAccount, charge: Charge, now: datetime, *, window_reads: int
) -> None:
    """Add ``charge`` to the account's month, and ``window_reads`` requests to its read budget."""
    if window_reads:
        do_spend_reads(uow, account, window_reads, now)
    if not charge.empty:
        spend = MonthSpend(month_of(now), charge.reads, charge.writes, usd_micros(charge.usd))
        uow.channels.add_spend(account.workspace_id, account.id, spend)


class DbSpendGate:
    """The runtime's `SpendGate`: asks and records in the database, one short transaction each."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], clock: Clock) -> None:
        self.uow_factory, self.clock = uow_factory, clock

    def refusal(self, account: ChannelAccount, *, reads: int) -> str | None:
        with self.uow_factory() as uow:
            return spend_refusal(uow, account, self.clock.now(), reads=reads)

    def record(self, account: ChannelAccount, charge: Charge, *, window_reads: int) -> None:
        if charge.empty and not window_reads:
            return
        with self.uow_factory() as uow:
            do_record_spend(uow, account, charge, self.clock.now(), window_reads=window_reads)
