"""Every 5 minutes: announce new constraint violations."""

from core.services.checks import notify_violations
from jobs.runner import Deps, Job, Window, for_each_org


async def run(window: Window, deps: Deps) -> str:
    announced, failed = await for_each_org(lambda org: notify_violations(organization_id=org, now=window.now))
    return f"{announced} violation(s) announced, {failed} organization(s) failed"


JOB = Job("constraint_check", {"trigger": "cron", "minute": "*/5", "second": 15}, run)
