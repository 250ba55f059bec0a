"""Every minute: announce bookings that began or ended, serve the waitlists they free, and power the
resources of schedule-linked environments on at a booking's start and off at its end."""

from core.services.booking_power import power_bookings
from core.services.checks import booking_transitions
from jobs.runner import Deps, Job, Window, for_each_org


async def run(window: Window, deps: Deps) -> str:
    """Without cloud adapters (deps.open_adapter None) bookings are still announced, nothing is powered."""

    async def one(organization_id: int) -> int:
        events = await booking_transitions(organization_id=organization_id, since=window.since, now=window.now)
        if deps.open_adapter is not None:
            await power_bookings(organization_id=organization_id, since=window.since, now=window.now,
                                 open_adapter=deps.open_adapter)
        return events

    events, failed = await for_each_org(one)
    return f"{events} booking event(s), {failed} organization(s) failed"


JOB = Job("booking_events", {"trigger": "cron", "second": 10}, run)
