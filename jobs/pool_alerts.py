"""Hourly (and after each billing import): evaluate pool cost and forecast alerts."""

from core.services.checks import evaluate_pool_alerts
from jobs.runner import Deps, Job, Window, for_each_org


async def run(window: Window, deps: Deps) -> str:
    fired, failed = await for_each_org(lambda org: evaluate_pool_alerts(organization_id=org, now=window.now))
    return f"{fired} alert(s) fired, {failed} organization(s) failed"


JOB = Job("pool_alerts", {"trigger": "cron", "minute": 25}, run)
