"""Tortoise models of the domain; the ORM app label is "models"."""

from core.models.alert import Alert
from core.models.auth import Credential, OneTimeToken, SignInThrottle
from core.models.constraint import PoolPolicy, ResourceConstraint
from core.models.enums import (
    AlertBasis,
    ConstraintKind,
    DataSourceKind,
    OverrideKind,
    Role,
    ScheduleMode,
    ThresholdType,
)
from core.models.env import Booking, SharedEnvironment, WaitlistEntry
from core.models.jobs import EventSubscription, JobRun, Notice, OutboxMessage, ResourceEvent
from core.models.metrics import ImportedFile, ResourceMetric
from core.models.org import DataSource, Member, Organization
from core.models.pool import Pool
from core.models.resource import AssignmentRule, Expense, Resource
from core.models.schedule import PowerSchedule, ScheduleOverride
from core.models.slack import (SlackDelivery, SlackInstallation, SlackLinkAttempt, SlackLinkCode, SlackOAuthState,
                               SlackUser, SlackUserLink, SlackWorkspace)

__models__ = [
    Organization, Member, DataSource, Pool, Resource, Expense, AssignmentRule,
    PoolPolicy, ResourceConstraint, SharedEnvironment, Booking, WaitlistEntry,
    PowerSchedule, ScheduleOverride, Alert,
    ResourceMetric, ImportedFile,
    OutboxMessage, EventSubscription, JobRun, Notice, ResourceEvent,
    SlackInstallation, SlackOAuthState, SlackWorkspace, SlackUser, SlackUserLink, SlackLinkCode, SlackLinkAttempt,
    SlackDelivery,
    Credential, OneTimeToken, SignInThrottle,
]

__all__ = [m.__name__ for m in __models__] + [
    "AlertBasis", "ConstraintKind", "DataSourceKind", "OverrideKind", "Role", "ScheduleMode", "ThresholdType",
]
