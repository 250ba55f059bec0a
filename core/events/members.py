"""Events of membership: an invitation the bot can deliver, bookings cancelled because their holder was removed."""

from __future__ import annotations

from dataclasses import dataclass

from core.events.base import Event, Subject, event_type


@event_type("member_invited")
@dataclass(frozen=True)
class MemberInvited(Event):
    """A new member the bot already knows in Slack is told they were invited (the link itself is never sent)."""

    member_id: int
    organization: str
    role: str

    def notice(self) -> tuple[str, dict[str, str]]:
        return "member_invited", {"organization": self.organization, "role": self.role}


@event_type("booking_cancelled_member_removed")
@dataclass(frozen=True)
class BookingCancelledMemberRemoved(Event):
    """An upcoming booking was cancelled because its holder was removed; the org managers are told."""

    environment_id: int
    environment: str
    member: str
    removed_member_id: int
    organization: str

    def notice(self) -> tuple[str, dict[str, str]]:
        return "booking_cancelled_member_removed", {"member": self.member, "organization": self.organization,
                                                    "environment": self.environment}

    def subject(self) -> Subject:
        return Subject("environment", self.environment_id)
