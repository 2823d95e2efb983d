"""The schema, in SQLAlchemy Core, portable across SQLite and PostgreSQL.

Every table but `workspaces` (and `outbox_relays`, the relay processes) carries `workspace_id`;
every query filters on it.
Alembic migrations (storage/migrations) create and evolve it; tests check they agree with this file.
"""

from __future__ import annotations

# Each context's tables live in their own module on the same metadata (storage/schema/base.py); this module
# gathers them, so `from socialdesk.storage import schema as s` reaches every table.
from socialdesk.storage.schema.accounts import *  # noqa: F403
from socialdesk.storage.schema.assist import *  # noqa: F403
from socialdesk.storage.schema.base import Id as Id
from socialdesk.storage.schema.base import metadata as metadata
from socialdesk.storage.schema.care import *  # noqa: F403
from socialdesk.storage.schema.channels import *  # noqa: F403
from socialdesk.storage.schema.desk import *  # noqa: F403
from socialdesk.storage.schema.inbox import *  # noqa: F403
from socialdesk.storage.schema.knowledge import *  # noqa: F403
from socialdesk.storage.schema.listening import *  # noqa: F403
