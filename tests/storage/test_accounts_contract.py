"""The account lifecycle's storage contract (roles, disabling, passwords, token listing and expiry,
ending sessions), the same on every back-end."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from socialdesk.domain.people import Role
from socialdesk.ports.uow import UnitOfWork
from tests.conftest import T0

Factory = Callable[[], UnitOfWork]


def test_role_activity_and_password_hash_change_in_one_workspace_only(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        user = uow.users.add(ws, "a@x.io", "A", Role.AGENT, "h1", "")
        uow.users.set_role(ws, user.id, Role.ADMIN)
        uow.users.set_active(ws, user.id, False)
        uow.users.set_password_hash(ws, user.id, "h2")
        uow.users.set_role(other, user.id, Role.AGENT)  # another workspace's id: nothing happens
        uow.users.set_active(other, user.id, True)
        uow.users.set_password_hash(other, user.id, "h3")
        uow.commit()
        found = uow.users.get_by_email("a@x.io")
        assert found is not None
        changed, password_hash = found
        assert (changed.role, changed.is_active, password_hash) == (Role.ADMIN, False, "h2")


def test_tokens_list_expire_and_delete_by_workspace(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        other = uow.workspaces.add("beta", "Beta").id
        ada = uow.users.add(ws, "a@x.io", "A", Role.ADMIN, "h", "")
        carl = uow.users.add(ws, "c@x.io", "C", Role.AGENT, "h", "")
        first = uow.tokens.add(ws, ada.id, "cli", "hash-1", T0)
        second = uow.tokens.add(ws, carl.id, "ci", "hash-2", T0, T0 + timedelta(days=30))
        uow.commit()
        assert [t.id for t in uow.tokens.list(ws)] == [first.id, second.id]
        assert [t.id for t in uow.tokens.list(ws, carl.id)] == [second.id]
        assert uow.tokens.list(other) == []
        stored = uow.tokens.get(ws, second.id)
        assert stored is not None
        assert stored.expires_at == T0 + timedelta(days=30)
        assert not stored.expired(T0 + timedelta(days=29))
        assert stored.expired(T0 + timedelta(days=30))
        assert uow.tokens.get(other, second.id) is None
        assert uow.tokens.delete(other, first.id) is False
        assert uow.tokens.delete(ws, first.id) is True
        uow.commit()
        assert uow.tokens.get_by_hash("hash-1") is None
        assert uow.tokens.delete(ws, first.id) is False


def test_a_users_sessions_end_all_or_all_but_one(uow_factory: Factory) -> None:
    with uow_factory() as uow:
        ws = uow.workspaces.add("acme", "Acme").id
        ada = uow.users.add(ws, "a@x.io", "A", Role.ADMIN, "h", "")
        carl = uow.users.add(ws, "c@x.io", "C", Role.AGENT, "h", "")
        later = T0 + timedelta(hours=1)
        kept = uow.sessions.add(ada.id, ws, "s1", "c", later)
        uow.sessions.add(ada.id, ws, "s2", "c", later)
        uow.sessions.add(carl.id, ws, "s3", "c", later)
        uow.commit()
        assert uow.sessions.delete_for_user(ws, ada.id, keep_id=kept.id) == 1
        uow.commit()
        assert uow.sessions.get_by_hash("s1") is not None
        assert uow.sessions.get_by_hash("s2") is None
        assert uow.sessions.delete_for_user(ws, ada.id) == 1
        uow.commit()
        assert uow.sessions.get_by_hash("s1") is None
        assert uow.sessions.get_by_hash("s3") is not None
