"""Events of the scheduler's own work: power warnings and failures, failed imports; and messages from
before typed events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.events.base import Event, Subject, event_type
from core.timefmt import show


@event_type("power_warning")
@dataclass(frozen=True)
class PowerWarning(Event):
    """A power schedule will stop the resource at `stop_at`; its owner may snooze or skip the stop."""

    resource_id: int
    resource: str
    owner_id: int
    schedule: str
    timezone: str
    stop_local: str
    stop_at: datetime

    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_power_warning", {"schedule": self.schedule, "resource": self.resource,
                                        "timezone": self.timezone, "stop_local": self.stop_local,
                                        "stop": show(self.stop_at)}

    def subject(self) -> Subject:
        return Subject("resource", self.resource_id)


@event_type("power_action_failed")
@dataclass(frozen=True)
class PowerActionFailed(Event):
    """A start or stop failed; `family` is "power" (a schedule's) or "env_power" (a booking's), `params`
    the action's catalog params, `member_ids` whom the action names (none: the org managers)."""

    resource_id: int
    family: str
    params: dict[str, str]
    member_ids: tuple[int, ...]

    def notice(self) -> tuple[str, dict[str, str]]:
        return f"notice_{self.family}_failed", dict(self.params)

    def subject(self) -> Subject:
        return Subject("resource", self.resource_id)


@event_type("import_failed")
@dataclass(frozen=True)
class ImportFailed(Event):
    data_source_id: int
    data_source: str
    detail: str

    def notice(self) -> tuple[str, dict[str, str]]:
        return "notice_import_failed", {"data_source": self.data_source, "detail": self.detail}


@event_type("catalog_notice")
@dataclass(frozen=True)
class CatalogNotice(Event):
    """A message written before events were typed (migration 0003): its catalog code and params as stored."""

    code: str
    params: dict[str, str]
    resource_id: int | None = None
    environment_id: int | None = None
    pool_id: int | None = None

    def notice(self) -> tuple[str, dict[str, str]]:
        return self.code, dict(self.params)

    def subject(self) -> Subject | None:
        for kind in ("resource", "environment", "pool"):
            if getattr(self, f"{kind}_id") is not None:
                return Subject(kind, getattr(self, f"{kind}_id"))
        return None
