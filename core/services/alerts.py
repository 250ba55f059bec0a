"""Pool alerts: managers create and delete them; the alert job records each evaluation (lists: core.queries.alerts).

Thresholds: cost and forecast alerts need an absolute amount above 0 or a whole percentage of the
pool's monthly limit in 1..500 (a percentage of a pool without a limit is refused: it could never
fire). Constraint and env_change alerts have no threshold; they store 0 (absolute).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Iterable

from core import validate
from core.clock import utcnow
from core.db import transaction
from core.errors import InvalidInput, NotFound
from core.events import AlertAdded, AlertRemoved
from core.events.record import record
from core.models import Alert, AlertBasis, Member, ThresholdType
from core.permissions import load_actor, require_pool_manager
from core.rules import alerts as rules
from core.services import lookup

_CHANNEL = re.compile(r"^[CG][A-Z0-9]{8,11}$")


async def create_alert(*, actor_id: int, pool_id: int, based_on: str, threshold: object, threshold_type: str,
                       include_children: bool = False, channels: Iterable[str] = (),
                       recipient_ids: Iterable[int] = ()) -> Alert:
    """Create an alert on a pool the actor manages, sent to Slack channels and/or members.

    Raises: NotFound (actor, pool, recipient), PermissionDenied (not a manager of the pool),
    InvalidInput (basis, threshold, channel id, no target, percentage on a pool without a limit).
    """
    actor = await load_actor(actor_id)
    basis = validate.choice("based_on", based_on, AlertBasis)
    kind, amount = _threshold(basis, threshold, threshold_type)
    channel_ids = _channels(channels)
    member_ids = list(dict.fromkeys(recipient_ids or ()))
    if not channel_ids and not member_ids:
        raise InvalidInput("alert_needs_target", field="channels")
    async with transaction():
        pool = await lookup.pool(pool_id, actor.organization_id)
        await require_pool_manager(actor, pool)
        if kind == ThresholdType.PERCENTAGE and pool.monthly_limit <= 0:
            raise InvalidInput("percentage_alert_needs_limit", field="threshold_type", pool=pool.name)
        recipients = await _recipients(member_ids, actor.organization_id)
        alert = await Alert.create(
            organization_id=actor.organization_id, pool=pool, based_on=basis, threshold=amount, threshold_type=kind,
            include_children=bool(include_children), channels=channel_ids, created_by=actor)
        if recipients:
            await alert.recipients.add(*recipients)
        added = AlertAdded(alert.id, pool.id, pool.name, basis.value, tuple(channel_ids), tuple(r.id for r in recipients))
        await record(added, organization_id=actor.organization_id, now=utcnow())
    return alert


async def delete_alert(*, actor_id: int, alert_id: int) -> None:
    """Delete an alert of a pool the actor manages.

    Raises: NotFound (actor, alert), PermissionDenied (not a manager of the alert's pool).
    """
    actor = await load_actor(actor_id)
    async with transaction():
        alert = await Alert.get_or_none(id=alert_id, organization_id=actor.organization_id).prefetch_related("pool")
        if alert is None:
            raise NotFound("alert_not_found", alert_id=alert_id)
        await require_pool_manager(actor, alert.pool)
        recipients = await alert.recipients.all().order_by("id").values_list("id", flat=True)
        await record(AlertRemoved(alert.id, alert.pool_id, alert.pool.name, alert.based_on.value,
                                  tuple(alert.channels), tuple(recipients)),
                     organization_id=actor.organization_id, now=utcnow())
        await alert.delete()


async def record_evaluation(*, alert_id: int, month: str, value: Decimal, limit: Decimal,
                            formula: str | None = None) -> rules.Decision:
    """Evaluate a cost or forecast alert for a month and store its state; fire=True means notify now.

    Two processes evaluating the same alert at once cannot both fire: the state is written only if it
    is still the one read, and the loser reports fire=False.
    Raises: NotFound (alert), InvalidInput (month not YYYY-MM, alert without a threshold).
    """
    if not rules.is_month(month):
        raise InvalidInput("invalid_month", field="month", value=month)
    async with transaction():
        alert = await Alert.get_or_none(id=alert_id).prefetch_related("pool", "organization")
        if alert is None:
            raise NotFound("alert_not_found", alert_id=alert_id)
        if alert.based_on.value not in rules.THRESHOLD_BASES:
            raise InvalidInput("alert_has_no_threshold", alert_id=alert_id, based_on=alert.based_on.value)
        decision = rules.evaluate(
            based_on=alert.based_on, threshold=alert.threshold, threshold_type=alert.threshold_type,
            limit=Decimal(limit), value=Decimal(value), month=month, state_month=alert.state_month,
            state_above=alert.state_above, formula=formula)
        updated = await Alert.filter(id=alert.id, state_month=alert.state_month, state_above=alert.state_above).update(
            state_month=decision.new_state_month, state_above=decision.new_state_above)
    params = {**decision.params, "pool": alert.pool.name, "currency": alert.organization.currency}
    return replace(decision, fire=decision.fire and updated == 1, params=params)


def _threshold(basis: AlertBasis, threshold: object, threshold_type: str) -> tuple[ThresholdType, Decimal]:
    if basis.value not in rules.THRESHOLD_BASES:
        return ThresholdType.ABSOLUTE, Decimal(0)
    kind = validate.choice("threshold_type", threshold_type, ThresholdType)
    if kind == ThresholdType.PERCENTAGE:
        percent = validate.whole_number("threshold", threshold,
                                        minimum=1, maximum=rules.MAX_PERCENTAGE)
        return kind, Decimal(percent)
    amount = validate.amount("threshold", threshold)
    if amount <= 0:
        raise InvalidInput("threshold_not_positive", field="threshold")
    return kind, amount


def _channels(channels: Iterable[str]) -> list[str]:
    cleaned = [(c or "").strip() for c in channels or ()]
    for channel in cleaned:
        if not _CHANNEL.match(channel):
            raise InvalidInput("invalid_slack_channel", field="channels", value=channel)
    return list(dict.fromkeys(cleaned))


async def _recipients(member_ids: list[int], organization_id: int) -> list[Member]:
    members = await Member.filter(id__in=member_ids, organization_id=organization_id) if member_ids else []
    found = {m.id for m in members}
    for member_id in member_ids:
        if member_id not in found:
            raise NotFound("member_not_found", member_id=member_id)
    return members
