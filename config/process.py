"""The composition root: builds and runs the one process from settings."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from functools import partial

from aiohttp import web
from prometheus_client import CollectorRegistry

from bot.app import BotConfig, api_base
from bot.manifest import manifest
from bot.notify.deliverer import slack_sender
from bot.runtime import OFF_MESSAGE, Bot, start_bot
from config.settings import Settings, SettingsError
from config.startup import ensure_secret_key, prepare
from core import db
from core.adapters import context
from core.crypto import SecretBox
from core.services import datasources, setup
from jobs.metrics import JobMetrics
from jobs.runner import Deps
from jobs.scheduler import build_scheduler, register_jobs, stop_jobs
from webconsole.access_log import RedactingAccessLogger
from webconsole.app import build_app
from webconsole.console import console_routes
from webconsole.metrics import metrics_routes
from webconsole.options import ConsoleConfig, SlackSetup, SlackSignIn
from webconsole.slack_routes import slack_routes

log = logging.getLogger("cloudtuner")


def configure_adapters(settings: Settings) -> None:
    """Tell the cloud adapters where the clouds' APIs are (settings), before any is opened."""
    context.use(context.AdapterContext(
        azure_arm_url=settings.azure_arm_url, azure_authority_url=settings.azure_authority_url,
        bigquery_url=settings.bigquery_url, google_api_url=settings.google_api_url, ca_bundle=settings.ca_bundle))


async def prepare_database(settings: Settings, *, apply_migrations: bool = True) -> None:
    """Check the data dir and the database, apply migrations when asked, then connect.

    Raises: SettingsError.
    """
    await prepare(settings)
    if apply_migrations:
        await db.migrate(settings.db_url)
    await db.start(settings.db_url)


async def serve(settings: Settings, *, apply_migrations: bool = True, stop: asyncio.Event | None = None,
                jobs: bool = True, slack: bool = True) -> None:
    """Run the HTTP server with /healthz, the console and Slack's endpoints (`slack`) and the scheduler (`jobs`) until
    SIGINT/SIGTERM (or `stop` is set). `cloudtuner worker` is jobs without Slack; `serve --no-scheduler` the reverse."""
    secret_key = ensure_secret_key(settings)
    await prepare_database(settings, apply_migrations=apply_migrations)
    scheduler = build_scheduler()
    registry = CollectorRegistry()  # this process's own: /metrics shows what it did
    checks = {"database": db.ping}
    if jobs:
        register_jobs(scheduler, job_deps(settings, secret_key, metrics=JobMetrics(registry)))
        scheduler.start()

        async def scheduler_check() -> None:
            if not scheduler.running:
                raise RuntimeError("scheduler is not running")

        checks["scheduler"] = scheduler_check
    bot = await start_slack_bot(settings, secret_key) if slack else None
    if bot is not None:
        checks["bot"] = bot.check
    routes = [metrics_routes(registry)]
    if slack:  # a worker serves no pages
        routes.append(console_routes(console_config(settings, secret_key, bot)))
    if bot is not None:
        routes.append(slack_routes(bot.app, signing_secret=settings.slack_signing_secret))
    app = build_app(checks=checks, routes=routes)
    runner = web.AppRunner(app, access_log_class=RedactingAccessLogger)
    await runner.setup()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        try:
            await web.TCPSite(runner, settings.host, settings.port).start()
        except OSError as exc:
            raise SettingsError(f"CLOUDTUNER_PORT: cannot listen on {settings.host}:{settings.port} ({exc.strerror}); "
                                "stop what uses it, or set CLOUDTUNER_PORT (or CLOUDTUNER_HOST)") from None
        role = "" if jobs and slack else "; scheduled jobs only" if jobs else "; no scheduled jobs (a worker runs them)"
        log.info("Cloudtuner serving on http://%s:%s (%s database%s)", settings.host, settings.port, db.dialect(), role)
        if slack:
            await announce_console(settings.public_url)
        await stop.wait()
    finally:
        log.info("shutting down")
        await stop_jobs(scheduler)
        if bot is not None:
            await bot.close()
        await runner.cleanup()
        await db.stop()


async def start_slack_bot(settings: Settings, secret_key: str) -> Bot | None:
    """The Slack bot when Slack settings are present (Socket Mode with SLACK_APP_TOKEN); else say how to turn it on."""
    if not settings.slack_enabled:
        log.info(OFF_MESSAGE)
        return None
    bot = await start_bot(BotConfig(
        public_url=settings.public_url, secret_key=secret_key, signing_secret=settings.slack_signing_secret,
        bot_token=settings.slack_bot_token, client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret, app_token=settings.slack_app_token, api_url=settings.slack_api_url))
    log.info("Slack bot on (%s mode)", bot.mode)
    return bot


async def announce_console(public_url: str) -> None:
    """Say where the console is, and where a fresh install is set up."""
    print(f"Cloudtuner console: {public_url}/", flush=True)
    if await setup.needed():
        print(f"No organization yet. Set one up at {public_url}/setup", flush=True)


def console_config(settings: Settings, secret_key: str, bot: Bot | None) -> ConsoleConfig:
    """The console's view of the process: its URL, the secret key, and what it may show and do about Slack."""
    socket = bool(settings.slack_app_token)
    mode = "off" if bot is None else bot.mode
    oauth = bool(bot and bot.config.oauth)

    async def token_workspace() -> tuple[str, str]:
        found = await bot.app.client.auth_test()
        return found["team_id"], found.get("team") or ""

    slack = SlackSetup(mode=mode, oauth=oauth,
                       manifest=json.dumps(manifest(settings.public_url, socket_mode=socket), indent=2),
                       check=bot.check if bot is not None else None,
                       workspace=token_workspace if bot is not None and not oauth else None)
    sign_in = (SlackSignIn(client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
                           api_url=api_base(settings.slack_api_url)) if settings.slack_client_id else None)
    return ConsoleConfig(public_url=settings.public_url, secret_key=secret_key, slack=slack, slack_sign_in=sign_in)


def job_deps(settings: Settings, secret_key: str, *, metrics: JobMetrics | None = None) -> Deps:
    """What the scheduled jobs need: a sender per target kind (Slack's, when Slack is set up) and the cloud
    adapters."""
    box = SecretBox(secret_key)
    senders = {}
    if settings.slack_enabled:
        send = slack_sender(box=box, public_url=settings.public_url, bot_token=settings.slack_bot_token,
                            api_url=settings.slack_api_url)
        senders.update(dict.fromkeys(send.kinds, send))
    return Deps(senders=senders, open_adapter=partial(datasources.open_adapter, box=box), box=box, metrics=metrics)
