"""Domain events: what happened, recorded by the use case that caused it (or the check that found it by
time), routed to targets and delivered through the outbox (core.services.outbox).

Every event type is imported here, so each is registered before an outbox row is read back.
"""

from core.events.base import Event, Subject, decode, encode
from core.events.costs import (AlertAdded, AlertRemoved, ConstraintViolated, ExpenseLimitExceeded, PoolAlertCrossed,
                               TtlExpiring, TtlPassed)
from core.events.environments import (BookingCreated, BookingDeleted, BookingEnded, BookingExtended, BookingReleased,
                                      BookingStarted, EnvironmentActivation, EnvironmentChanged, WaitlistTurn)
from core.events.members import BookingCancelledMemberRemoved, MemberInvited
from core.events.operations import CatalogNotice, ImportFailed, PowerActionFailed, PowerWarning

__all__ = [
    "Event", "Subject", "decode", "encode",
    "AlertAdded", "AlertRemoved", "ConstraintViolated", "ExpenseLimitExceeded", "PoolAlertCrossed", "TtlExpiring",
    "TtlPassed", "BookingCreated", "BookingDeleted", "BookingEnded", "BookingExtended", "BookingReleased",
    "BookingStarted", "EnvironmentActivation", "EnvironmentChanged", "WaitlistTurn", "CatalogNotice", "ImportFailed",
    "PowerActionFailed", "PowerWarning", "MemberInvited", "BookingCancelledMemberRemoved",
]
