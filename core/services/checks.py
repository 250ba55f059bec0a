"""What only time reveals, found by periodic checks and recorded as events: constraint violations (TTL
passed, expense limits exceeded), TTLs about to pass, pool alerts crossed, and bookings whose start or end
has come (with the waitlist turns an end causes). What a person does (a release, an extension, an edit)
is recorded by that use case itself; the power side of booking transitions is core.services.booking_power.

Each event is claimed once (its key, core.events.record) in the same transaction that writes its
messages, so a check may run any number of times, on any number of processes, and each event is
announced once: a violation once per period key, a TTL warning once per resource and TTL value, a pool
alert once per crossing per month (core.services.alerts.record_evaluation keeps that state), a booking's
start or end once per moment (a release claims the end it makes).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from core.clock import utcnow
from core.db import transaction
from core.events import ConstraintViolated, ExpenseLimitExceeded, PoolAlertCrossed, TtlExpiring, TtlPassed
from core.events.record import record, record_all
from core.events.routing import Router
from core.models import (Alert, AlertBasis, Booking, ConstraintKind, Organization, Pool, PoolPolicy, Resource,
                         ResourceConstraint)
from core.queries.costs import pool_summary
from core.rules import constraints as rules
from core.services.alerts import record_evaluation
from core.queries.constraints import check_organization
from core.services.handover import booking_ended, booking_started

TTL_WARNING_WINDOW = timedelta(hours=24)


async def notify_violations(*, organization_id: int, now: datetime | None = None) -> int:
    """Record each new constraint violation (to the resource's owner and the pool's constraint alerts).

    Returns the number of violations announced now (earlier ones are not repeated).
    """
    now = now or utcnow()
    currency = await _currency(organization_id)
    violated = [(_violated(found.resource, violation, currency),
                 f"violation:{found.resource.id}:{violation.kind.value}:{violation.period_key}")
                for found in await check_organization(organization_id=organization_id, now=now)
                for violation in found.violations]
    return await record_all(violated, organization_id=organization_id, now=now, until_heard=True)


async def warn_expiring_ttls(*, organization_id: int, now: datetime | None = None) -> int:
    """Warn owners once per resource and TTL value when the TTL passes within 24 hours; returns how many."""
    now = now or utcnow()
    expiring = [(TtlExpiring(resource.id, resource.label, resource.pool_id, resource.owner_id, ttl=deadline),
                 f"ttl_soon:{resource.id}:{deadline.astimezone(timezone.utc).isoformat()}")
                for resource, deadline in await _ttl_deadlines(organization_id)
                if resource.owner_id is not None and now < deadline <= now + TTL_WARNING_WINDOW]
    return await record_all(expiring, organization_id=organization_id, now=now)


async def evaluate_pool_alerts(*, organization_id: int, now: datetime | None = None) -> int:
    """Evaluate every cost and forecast alert of the organization for this month; returns how many fired."""
    now = now or utcnow()
    today = now.astimezone(timezone.utc).date()
    month = today.strftime("%Y-%m")
    alerts = await (Alert.filter(organization_id=organization_id, based_on__in=[AlertBasis.COST, AlertBasis.FORECAST])
                    .select_related("pool").order_by("id"))
    currency = await _currency(organization_id)
    router = Router(organization_id)
    summaries: dict[int, object] = {}
    fired = 0
    for alert in alerts:
        if alert.pool_id not in summaries:
            summaries[alert.pool_id] = await pool_summary(alert.pool_id, today=today)
        summary = summaries[alert.pool_id]
        formula = summary.forecast.formula if alert.based_on == AlertBasis.FORECAST else None
        value = summary.cost if formula is None else summary.forecast.value
        async with transaction():
            decision = await record_evaluation(alert_id=alert.id, month=month, value=value, limit=summary.limit,
                                               formula=formula)
            if decision.fire:
                event = PoolAlertCrossed(alert.id, alert.pool_id, alert.pool.name, alert.based_on.value,
                                         alert.threshold, alert.threshold_type.value, decision.limit, decision.value,
                                         currency, formula)
                fired += await record(event, organization_id=organization_id, now=now, router=router,
                                      key=f"alert:{alert.id}:{month}:{now.isoformat()}")
    return fired


async def booking_transitions(*, organization_id: int, since: datetime, now: datetime | None = None) -> int:
    """Record bookings that began or ended in (since, now] (to the pool's env_change alerts) and serve the
    waitlist of each environment a booking left; returns the number of new booking events. A booking
    released by a person was recorded by the release (core.services.bookings) and is not repeated.
    """
    now = now or utcnow()
    router = Router(organization_id)
    in_org = Booking.filter(environment__organization_id=organization_id).select_related("environment", "member")
    handled = 0
    for booking in await in_org.filter(starts_at__gt=since, starts_at__lte=now).order_by("starts_at", "id"):
        if booking.ends_at is None or booking.ends_at > now:
            handled += await booking_started(booking, router=router, now=now)
    for booking in await in_org.filter(ends_at__gt=since, ends_at__lte=now).order_by("ends_at", "id"):
        handled += await booking_ended(booking, router=router, now=now)
    return handled


def _violated(resource: Resource, violation: rules.Violation, currency: str) -> ConstraintViolated:
    about = (resource.id, resource.label, resource.pool_id, resource.owner_id, violation.period_key)
    if violation.kind == ConstraintKind.TTL:
        return TtlPassed(*about, ttl=violation.limit)
    return ExpenseLimitExceeded(*about, daily=violation.kind == ConstraintKind.DAILY_EXPENSE_LIMIT,
                                actual=Decimal(violation.actual), limit=Decimal(violation.limit), currency=currency)


async def _currency(organization_id: int) -> str:
    return await Organization.filter(id=organization_id).first().values_list("currency", flat=True) or ""


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
