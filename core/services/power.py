"""Power actions on the cloud: the power schedules' pre-stop warnings, starts and stops, and the executor
that the bookings of schedule-linked environments use too (core.services.booking_power).

What a schedule owes comes from core.services.schedules (transitions only, overrides applied, one action
per resource for a window, so a catch-up after downtime acts once). A stop of the resource of an
environment that a booking covers now is skipped: the booking wins over the schedule.
Each action is claimed once (a notice keyed by the action) before the cloud is called, so several
processes never act twice; its outcome is recorded under a second notice. Claims and outcomes are written
in bulk (INSERT ... ON CONFLICT DO NOTHING RETURNING), a fixed number of statements per CLAIM_BATCH actions. A claim older than
ACTION_LEASE without an outcome belongs to a process that died mid-action: the next run that sees the
action again (a failed job run's window is covered again) retries it once (start and stop are
idempotent), and if that retry dies too, the action is recorded as failed. Actions go through the data
source's adapter in batches per data source, region and action. Every outcome is written to the
resource's event log; an instance already in the target state or gone is recorded, not reported; a
failure also goes to whoever the action names (else the org managers).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from core.adapters.base import CloudAdapter, PowerResult, PowerTarget
from core.clock import utcnow
from core.db import insert_new, transaction
from core.events import PowerActionFailed, PowerWarning
from core.events.record import record, record_all
from core.messages import render
from core.models import Booking, DataSource, Notice, Resource, ResourceEvent
from core.rules.power import START, STOP
from core.services.schedules import DueAction, due_actions, due_warnings
from core.timefmt import show

log = logging.getLogger(__name__)

AdapterOpener = Callable[[DataSource], CloudAdapter]
OK, ALREADY, GONE, FAILED, SKIPPED = "ok", "already", "gone", "failed", "skipped"
NEW, RETRY, ABANDONED = "new", "retry", "abandoned"
# Longer than the jobs' lease timeout (30 s, jobs.runner.LEASE), shorter than their minute: only the job's lease
# holder claims actions, so a claim this old without an outcome is a dead holder's, and its successor retries it.
ACTION_LEASE = timedelta(seconds=45)
CLAIM_BATCH = 500  # actions claimed, and outcomes recorded, per set of statements
_DONE = {START: ("Started", "running"), STOP: ("Stopped", "stopped")}


@dataclass
class PowerReport:
    """What one run did: warnings sent, per outcome the cloud resource ids acted on, and how many actions per
    (verb, outcome)."""

    warned: int = 0
    outcomes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    tally: Counter[tuple[str, str]] = field(default_factory=Counter)


@dataclass
class PowerAction:
    """One start or stop of one resource (data source loaded): its claim key, its message family
    ("power" or "env_power": event_<family>_<outcome>, notice_<family>_failed) and their params, the
    members it names for a failure (empty: routed to the org managers), and an outcome known without
    asking the cloud."""

    resource: Resource
    verb: str
    key: str
    family: str
    params: dict
    tell: list[int]
    decided: PowerResult | None = None


async def run_power_schedules(*, organization_id: int, since: datetime, now: datetime | None = None,
                              open_adapter: AdapterOpener) -> PowerReport:
    """Warn owners of stops coming up, then start and stop what is due in (since, now]."""
    now = now or utcnow()
    report = PowerReport(warned=await warn_before_stops(organization_id=organization_id, since=since, now=now))
    due = await due_actions(organization_id, since=since, now=now)
    if not due:
        return report
    resources = {r.id: r for r in await Resource.filter(id__in=[d.resource_id for d in due])
                 .select_related("data_source", "power_schedule")}
    stops = [d.resource_id for d in due if d.action == STOP]
    booked = {b.environment.resource_id: b
              for b in await bookings_in_progress(now, environment__resource_id__in=stops)}
    actions = [_scheduled(resources[d.resource_id], d, booked.get(d.resource_id) if d.action == STOP else None)
               for d in due]
    report.outcomes = await execute(actions, open_adapter=open_adapter, now=now, tally=report.tally)
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
        event = PowerWarning(resource.id, resource.label, resource.owner_id, schedule.name, schedule.timezone,
                             local.strftime("%Y-%m-%d %H:%M"), warning.stop_at)
        sent += await record(event, organization_id=organization_id, now=now,
                             key=f"power_warn:{resource.id}:{iso(warning.stop_at)}")
    return sent


async def bookings_in_progress(now: datetime, **where: object) -> list[Booking]:
    """Bookings covering `now` (environment and holder loaded) that match the filter `where`."""
    return await (Booking.filter(starts_at__lte=now, **where).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
                  .select_related("environment", "member").order_by("id"))


async def execute(actions: list[PowerAction], *, open_adapter: AdapterOpener, now: datetime,
                  tally: Counter | None = None) -> dict[str, list[str]]:
    """Claim the actions, ask the cloud in batches per data source, region and verb, and record every
    outcome once; returns the cloud resource ids per outcome recorded by this call (and counts them per
    (verb, outcome) in `tally`). Claims and outcomes are written per CLAIM_BATCH actions in a fixed number of
    statements."""
    tally = Counter() if tally is None else tally
    outcomes: dict[str, list[str]] = defaultdict(list)
    batches: dict[tuple, list[PowerAction]] = defaultdict(list)
    decided = []
    for start in range(0, len(actions), CLAIM_BATCH):
        chunk = actions[start:start + CLAIM_BATCH]
        claims = await claim_actions(chunk, now=now)
        for action in chunk:
            claim = claims.get(action.key)
            if claim == ABANDONED:
                action.decided = PowerResult(action.resource.cloud_resource_id, FAILED, render("power_interrupted"))
            if claim is None:
                continue
            if action.decided is not None:
                decided.append((action, action.decided))
            else:
                batches[(action.resource.data_source_id, action.resource.region, action.verb)].append(action)
    for (_, _, verb), items in batches.items():
        results = await _call_cloud(verb, [a.resource for a in items], open_adapter)
        decided.extend((a, results[a.resource.cloud_resource_id]) for a in items)
    for start in range(0, len(decided), CLAIM_BATCH):
        for action, outcome in await _record(decided[start:start + CLAIM_BATCH], now):
            outcomes[outcome].append(action.resource.cloud_resource_id)
            tally[(action.verb, outcome)] += 1
    return outcomes


async def claim_actions(actions: list[PowerAction], *, now: datetime) -> dict[str, str]:
    """Claim each action's key: NEW, RETRY (an earlier claim is older than ACTION_LEASE and has no outcome) or
    ABANDONED (its retry died too: record it as failed); keys another process has, or that are done, are left
    out. At most four statements, whatever the number of actions."""
    org = {a.key: a.resource.organization_id for a in actions}
    claims = {key: NEW for key in await _claim_keys(org, now)}
    rest = [key for key in org if key not in claims]
    if not rest:
        return claims
    seen = dict(await Notice.filter(key__in=[k + suffix for k in rest for suffix in ("", "|done", "|retry")])
                .values_list("key", "created_at"))
    stale = [k for k in rest if k + "|done" not in seen and k in seen and seen[k] <= now - ACTION_LEASE]
    retried = set(await _claim_keys({f"{k}|retry": org[k] for k in stale}, now))
    for key in stale:
        if f"{key}|retry" in retried:
            log.warning("power action %s was claimed at least %s ago and has no outcome: retrying it", key,
                        ACTION_LEASE)
            claims[key] = RETRY
        elif seen.get(f"{key}|retry", now) <= now - ACTION_LEASE:
            claims[key] = ABANDONED
    return claims


async def _claim_keys(organization_of: dict[str, int], now: datetime) -> list[str]:
    """The keys of `organization_of` (key -> organization) newly claimed as notices, in one statement."""
    async with transaction():
        return await insert_new(Notice, [{"organization_id": org, "key": key, "created_at": now}
                                         for key, org in organization_of.items()], unique="key", returning="key")


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def _scheduled(resource: Resource, due: DueAction, booking: Booking | None) -> PowerAction:
    """A schedule's action; a stop of a booked environment's resource is decided as skipped."""
    params = {"schedule": resource.power_schedule.name if resource.power_schedule else "(deleted)", "at": show(due.at)}
    decided = None
    if booking is not None:
        params.update(environment=booking.environment.name, person=booking.member.label, until=show(booking.ends_at))
        decided = PowerResult(resource.cloud_resource_id, SKIPPED)
    return PowerAction(resource, due.action, f"power:{resource.id}:{due.action}:{iso(due.at)}", "power", params,
                       [resource.owner_id] if resource.owner_id else [], decided)


async def _call_cloud(verb: str, resources: list[Resource], open_adapter: AdapterOpener) -> dict[str, PowerResult]:
    """One adapter call for a batch; anything it cannot answer for counts as failed."""
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


async def _record(decided: list[tuple[PowerAction, PowerResult]], now: datetime) -> list[tuple[PowerAction, str]]:
    """Each outcome on its resource's event log, once per action (those already recorded are left out), in one
    transaction of a fixed number of statements; a failure also as an event (to the action's `tell`, else the
    org managers).
    Returns the actions recorded now with their outcome."""
    if not decided:
        return []
    recorded = []
    async with transaction():
        done = set(await insert_new(Notice, [{"organization_id": a.resource.organization_id, "key": f"{a.key}|done",
                                              "created_at": now} for a, _ in decided], unique="key", returning="key"))
        for action, result in decided:
            if f"{action.key}|done" in done:
                outcome = result.outcome if result.outcome in (OK, ALREADY, GONE, SKIPPED) else FAILED
                done_word, state = _DONE[action.verb]
                recorded.append((action, outcome, {**action.params, "action": action.verb, "action_done": done_word,
                                                   "state": state,
                                                   "detail": (result.detail or "unknown error").rstrip(".")}))
        await ResourceEvent.bulk_create([  # one statement
            ResourceEvent(organization_id=a.resource.organization_id, resource_id=a.resource.id, created_at=now,
                          kind=f"{a.family}_{a.verb}_{outcome}", message=render(f"event_{a.family}_{outcome}", **params))
            for a, outcome, params in recorded])
        failed = defaultdict(list)
        for action, outcome, params in recorded:
            if outcome == FAILED:
                resource = action.resource
                event = PowerActionFailed(resource.id, action.family, {**params, "resource": resource.label},
                                          tuple(action.tell))
                failed[action.resource.organization_id].append((event, f"{action.key}|failed"))
        for org, events in failed.items():
            await record_all(events, organization_id=org, now=now)
    return [(action, outcome) for action, outcome, _ in recorded]
