"""Every minute: pre-stop warnings, then the power schedules' due starts and stops."""

from core.errors import InvalidInput
from core.services.power import FAILED, SKIPPED, run_power_schedules
from jobs.runner import Deps, Job, Window, for_each_org


async def run(window: Window, deps: Deps) -> str:
    if deps.open_adapter is None:
        raise InvalidInput("job_needs_adapters")
    counts = {"warned": 0, "acted": 0, "skipped": 0}

    async def one(organization_id: int) -> int:
        report = await run_power_schedules(organization_id=organization_id, since=window.since, now=window.now,
                                           open_adapter=deps.open_adapter)
        counts["warned"] += report.warned
        if deps.metrics is not None:
            deps.metrics.powered(report.tally)
        counts["skipped"] += len(report.outcomes.get(SKIPPED, ()))
        counts["acted"] += sum(len(ids) for outcome, ids in report.outcomes.items() if outcome != SKIPPED)
        return len(report.outcomes.get(FAILED, ()))

    failures, failed = await for_each_org(one)
    return (f"{counts['warned']} warning(s), {counts['acted']} action(s) of which {failures} failed, "
            f"{counts['skipped']} stop(s) skipped for bookings, {failed} organization(s) failed")


JOB = Job("power_schedules", {"trigger": "cron", "second": 5}, run)
