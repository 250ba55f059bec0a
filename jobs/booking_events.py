"""Every minute: announce bookings that began or ended, serve the waitlists they free, and power the
resources of schedule-linked environments on at a booking's start and off at its end."""

from core.services.checks import booking_transitions
from jobs.runner import Deps, Job, Window, for_each_org


async def run(window: Window, deps: Deps) -> str:
    """Without cloud adapters (deps.open_adapter None) bookings are still announced, nothing is powered."""
    events, failed = await for_each_org(
        lambda org: booking_transitions(organization_id=org, since=window.since, now=window.now,
                                        open_adapter=deps.open_adapter))
    return f"{events} booking event(s), {failed} organization(s) failed"


JOB = Job("booking_events", {"trigger": "cron", "second": 10}, run)
