"""Every minute: announce bookings that began or ended, and serve the waitlists they free."""

from core.services.checks import booking_transitions
from jobs.runner import Deps, Job, Window, for_each_org


async def run(window: Window, deps: Deps) -> str:
    events, failed = await for_each_org(
        lambda org: booking_transitions(organization_id=org, since=window.since, now=window.now))
    return f"{events} booking event(s), {failed} organization(s) failed"


JOB = Job("booking_events", {"trigger": "cron", "second": 10}, run)
