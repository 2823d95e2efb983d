"""Workspace-level triage settings. Defaults treat every author the same."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TriageSettings:
    """`vip_handles` get `vip_boost` urgency points; off by default, and shown in the explanation when used.

    Follower counts never change urgency: only this explicit, opt-in list does.
    """

    vip_handles: frozenset[str] = field(default_factory=frozenset)
    vip_boost: int = 0
    reply_threshold: float = 0.5  # P(needs reply) above which praise/other/feedback posts still need a reply

    def is_vip(self, handle: str | None) -> bool:
        if not handle or not self.vip_handles or self.vip_boost == 0:
            return False
        norm = handle.lstrip("@").lower()
        return any(norm == h.lstrip("@").lower() for h in self.vip_handles)
