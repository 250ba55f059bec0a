"""Every 5 minutes: warn owners once when a TTL passes within 24 hours."""

from core.services.checks import warn_expiring_ttls
from jobs.runner import Deps, Job, Window, for_each_org


async def run(window: Window, deps: Deps) -> str:
    warned, failed = await for_each_org(lambda org: warn_expiring_ttls(organization_id=org, now=window.now))
    return f"{warned} TTL warning(s) sent, {failed} organization(s) failed"


JOB = Job("ttl_warnings", {"trigger": "cron", "minute": "*/5", "second": 20}, run)
