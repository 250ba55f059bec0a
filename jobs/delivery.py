"""Every 10 seconds: deliver due outbox messages (rows are claimed one by one, so no job lease)."""

from core.errors import InvalidInput
from core.services.outbox import BATCH, DeliveryReport, deliver_due
from jobs.runner import Deps, Job, Window

MAX_BATCHES = 20


async def run(window: Window, deps: Deps) -> str:
    """Batches until the due messages run out (at most MAX_BATCHES, so a tick stays short)."""
    if not deps.senders:
        raise InvalidInput("job_needs_slack")
    total = DeliveryReport()
    for _ in range(MAX_BATCHES):
        report = await deliver_due(senders=deps.senders, worker=deps.worker, now=window.now)
        for name, count in vars(report).items():
            setattr(total, name, getattr(total, name) + count)
        if sum(vars(report).values()) < BATCH:
            break
    return (f"{total.delivered} delivered, {total.retried} to retry, {total.rerouted} rerouted, "
            f"{total.failed} failed")


JOB = Job("delivery", {"trigger": "interval", "seconds": 10}, run, leased=False)
