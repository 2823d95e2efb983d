"""The schema, in SQLAlchemy Core, portable across SQLite and PostgreSQL.

Every table but `workspaces` (and `outbox_relays`, the relay processes) carries `workspace_id`;
every query filters on it.
Alembic migrations (storage/migrations) create and evolve it; tests check they agree with this file.
"""

from __future__ import annotations

# Each context's tables live in their own module on the same metadata (schema_base.py); this module
# gathers them, so `from socialdesk.storage import schema as s` reaches every table.
from socialdesk.storage.schema_accounts import *  # noqa: F403
from socialdesk.storage.schema_assist import *  # noqa: F403
from socialdesk.storage.schema_base import Id as Id
from socialdesk.storage.schema_base import metadata as metadata
from socialdesk.storage.schema_care import *  # noqa: F403
from socialdesk.storage.schema_channels import *  # noqa: F403
from socialdesk.storage.schema_desk import *  # noqa: F403
from socialdesk.storage.schema_inbox import *  # noqa: F403
from socialdesk.storage.schema_knowledge import *  # noqa: F403
from socialdesk.storage.schema_listening import *  # noqa: F403
