"""Events of shared environments: bookings made, changed, begun and ended, waitlist turns, environment edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.events.base import Event, Subject, event_type
from core.timefmt import show


@dataclass(frozen=True)
class BookingEvent(Event):
    """Something that happened to one booking of an environment of `pool_id`, held by `member_id`."""

    booking_id: int
    environment_id: int
    environment: str
    pool_id: int
    member_id: int
    person: str
    starts_at: datetime
    ends_at: datetime | None

    def subject(self) -> Subject:
        return Subject("environment", self.environment_id)

    def _params(self) -> dict[str, str]:
        return {"person": self.person, "environment": self.environment, "starts": show(self.starts_at),
                "ends": show(self.ends_at)}


@event_type("booking_created")
@dataclass(frozen=True)
class BookingCreated(BookingEvent):
    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_booking_created", self._params()


@event_type("booking_extended")
@dataclass(frozen=True)
class BookingExtended(BookingEvent):
    previous_end: datetime | None = None

    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_booking_extended", {**self._params(), "previous": show(self.previous_end)}


@event_type("booking_deleted")
@dataclass(frozen=True)
class BookingDeleted(BookingEvent):
    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_booking_deleted", self._params()


@event_type("env_acquired")
@dataclass(frozen=True)
class BookingStarted(BookingEvent):
    """Found by time: the booking's start has come (or it was handed over from the waitlist)."""

    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_env_acquired", self._params()


@event_type("env_released")
@dataclass(frozen=True)
class BookingEnded(BookingEvent):
    """Found by time: the booking's end has come."""

    def notice(self) -> tuple[str, dict[str, str]]:
        params = self._params()
        return "notice_env_released", {"environment": params["environment"], "person": params["person"],
                                       "ends": params["ends"]}


@event_type("booking_released")
@dataclass(frozen=True)
class BookingReleased(BookingEnded):
    """Someone ended the booking early (release): the environment is free from now."""


@event_type("waitlist_turn")
@dataclass(frozen=True)
class WaitlistTurn(Event):
    """A waiting member's turn: told the environment is free, or given a booking of it (`acquired`)."""

    environment_id: int
    environment: str
    member_id: int
    acquired: bool
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def notice(self) -> tuple[str, dict[str, str]]:
        if self.acquired:
            return "notice_waitlist_acquired", {"environment": self.environment, "starts": show(self.starts_at),
                                                "ends": show(self.ends_at)}
        return "notice_waitlist_free", {"environment": self.environment}

    def subject(self) -> Subject:
        return Subject("environment", self.environment_id)


@dataclass(frozen=True)
class EnvironmentEvent(Event):
    environment_id: int
    environment: str
    pool_id: int

    def subject(self) -> Subject:
        return Subject("environment", self.environment_id)


@event_type("environment_changed")
@dataclass(frozen=True)
class EnvironmentChanged(EnvironmentEvent):
    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_environment_changed", {"environment": self.environment}


@event_type("environment_activation")
@dataclass(frozen=True)
class EnvironmentActivation(EnvironmentEvent):
    """The environment was activated (`active`) or deactivated."""

    active: bool = True

    def notice(self) -> tuple[str, dict[str, str]]:
        code = "notice_environment_activated" if self.active else "notice_environment_deactivated"
        return code, {"environment": self.environment}
