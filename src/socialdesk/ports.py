"""The interfaces actions need, one module per concept: ports_uow.py (the unit of work), ports_inbox.py,
ports_accounts.py, ports_listening.py, ports_services.py (bus, clock, senders), and ports_care.py,
ports_channels.py, ports_analytics.py, ports_knowledge.py, ports_ingest.py.

This module only re-exports the first five under their old address while branches still import it:
the layout step (issue 17 item 5, /work/notes/layout/apply.py) rewrites every `from socialdesk.ports
import X` to the module that holds X, makes ports/ a package and deletes this file.
"""

from socialdesk.ports_accounts import ApiToken as ApiToken
from socialdesk.ports_accounts import BrandAccountRepo as BrandAccountRepo
from socialdesk.ports_accounts import ContactRepo as ContactRepo
from socialdesk.ports_accounts import SessionRepo as SessionRepo
from socialdesk.ports_accounts import TokenRepo as TokenRepo
from socialdesk.ports_accounts import UserRepo as UserRepo
from socialdesk.ports_accounts import WebSession as WebSession
from socialdesk.ports_accounts import WorkspaceRepo as WorkspaceRepo
from socialdesk.ports_inbox import CaseRepo as CaseRepo
from socialdesk.ports_inbox import ConversationQuery as ConversationQuery
from socialdesk.ports_inbox import ConversationRepo as ConversationRepo
from socialdesk.ports_inbox import ConversationRow as ConversationRow
from socialdesk.ports_inbox import MessageRepo as MessageRepo
from socialdesk.ports_inbox import NewCase as NewCase
from socialdesk.ports_inbox import NewConversation as NewConversation
from socialdesk.ports_inbox import NewMessage as NewMessage
from socialdesk.ports_inbox import OutboxItem as OutboxItem
from socialdesk.ports_inbox import OutboxRepo as OutboxRepo
from socialdesk.ports_inbox import PostKey as PostKey
from socialdesk.ports_inbox import PostRef as PostRef
from socialdesk.ports_inbox import ThreadLink as ThreadLink
from socialdesk.ports_inbox import WaitingUrgency as WaitingUrgency
from socialdesk.ports_listening import Feedback as Feedback
from socialdesk.ports_listening import MonitorRepo as MonitorRepo
from socialdesk.ports_listening import NewMonitor as NewMonitor
from socialdesk.ports_listening import RuleRepo as RuleRepo
from socialdesk.ports_services import Bus as Bus
from socialdesk.ports_services import ChannelSender as ChannelSender
from socialdesk.ports_services import Clock as Clock
from socialdesk.ports_services import CommentModerator as CommentModerator
from socialdesk.ports_services import SendResult as SendResult
from socialdesk.ports_services import SendUnconfirmed as SendUnconfirmed
from socialdesk.ports_uow import UnitOfWork as UnitOfWork
from socialdesk.ports_uow import UnitOfWorkFactory as UnitOfWorkFactory
