"""Every hour: forget the Slack event ids recorded more than a day ago (Slack retries within minutes)."""

from core.services.slack_deliveries import forget_deliveries
from jobs.runner import Deps, Job, Window


async def run(window: Window, deps: Deps) -> str:
    return f"{await forget_deliveries(now=window.now)} Slack delivery key(s) forgotten"


JOB = Job("slack_deliveries", {"trigger": "cron", "minute": 41}, run)
