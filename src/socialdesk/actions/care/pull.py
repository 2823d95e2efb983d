"""Pull next: an agent takes the next case of their teams' queues, or learns exactly why none came."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from socialdesk.actions.care.routing import Assigner, do_assign_case, waiting_case
from socialdesk.actions.care.sla import needs_reply_of
from socialdesk.domain.assignment import Agent, AgentStatus, WaitingCase, pull_next, queue_order
from socialdesk.domain.case import Case
from socialdesk.domain.people import User
from socialdesk.ports.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class NothingPulled:
    """Why Pull next brought nothing: a stable ``reason`` code and a sentence for people."""

    reason: str  # not_in_team, away, offline, at_capacity, queues_empty, no_skill_match
    message: str


def check_pull_next(uow: UnitOfWork, user: User, now: datetime) -> Case | NothingPulled:
    """The next case from the queues of the agent's teams: priority, urgency, longest waiting.

    Only an online agent under capacity may pull, only cases that need a reply (see
    actions/care/needs_reply.py) and their skills cover; otherwise the answer says which of these stood in
    the way. Urgency is the conversation's as it is now, grown with the waiting time.
    """
    assigner = Assigner(uow, user.workspace_id)
    teams = [team_id for team_id, members in assigner.members.items() if user.id in members]
    if not teams:
        return NothingPulled("not_in_team", "you are not in a team: ask an admin to add you to one")
    me = assigner.users[user.id]
    if me.status is not AgentStatus.ONLINE:
        state = me.status.value
        return NothingPulled(state, f"you are {state}: switch yourself online to take cases")
    load = assigner.loads.get(me.id, 0)
    if load >= me.capacity:
        return NothingPulled("at_capacity", f"you are at capacity ({load} of {me.capacity} open cases)")
    waiting = uow.care.waiting(user.workspace_id, teams)
    if not waiting:
        names = sorted(assigner.teams[t].name for t in teams if t in assigner.teams)
        which = "the queue of " + names[0] if len(names) == 1 else "the queues of " + ", ".join(names)
        return NothingPulled("queues_empty", f"the queues are empty ({which})")
    cares = uow.care.get_many(user.workspace_id, [c.id for c in waiting])
    asking = [c for c in waiting if needs_reply_of(cares.get(c.id))]
    if not asking:
        n = len(waiting)
        some = f"{n} waiting case{'s' if n != 1 else ''} need{'s' if n == 1 else ''} none"
        return NothingPulled("queues_empty", f"nothing in the queues needs a reply ({some})")
    convs = uow.conversations.get_many(user.workspace_id, [c.conversation_id for c in asking])
    queue = []
    for case in asking:
        conv = convs.get(case.conversation_id)
        since = (conv.waiting_since if conv else None) or case.opened_at
        item = waiting_case(case, cares.get(case.id), since, None)
        if conv is not None:  # the urgency as it is now, waiting time included (the care checks age it)
            item = replace(item, urgency=float(conv.urgency))
        queue.append(item)
    best: WaitingCase | None = None
    for team_id in teams:
        agent = Agent(me.id, team_id, me.status, me.capacity, load, me.skills)
        found = pull_next(queue, agent)
        if found is not None and (best is None or queue_order(found) < queue_order(best)):
            best = found
    if best is None:
        n = len(queue)
        cases = f"{n} case{'s' if n != 1 else ''} wait{'s' if n == 1 else ''}"
        why = "none in a language, channel or product your skills cover"
        return NothingPulled("no_skill_match", f"{cases}, {why}")
    case = next(c for c in asking if c.id == best.case_id)
    return do_assign_case(uow, user.id, case, user.id, now, via="queue")
