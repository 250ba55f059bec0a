"""Periodic checks that notify: constraint violations, TTLs about to pass, pool alerts, booking
transitions (acquired, released, waitlist turns, and the power of schedule-linked environments) and
failed data-source imports.

Each event is claimed once (core.services.outbox.claim_notice) in the same transaction that writes
its messages, so a check may run any number of times, on any number of processes, and each event
is announced once: a violation once per period key, a TTL warning once per resource and TTL value,
a pool alert once per crossing per month (core.services.alerts.record_evaluation keeps that state).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from core.clock import utcnow
from core.db import transaction
from core.models import (Alert, AlertBasis, Booking, ConstraintKind, DataSource, Organization, Pool, PoolPolicy,
                         Resource, ResourceConstraint, SharedEnvironment)
from core.money import shown
from core.queries.costs import pool_summary
from core.rules import constraints as rules
from core.services.alerts import record_evaluation
from core.services.constraints import check_organization
from core.services.env_power import power_bookings
from core.services.outbox import Target, announce, claim_notice, manager_targets, notify
from core.services.power import AdapterOpener
from core.services.waitlist import TurnOutcome, next_waitlist_turn
from core.timefmt import show

TTL_WARNING_WINDOW = timedelta(hours=24)
_VIOLATION_CODES = {
    ConstraintKind.TTL: "notice_ttl_passed",
    ConstraintKind.DAILY_EXPENSE_LIMIT: "notice_daily_limit",
    ConstraintKind.TOTAL_EXPENSE_LIMIT: "notice_total_limit",
}


async def notify_violations(*, organization_id: int, now: datetime | None = None) -> int:
    """Announce each new constraint violation to the resource's owner and the pool's constraint alerts.

    Returns the number of violations announced now (earlier ones are not repeated).
    """
    now = now or utcnow()
    currency = await _currency(organization_id)
    targets = AlertTargets(organization_id, AlertBasis.CONSTRAINT)
    announced = 0
    for found in await check_organization(organization_id=organization_id, now=now):
        resource = found.resource
        for violation in found.violations:
            key = f"violation:{resource.id}:{violation.kind.value}:{violation.period_key}"
            payload = {"code": _VIOLATION_CODES[violation.kind], "resource_id": resource.id,
                       "params": _violation_params(resource, violation, currency)}
            recipients = _owner(resource) + await targets.for_pool(resource.pool_id)
            if not recipients:
                continue
            announced += await announce(organization_id=organization_id, kind="constraint_violation", key=key,
                                        payload=payload, targets=recipients, now=now)
    return announced


async def warn_expiring_ttls(*, organization_id: int, now: datetime | None = None) -> int:
    """Warn owners once per resource and TTL value when the TTL passes within 24 hours; returns how many."""
    now = now or utcnow()
    warned = 0
    for resource, deadline in await _ttl_deadlines(organization_id):
        if resource.owner_id is None or not now < deadline <= now + TTL_WARNING_WINDOW:
            continue
        key = f"ttl_soon:{resource.id}:{deadline.astimezone(timezone.utc).isoformat()}"
        payload = {"code": "notice_ttl_expiring", "resource_id": resource.id, "ttl": deadline.isoformat(),
                   "params": {"resource": resource.label, "ttl": show(deadline)}}
        warned += await announce(organization_id=organization_id, kind="ttl_expiring", key=key, payload=payload,
                                 targets=_owner(resource), now=now)
    return warned


async def evaluate_pool_alerts(*, organization_id: int, now: datetime | None = None) -> int:
    """Evaluate every cost and forecast alert of the organization for this month; returns how many fired."""
    now = now or utcnow()
    today = now.astimezone(timezone.utc).date()
    month = today.strftime("%Y-%m")
    alerts = await (Alert.filter(organization_id=organization_id, based_on__in=[AlertBasis.COST, AlertBasis.FORECAST])
                    .prefetch_related("recipients").order_by("id"))
    summaries: dict[int, object] = {}
    fired = 0
    for alert in alerts:
        if alert.pool_id not in summaries:
            summaries[alert.pool_id] = await pool_summary(alert.pool_id, today=today)
        summary = summaries[alert.pool_id]
        forecast = alert.based_on == AlertBasis.FORECAST
        value = summary.forecast.value if forecast else summary.cost
        async with transaction():
            decision = await record_evaluation(alert_id=alert.id, month=month, value=value, limit=summary.limit,
                                               formula=summary.forecast.formula if forecast else None)
            if decision.fire:
                payload = {"code": decision.message_code, "params": decision.params, "pool_id": alert.pool_id,
                           "alert_id": alert.id}
                await notify(organization_id=organization_id, kind="pool_alert", payload=payload,
                             key=f"alert:{alert.id}:{month}:{now.isoformat()}", targets=alert_targets(alert), now=now)
                fired += 1
    return fired


async def booking_transitions(*, organization_id: int, since: datetime, now: datetime | None = None,
                              open_adapter: AdapterOpener | None = None) -> int:
    """Announce bookings that began or ended in (since, now] to the pool's env_change alerts, serve the
    waitlist of each environment a booking left, then (given an adapter opener) start or stop the resources
    of schedule-linked environments (core.services.env_power); returns the number of new booking events.
    """
    now = now or utcnow()
    targets = AlertTargets(organization_id, AlertBasis.ENV_CHANGE)
    in_org = Booking.filter(environment__organization_id=organization_id).select_related("environment", "member")
    handled = 0
    for booking in await in_org.filter(starts_at__gt=since, starts_at__lte=now).order_by("starts_at", "id"):
        if booking.ends_at is None or booking.ends_at > now:
            handled += await _booking_began(organization_id, booking, targets, now)
    for booking in await in_org.filter(ends_at__gt=since, ends_at__lte=now).order_by("ends_at", "id"):
        handled += await _booking_ended(organization_id, booking, targets, now)
    if open_adapter is not None:
        await power_bookings(organization_id=organization_id, since=since, now=now, open_adapter=open_adapter)
    return handled


async def notify_import_failure(*, data_source_id: int, detail: str, was_failing: bool,
                                last_import_at: datetime | None, now: datetime | None = None) -> int:
    """Tell the org managers that a data source's import failed, once per run of failures (not hourly)."""
    now = now or utcnow()
    source = await DataSource.get_or_none(id=data_source_id)
    if source is None or was_failing:
        return 0
    since = last_import_at.astimezone(timezone.utc).isoformat() if last_import_at else "never"
    payload = {"code": "notice_import_failed", "data_source_id": source.id,
               "params": {"data_source": source.name, "detail": detail.rstrip(".")}}
    return await announce(organization_id=source.organization_id, kind="import_failed", payload=payload, now=now,
                          key=f"import_failed:{source.id}:{since}", targets=await manager_targets(source.organization_id))


def alert_targets(alert: Alert) -> list[Target]:
    """An alert's channels and recipients (prefetched) as outbox targets."""
    return ([Target(channel=c) for c in alert.channels]
            + [Target(member_id=m.id) for m in sorted(alert.recipients, key=lambda m: m.id)])


class AlertTargets:
    """Targets of one organization's alerts of one basis that cover a pool: its own alerts and those of
    pools above it that include sub-pools. Loaded once, then answered per pool."""

    def __init__(self, organization_id: int, basis: AlertBasis) -> None:
        self.organization_id = organization_id
        self.basis = basis
        self._loaded: tuple[dict, dict] | None = None

    async def for_pool(self, pool_id: int) -> list[Target]:
        parents, by_pool = await self._load()
        found: list[Target] = []
        for index, chain_pool in enumerate(rules.pool_chain(pool_id, parents)):
            for alert in by_pool.get(chain_pool, ()):
                if index == 0 or alert.include_children:
                    found.extend(alert_targets(alert))
        return list(dict.fromkeys(found))

    async def _load(self) -> tuple[dict, dict]:
        if self._loaded is None:
            parents = dict(await Pool.filter(organization_id=self.organization_id).values_list("id", "parent_id"))
            by_pool: dict[int, list[Alert]] = defaultdict(list)
            for alert in await Alert.filter(organization_id=self.organization_id, based_on=self.basis).prefetch_related(
                    "recipients").order_by("id"):
                by_pool[alert.pool_id].append(alert)
            self._loaded = (parents, by_pool)
        return self._loaded


def _owner(resource: Resource) -> list[Target]:
    return [Target(member_id=resource.owner_id)] if resource.owner_id is not None else []


async def _currency(organization_id: int) -> str:
    return await Organization.filter(id=organization_id).first().values_list("currency", flat=True) or ""


def _violation_params(resource: Resource, violation: rules.Violation, currency: str) -> dict:
    if violation.kind == ConstraintKind.TTL:
        return {"resource": resource.label, "limit": show(violation.limit)}
    return {"resource": resource.label, "actual": shown(violation.actual),
            "limit": f"{Decimal(violation.limit):,}", "currency": currency, "day": violation.period_key}


async def _ttl_deadlines(organization_id: int) -> list[tuple[Resource, datetime]]:
    """Active resources of the organization with the TTL that applies to them (own, else pool policy)."""
    parents = dict(await Pool.filter(organization_id=organization_id).values_list("id", "parent_id"))
    policies = {pool_id: rules.Policy(pool_id, ConstraintKind.TTL, value, active) for pool_id, value, active in
                await PoolPolicy.filter(pool__organization_id=organization_id, kind=ConstraintKind.TTL)
                .values_list("pool_id", "value", "active")}
    own = dict(await ResourceConstraint.filter(resource__organization_id=organization_id, kind=ConstraintKind.TTL)
               .values_list("resource_id", "until"))
    found = []
    for resource in await Resource.filter(organization_id=organization_id, active=True).order_by("id"):
        chain = [policies[p] for p in rules.pool_chain(resource.pool_id, parents) if p in policies]
        mine = [rules.Own(ConstraintKind.TTL, until=own[resource.id])] if own.get(resource.id) else []
        ttl = rules.effective_constraints(resource.first_seen, mine, chain).get(ConstraintKind.TTL)
        if ttl is not None:
            found.append((resource, ttl.value))
    return found


async def _booking_began(organization_id: int, booking: Booking, targets: AlertTargets, now: datetime) -> int:
    env = booking.environment
    payload = {"code": "notice_env_acquired", "environment_id": env.id, "booking_id": booking.id,
               "params": {"person": booking.member.label, "environment": env.name, "starts": show(booking.starts_at),
                          "ends": show(booking.ends_at)}}
    return await announce(organization_id=organization_id, kind="env_acquired", payload=payload, now=now,
                          key=f"booking:{booking.id}:start:{_iso(booking.starts_at)}",
                          targets=await targets.for_pool(env.pool_id))


async def _booking_ended(organization_id: int, booking: Booking, targets: AlertTargets, now: datetime) -> int:
    """The release message and the waitlist turns it causes, all in one transaction."""
    env = booking.environment
    key = f"booking:{booking.id}:end:{_iso(booking.ends_at)}"
    async with transaction():
        if not await claim_notice(organization_id=organization_id, key=key, now=now):
            return 0
        payload = {"code": "notice_env_released", "environment_id": env.id, "booking_id": booking.id,
                   "params": {"person": booking.member.label, "environment": env.name, "ends": show(booking.ends_at)}}
        await notify(organization_id=organization_id, kind="env_released", key=key, payload=payload,
                     targets=await targets.for_pool(env.pool_id), now=now)
        await _serve_waitlist(organization_id, env, targets, now)
    return 1


async def _serve_waitlist(organization_id: int, env: SharedEnvironment, targets: AlertTargets, now: datetime) -> None:
    """Tell waiting members in turn while the environment stays free; hand it to the first who asked for it."""
    while True:
        turn = await next_waitlist_turn(env.id, now=now)
        if turn.outcome not in (TurnOutcome.NOTIFY, TurnOutcome.ACQUIRED):
            return
        params = {"environment": env.name}
        if turn.booking is not None:
            params.update(starts=show(turn.booking.starts_at), ends=show(turn.booking.ends_at))
        code = "notice_waitlist_acquired" if turn.booking is not None else "notice_waitlist_free"
        await notify(organization_id=organization_id, kind="waitlist_turn", key=f"waitlist:{turn.entry.id}",
                     payload={"code": code, "environment_id": env.id, "params": params},
                     targets=[Target(member_id=turn.entry.member_id)], now=now)
        if turn.booking is not None:
            turn.booking.member = turn.entry.member
            turn.booking.environment = env
            await _booking_began(organization_id, turn.booking, targets, now)
            return


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()
