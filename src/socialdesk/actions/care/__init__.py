"""Use cases of the care workflow: teams and routing, pull next, SLA clocks, approvals,
needs reply, presence, notes, notifications, saved replies, follow-ups, threads, the audit trail."""
