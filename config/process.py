"""The composition root: builds and runs the one process from settings."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiohttp import web

from config.settings import Settings, ensure_secret_key
from core import db
from jobs.scheduler import build_scheduler
from webconsole.app import build_app

log = logging.getLogger("cloudtuner")


async def prepare_database(settings: Settings, *, apply_migrations: bool = True) -> None:
    """Make the data dir, apply migrations when asked, then connect."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if apply_migrations:
        await db.migrate(settings.db_url)
    await db.start(settings.db_url)


async def serve(settings: Settings, *, apply_migrations: bool = True, stop: asyncio.Event | None = None) -> None:
    """Run the HTTP server and the scheduler until SIGINT/SIGTERM (or `stop` is set)."""
    ensure_secret_key(settings)
    await prepare_database(settings, apply_migrations=apply_migrations)
    scheduler = build_scheduler()
    scheduler.start()

    async def scheduler_check() -> None:
        if not scheduler.running:
            raise RuntimeError("scheduler is not running")

    app = build_app(checks={"database": db.ping, "scheduler": scheduler_check})
    runner = web.AppRunner(app)
    await runner.setup()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
        log.info("Cloudtuner serving on http://%s:%s (%s database)", settings.host, settings.port, db.dialect())
        await stop.wait()
    finally:
        log.info("shutting down")
        scheduler.shutdown(wait=False)
        await runner.cleanup()
        await db.stop()
