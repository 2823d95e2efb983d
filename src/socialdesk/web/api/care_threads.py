"""Handoff, merge, split and problems in the REST API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from socialdesk.actions.care.threads import (
    access_problem,
    check_create_problem,
    check_handoff,
    check_link_cases,
    check_merge,
    check_split,
)
from socialdesk.web.api.schemas import CaseOut, ConversationOut, MessageOut
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import Id, InputModel

router = APIRouter(tags=["conversations"])


class HandoffIn(InputModel):
    to: Literal["dm", "email", "phone"]
    public_reply: str | None = Field(default=None, max_length=10_000, description="e.g. We've sent you a DM.")
    message: str | None = Field(
        default=None,
        max_length=10_000,
        description="The private message (dm), or the e-mail sent to `address` through the workspace's "
        "e-mail account (email; without it an e-mail handoff is only recorded).",
    )
    address: str | None = Field(default=None, max_length=320, description="Email address or phone number.")
    confirm_public: bool = Field(
        default=False,
        description="Send the public reply though the customer wrote privately (else 409).",
    )


class HandoffOut(BaseModel):
    public_reply: MessageOut | None
    private_message: MessageOut | None
    email: MessageOut | None = None


@router.post("/conversations/{conversation_id}/handoff")
def handoff(conversation_id: Id, body: HandoffIn, user: ApiUserDep, runtime: RuntimeDep) -> HandoffOut:
    """Take the conversation to DM, email or phone: one case, one history."""
    with runtime.uow() as uow:
        done = check_handoff(
            uow, user, conversation_id, body.to, runtime.clock.now(),
            public_reply=body.public_reply, message=body.message, address=body.address,
            confirm_public=body.confirm_public,
        )  # fmt: skip
    return HandoffOut(
        public_reply=MessageOut.of(done.public_reply.message) if done.public_reply else None,
        private_message=MessageOut.of(done.private_message.message) if done.private_message else None,
        email=MessageOut.of(done.email) if done.email else None,
    )


class MergeIn(InputModel):
    source_id: Id = Field(description="The conversation merged into this one (its case closes).")


@router.post("/conversations/{conversation_id}/merge")
def merge(conversation_id: Id, body: MergeIn, user: ApiUserDep, runtime: RuntimeDep) -> ConversationOut:
    with runtime.uow() as uow:
        merged = check_merge(uow, user, conversation_id, body.source_id, runtime.clock.now())
    return ConversationOut.of(merged, None)


class SplitIn(InputModel):
    message_ids: list[Id] = Field(min_length=1, max_length=1000)


class SplitOut(BaseModel):
    conversation: ConversationOut
    case: CaseOut


@router.post("/conversations/{conversation_id}/split", status_code=201)
def split(conversation_id: Id, body: SplitIn, user: ApiUserDep, runtime: RuntimeDep) -> SplitOut:
    """Move the selected messages into a new conversation with a new case."""
    with runtime.uow() as uow:
        conv, case = check_split(uow, user, conversation_id, body.message_ids, runtime.clock.now())
    return SplitOut(conversation=ConversationOut.of(conv, case), case=CaseOut.of(case))


class ProblemIn(InputModel):
    title: str = Field(min_length=1, max_length=200)


class ProblemOut(BaseModel):
    id: int
    title: str
    created_at: datetime
    case_ids: list[int]


class LinkIn(InputModel):
    case_ids: list[Id] = Field(min_length=1, max_length=1000)


@router.post("/problems", tags=["problems"], status_code=201)
def create_problem(body: ProblemIn, user: ApiUserDep, runtime: RuntimeDep) -> ProblemOut:
    with runtime.uow() as uow:
        p = check_create_problem(uow, user, body.title, runtime.clock.now())
    return ProblemOut(id=p.id, title=p.title, created_at=p.created_at, case_ids=[])


@router.post("/problems/{problem_id}/cases", tags=["problems"])
def link_cases(problem_id: Id, body: LinkIn, user: ApiUserDep, runtime: RuntimeDep) -> ProblemOut:
    """Link cases to the problem (one outage, many customers)."""
    with runtime.uow() as uow:
        ids = check_link_cases(uow, user, problem_id, body.case_ids, runtime.clock.now())
        p = access_problem(uow, user, problem_id)
    return ProblemOut(id=p.id, title=p.title, created_at=p.created_at, case_ids=ids)


@router.get("/problems/{problem_id}", tags=["problems"])
def problem(problem_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> ProblemOut:
    with runtime.read_uow() as uow:
        p = access_problem(uow, user, problem_id)
        ids = uow.care.in_problem(user.workspace_id, p.id)
    return ProblemOut(id=p.id, title=p.title, created_at=p.created_at, case_ids=ids)
