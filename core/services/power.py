"""Power schedules acting on the cloud: pre-stop warnings, then the due starts and stops.

What is due comes from core.services.schedules (transitions only, overrides applied, one action per
resource for a window, so a catch-up after downtime acts once). Each action is claimed once
(a notice keyed by resource, action and transition time) before the cloud is called, so several
processes never act twice. Actions go through the data source's adapter in batches per data source,
region and action. Every outcome is written to the resource's event log; an instance already in the
target state or gone is recorded, not reported; a failure also goes to the owner (else the managers).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from core.adapters.base import CloudAdapter, PowerResult, PowerTarget
from core.clock import utcnow
from core.db import transaction
from core.messages import render
from core.models import DataSource, Resource, ResourceEvent
from core.rules.bookings import show
from core.rules.power import START
from core.services.outbox import Target, announce, claim_notice, manager_targets, notify
from core.services.schedules import DueAction, due_actions, due_warnings

log = logging.getLogger(__name__)

AdapterOpener = Callable[[DataSource], CloudAdapter]
OK, ALREADY, GONE, FAILED = "ok", "already", "gone", "failed"
_DONE = {"start": ("Started", "running"), "stop": ("Stopped", "stopped")}


@dataclass
class PowerReport:
    """What one run did: warnings sent, and per outcome the cloud resource ids acted on."""

    warned: int = 0
    outcomes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


async def run_power_schedules(*, organization_id: int, since: datetime, now: datetime | None = None,
                              open_adapter: AdapterOpener) -> PowerReport:
    """Warn owners of stops coming up, then start and stop what is due in (since, now]."""
    now = now or utcnow()
    report = PowerReport(warned=await warn_before_stops(organization_id=organization_id, since=since, now=now))
    due = await due_actions(organization_id, since=since, now=now)
    claimed = [d for d in due if await _claim(organization_id, d, now)]
    if not claimed:
        return report
    resources = {r.id: r for r in await Resource.filter(id__in=[d.resource_id for d in claimed])
                 .select_related("data_source", "power_schedule")}
    batches: dict[tuple, list[tuple[DueAction, Resource]]] = defaultdict(list)
    for action in claimed:
        resource = resources[action.resource_id]
        batches[(resource.data_source_id, resource.region, action.action)].append((action, resource))
    for (_, _, verb), items in batches.items():
        results = await _call_cloud(verb, items, open_adapter)
        for action, resource in items:
            result = results[resource.cloud_resource_id]
            await _record(resource, action, result, now)
            report.outcomes[result.outcome].append(resource.cloud_resource_id)
    return report


async def warn_before_stops(*, organization_id: int, since: datetime, now: datetime | None = None) -> int:
    """Tell each owner once per stop, `warn_minutes` before it, with the choice to snooze or skip it."""
    now = now or utcnow()
    warnings = [w for w in await due_warnings(organization_id, since=since, now=now) if w.stop_at > now]
    if not warnings:
        return 0
    resources = {r.id: r for r in await Resource.filter(id__in=[w.resource_id for w in warnings], owner_id__not_isnull=True)
                 .select_related("power_schedule")}
    sent = 0
    for warning in warnings:
        resource = resources.get(warning.resource_id)
        if resource is None:
            continue
        schedule = resource.power_schedule
        local = warning.stop_at.astimezone(ZoneInfo(schedule.timezone))
        payload = {"code": "notice_power_warning", "resource_id": resource.id, "stop_at": warning.stop_at.isoformat(),
                   "params": {"schedule": schedule.name, "resource": resource.label, "timezone": schedule.timezone,
                              "stop_local": local.strftime("%Y-%m-%d %H:%M"), "stop": show(warning.stop_at)}}
        sent += await announce(organization_id=organization_id, kind="power_warning", payload=payload, now=now,
                               key=f"power_warn:{resource.id}:{_iso(warning.stop_at)}",
                               targets=[Target(member_id=resource.owner_id)])
    return sent


async def _claim(organization_id: int, action: DueAction, now: datetime) -> bool:
    return await claim_notice(organization_id=organization_id, now=now,
                              key=f"power:{action.resource_id}:{action.action}:{_iso(action.at)}")


async def _call_cloud(verb: str, items: list[tuple[DueAction, Resource]],
                      open_adapter: AdapterOpener) -> dict[str, PowerResult]:
    """One adapter call for a batch; anything it cannot answer for counts as failed."""
    resources = [resource for _, resource in items]
    source = resources[0].data_source
    answered: dict[str, PowerResult] = {}
    if source is None:
        detail = render("power_no_data_source")
    else:
        try:
            adapter = open_adapter(source)
            targets = [PowerTarget(r.cloud_resource_id, r.region) for r in resources]
            results = await (adapter.start(targets) if verb == START else adapter.stop(targets))
            answered = {r.cloud_resource_id: r for r in results}
            detail = "the cloud gave no answer for it"
        except Exception as exc:  # adapters raise CoreErrors, SDKs anything else: both are recorded
            log.warning("power %s in data source %s failed: %s", verb, source.id, exc)
            detail = str(exc)
    return {r.cloud_resource_id: answered.get(r.cloud_resource_id, PowerResult(r.cloud_resource_id, FAILED, detail))
            for r in resources}


async def _record(resource: Resource, action: DueAction, result: PowerResult, now: datetime) -> None:
    """The outcome on the resource's event log; a failure also to its owner (else the org managers)."""
    schedule = resource.power_schedule.name if resource.power_schedule else "(deleted)"
    done, state = _DONE[action.action]
    params = {"schedule": schedule, "action": action.action, "action_done": done, "state": state,
              "at": show(action.at), "detail": (result.detail or "unknown error").rstrip(".")}
    outcome = result.outcome if result.outcome in (OK, ALREADY, GONE) else FAILED
    async with transaction():
        await ResourceEvent.create(organization_id=resource.organization_id, resource=resource,
                                   kind=f"power_{action.action}_{outcome}", created_at=now,
                                   message=render(f"event_power_{outcome}", **params))
        if outcome == FAILED:
            targets = ([Target(member_id=resource.owner_id)] if resource.owner_id
                       else await manager_targets(resource.organization_id))
            await notify(organization_id=resource.organization_id, kind="power_failed", now=now,
                         key=f"power_failed:{resource.id}:{action.action}:{_iso(action.at)}", targets=targets,
                         payload={"code": "notice_power_failed", "resource_id": resource.id,
                                  "params": {**params, "resource": resource.label}})


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()
