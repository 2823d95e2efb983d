"""Spam rules and triage corrections in the REST API."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from socialdesk.actions.listening.rules import (
    check_add_spam_rule,
    check_correct_triage,
    check_delete_spam_rule,
)
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel

router = APIRouter()


class SpamRuleIn(InputModel):
    kind: Literal["term", "author", "link"]
    value: str = Field(min_length=1, max_length=200)


class SpamRuleOut(BaseModel):
    id: int
    kind: str
    value: str


class CorrectionIn(InputModel):
    field: Literal["category", "sentiment", "needs_reply"]
    label: str = Field(min_length=1, max_length=24)


@router.get("/spam-rules", tags=["noise control"])
def spam_rules(user: ApiUserDep, runtime: RuntimeDep) -> list[SpamRuleOut]:
    with runtime.read_uow() as uow:
        rules = uow.rules.spam_rules(user.workspace_id)
    return [SpamRuleOut(id=r.id, kind=r.kind.value, value=r.value) for r in rules]


@router.post("/spam-rules", tags=["noise control"], status_code=201)
def add_spam_rule(body: SpamRuleIn, user: ApiUserDep, runtime: RuntimeDep) -> SpamRuleOut:
    """Posts matching a spam rule are stored but never open a conversation (admins only)."""
    with runtime.uow() as uow:
        rule = check_add_spam_rule(uow, user, body.kind, body.value, runtime.clock.now())
    return SpamRuleOut(id=rule.id, kind=rule.kind.value, value=rule.value)


@router.delete("/spam-rules/{rule_id}", tags=["noise control"], status_code=204)
def delete_spam_rule(rule_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> None:
    """Admins only."""
    with runtime.uow() as uow:
        check_delete_spam_rule(uow, user, rule_id, runtime.clock.now())


@router.post("/messages/{message_id}/triage", tags=["triage"])
def correct_triage(
    message_id: Id, body: CorrectionIn, user: ApiUserDep, runtime: RuntimeDep
) -> dict[str, Any]:
    """Correct one triage label; the correction is shown at once and kept for `socialdesk train`."""
    with runtime.uow() as uow:
        return check_correct_triage(uow, user, message_id, body.field, body.label, runtime.clock.now())
