"""Hourly: import every data source (discovery, billing, metrics) but the sample ones `cloudtuner demo` loads,
then evaluate the pool alerts it may move.

A failed import is recorded on the data source and told to the org managers once per run of failures.
"""

import asyncio
import logging
import uuid

from core.errors import CoreError, InvalidInput
from core.messages import render
from core.models import DataSource
from core.services.checks import evaluate_pool_alerts
from core.services.import_failures import record_import_failure
from core.services.imports import run_import
from jobs.runner import Deps, Job, Window

log = logging.getLogger(__name__)


async def run(window: Window, deps: Deps) -> str:
    if deps.box is None:
        raise InvalidInput("job_needs_adapters")
    imported = failed = 0
    organizations = set()
    for source in await DataSource.filter(sample=False).order_by("id"):  # sample data has no cloud to import from
        started = asyncio.get_running_loop().time()
        try:
            summary = await run_import(data_source_id=source.id, box=deps.box, now=window.now)
        except CoreError as exc:
            log.warning("import of data source %s failed: %s", source.id, exc)
            detail = str(exc)
        except Exception:  # one broken source must not stop the others; managers get a reference, not internals
            ref = uuid.uuid4().hex[:8]
            log.exception("import of data source %s failed (ref %s)", source.id, ref)
            detail = render("import_failed_unexpectedly", ref=ref)
        else:
            if deps.metrics is not None:
                deps.metrics.imported(source.kind.value, asyncio.get_running_loop().time() - started, summary.items_read)
            imported += 1
            organizations.add(source.organization_id)
            continue
        failed += 1
        await record_import_failure(data_source_id=source.id, detail=detail, now=window.now,
                                    was_failing=source.last_import_status.startswith("failed"),
                                    last_import_at=source.last_import_at)
    fired = 0
    for organization_id in sorted(organizations):
        fired += await evaluate_pool_alerts(organization_id=organization_id, now=window.now)
    return f"{imported} data source(s) imported, {failed} failed, {fired} alert(s) fired"


JOB = Job("data_sources", {"trigger": "cron", "minute": 5}, run)
