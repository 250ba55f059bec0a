"""One Cloudtuner instance for the multi-instance test, run as its own process.

`python -m tests.scenario.jobs_instance DB_URL SLACK_API_URL START TICKS GO_FILE` connects to the shared
database, waits until GO_FILE exists (so all instances start together), then runs every job at START,
START + 1 min, ... exactly as the scheduler's tick does, and prints how many runs it made and how
many it found held by another instance. Its cloud appends each action to the file named
in the data source's config, one line per instance acted on.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import datetime, timedelta

from bot.notify.deliverer import slack_sender
from core import db
from core.adapters import registry
from core.adapters.base import Capability, Credentials, KindInfo, PowerResult, PowerTarget
from core.crypto import SecretBox
from jobs.runner import Deps, run_job
from core.models import DataSourceKind
from jobs.scheduler import JOBS

KIND = "alibaba"
ORDER = ["constraint_check", "ttl_warnings", "pool_alerts", "booking_events", "power_schedules", "data_sources",
         "delivery"]


class LoggingAdapter:
    """A cloud that accepts every action except on ids listed as failing, and logs each one."""

    def __init__(self, credentials: Credentials) -> None:
        self.log = credentials.config["log"]
        self.failing = set(credentials.config.get("failing", ()))

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return self._act("start", targets)

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return self._act("stop", targets)

    def _act(self, verb: str, targets: list[PowerTarget]) -> list[PowerResult]:
        lines = "".join(f"{verb} {t.cloud_resource_id} {os.getpid()}\n" for t in targets)
        fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(fd, lines.encode())
        finally:
            os.close(fd)
        return [PowerResult(t.cloud_resource_id, "failed" if t.cloud_resource_id in self.failing else "ok",
                            "IncorrectInstanceState") for t in targets]


async def main(url: str, api_url: str, start: datetime, ticks: int, go_file: str) -> None:
    registry.register(KindInfo(kind=DataSourceKind(KIND), cloud="Logging", label="Logging cloud (tests)", help="",
                               capabilities=frozenset({Capability.POWER}), fields=(),
                               factory=f"{__name__}:LoggingAdapter"))
    box = SecretBox("k" * 40)
    send = slack_sender(box=box, public_url="https://ct.example.test", bot_token="xoxb-test", api_url=api_url)
    deps = Deps(worker=f"instance-{os.getpid()}", box=box, senders=dict.fromkeys(send.kinds, send),
                open_adapter=lambda s: registry.adapter_for(s.kind.value, Credentials(config=s.config, secrets={})))
    await db.start(url)
    try:
        while not os.path.exists(go_file):
            time.sleep(0.01)
        ran = skipped = 0
        for tick in range(ticks):
            now = start + timedelta(minutes=tick)
            for name in ORDER:
                if await run_job(JOBS[name], deps, now=now) is None:
                    skipped += 1
                else:
                    ran += 1
        print(f"ran={ran} skipped={skipped}")
    finally:
        await db.stop()


if __name__ == "__main__":
    db_url, slack_url, first, count, go = sys.argv[1:6]
    asyncio.run(main(db_url, slack_url, datetime.fromisoformat(first), int(count), go))
