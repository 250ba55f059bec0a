"""The power side of booking transitions: the cloud resource of an environment linked to a power schedule
is started when a booking begins and stopped when a booking ends (or is released) and no other covers now.

The actions go through core.services.power.execute: claimed once per booking transition (so several
processes, or a run repeated, act once), batched per data source and region, recorded on the resource's
event log; a failure also goes to the booking's holder. Hand-made environments (no resource) and
resources without a data source have nothing to power.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from core.models import Booking, SharedEnvironment
from core.rules.power import START, STOP
from core.services.power import AdapterOpener, PowerAction, bookings_in_progress, execute, iso
from core.timefmt import show


async def power_bookings(*, organization_id: int, since: datetime, now: datetime,
                         open_adapter: AdapterOpener) -> dict[str, list[str]]:
    """Start the resource of each linked environment whose booking began in (since, now] and covers now;
    stop it when a booking ended in (since, now] and none covers now. Returns cloud ids per outcome."""
    environments = {e.id: e for e in await SharedEnvironment.filter(
        organization_id=organization_id, power_schedule_id__not_isnull=True, resource_id__not_isnull=True)
        .select_related("resource__data_source") if e.resource.data_source_id is not None}
    if not environments:
        return {}
    linked = Booking.filter(environment_id__in=list(environments)).select_related("member")
    began = await (linked.filter(starts_at__gt=since, starts_at__lte=now)
                   .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now)).order_by("starts_at", "id"))
    ended = {b.environment_id: b  # the last end per environment
             for b in await linked.filter(ends_at__gt=since, ends_at__lte=now).order_by("ends_at", "id")}
    busy = {b.environment_id for b in await bookings_in_progress(now, environment_id__in=list(ended))}
    actions = [_action(environments[b.environment_id], b, START) for b in began]
    actions += [_action(environments[env_id], b, STOP) for env_id, b in ended.items() if env_id not in busy]
    return await execute(actions, open_adapter=open_adapter, now=now)


def _action(env: SharedEnvironment, booking: Booking, verb: str) -> PowerAction:
    moment = booking.starts_at if verb == START else booking.ends_at
    params = {"environment": env.name, "person": booking.member.label, "at": show(moment),
              "event": "began" if verb == START else "ended"}
    return PowerAction(env.resource, verb, f"env_power:{booking.id}:{verb}:{iso(moment)}", "env_power", params,
                       [booking.member_id])
