"""The `cloudtuner` command: serve, worker, migrate, init, demo."""

from __future__ import annotations

import argparse
import asyncio
import sys

from config import cli_backup, cli_datasources, cli_jobs
from config import logging as process_logging
from config import process, startup
from config.settings import SettingsError, load_settings
from core import db
from core.errors import CoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cloudtuner", description="Chat-first FinOps: cloud spend and shared environments from Slack.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the web server and the scheduler")
    serve.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations on start")
    serve.add_argument("--no-scheduler", action="store_true", help="Slack and console only; jobs run in a worker")
    worker = sub.add_parser("worker", help="run the scheduled jobs only (with /healthz), next to serve --no-scheduler")
    worker.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations on start")
    sub.add_parser("migrate", help="apply pending database migrations")
    init = sub.add_parser("init", help="create the first organization and its first manager")
    init.add_argument("--org", required=True, help="organization name")
    init.add_argument("--manager-email", required=True, help="email of the first organization manager")
    init.add_argument("--manager-name", default="", help="display name of that manager")
    init.add_argument("--currency", default="USD", help="ISO currency code (default USD)")
    init.add_argument("--slack-team-id", default="", help="Slack workspace (T...) that works for it (token mode)")
    password = init.add_mutually_exclusive_group()
    password.add_argument("--password-file", help="file whose first line is the manager's console password")
    password.add_argument("--ask-password", action="store_true", help="prompt for the manager's console password")
    demo = sub.add_parser("demo", help="load a clearly labelled sample organization")
    demo.add_argument("--manager-email", help="your email: you become an organization manager of the sample "
                                              "(default: init's manager, when there is one)")
    cli_datasources.add_parsers(sub)
    cli_backup.add_parsers(sub)
    cli_jobs.add_parsers(sub)
    slack = sub.add_parser("slack", help="Slack workspaces").add_subparsers(dest="slack_command", required=True)
    bind = slack.add_parser("bind", help="make a Slack workspace work for an organization")
    bind.add_argument("--org", required=True, help="organization name")
    bind.add_argument("--team-id", default="", help="workspace id T...; default: the workspace of SLACK_BOT_TOKEN")
    return parser


async def _with_database(settings, work) -> object:
    await process.prepare_database(settings)
    try:
        return await work()
    finally:
        await db.stop()


async def _init(settings, args) -> str:
    from core.services.orgs import create_organization
    from core.services.passwords import set_password
    from core.services.slack_links import bind_workspace, team_id_of

    team_id = team_id_of(args.slack_team_id) if args.slack_team_id else ""
    password = _password(args)

    async def work():
        org, manager = await create_organization(
            name=args.org, manager_email=args.manager_email, manager_name=args.manager_name, currency=args.currency)
        if team_id:
            await bind_workspace(team_id=team_id, organization_id=org.id)
        if password is not None:
            await set_password(member_id=manager.id, password=password)
        return org, manager

    org, manager = await _with_database(settings, work)
    bound = f" Slack workspace {team_id} works for it." if team_id else ""
    sign_in = f" They sign in at {settings.public_url}/signin." if password is not None else ""
    return (f"Created organization \"{org.name}\" (id {org.id}) with organization manager {manager.email}."
            f"{sign_in}{bound}")


def _password(args) -> str | None:
    """The manager's password from --password-file or a prompt (checked before anything is created).

    Raises: InvalidInput (unreadable file, too short, prompts differ).
    """
    import getpass

    from core.errors import InvalidInput
    from core.services.passwords import checked

    if args.password_file:
        try:
            with open(args.password_file, encoding="utf-8") as file:
                return checked(file.readline().rstrip("\r\n"))
        except OSError as exc:
            raise InvalidInput("password_file_unreadable", path=args.password_file, error=exc.strerror) from None
    if args.ask_password:
        first = checked(getpass.getpass("Password for the manager: "))
        if getpass.getpass("Again: ") != first:
            raise InvalidInput("passwords_differ")
        return first
    return None


async def _slack_bind(settings, args) -> str:
    from aiohttp import ClientError
    from bot.app import api_base
    from core.errors import InvalidInput
    from core.services.slack_links import bind_workspace_by_name
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    team_id = args.team_id
    if not team_id and settings.slack_bot_token:
        client = AsyncWebClient(token=settings.slack_bot_token, base_url=api_base(settings.slack_api_url),
                                retry_handlers=[])  # one try: an operator waits, and reads one line
        try:
            team_id = (await client.auth_test())["team_id"]
        except SlackApiError as exc:
            raise InvalidInput("slack_bind_token_refused", error=exc.response.get("error") or "unknown_error") from None
        except (ClientError, asyncio.TimeoutError) as exc:
            raise InvalidInput("slack_api_unreachable", url=client.base_url,
                               error=str(exc) or type(exc).__name__) from None
    workspace = await _with_database(settings, lambda: bind_workspace_by_name(team_id=team_id, organization=args.org))
    return f"Slack workspace {workspace.team_id} now works for \"{args.org.strip()}\"."


async def _demo(settings, args) -> str:
    from core.services.demo import load_demo

    summary = await _with_database(settings, lambda: load_demo(manager_email=args.manager_email))
    return str(summary)


async def _migrate(settings) -> str:
    await startup.prepare(settings)
    await db.migrate(settings.db_url)
    return "Migrations applied."


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"cloudtuner: {exc}", file=sys.stderr)
        return 2
    process_logging.configure(settings.log_level, settings.log_format)
    process.configure_adapters(settings)
    try:
        if args.command in ("serve", "worker"):
            roles = {"slack": False} if args.command == "worker" else {"jobs": not args.no_scheduler}
            asyncio.run(process.serve(settings, apply_migrations=not args.no_migrate, **roles))
            return 0
        work = {"migrate": lambda: _migrate(settings), "init": lambda: _init(settings, args),
                "demo": lambda: _demo(settings, args),
                "slack": lambda: _slack_bind(settings, args), "jobs": lambda: cli_jobs.command(settings, args),
                **cli_datasources.commands(settings, args), **cli_backup.commands(settings, args)}
        print(asyncio.run(work[args.command]()))
    except CoreError as exc:
        print(f"cloudtuner: {exc}", file=sys.stderr)
        return 1
    except SettingsError as exc:  # a start-up mistake: one line naming the setting
        print(f"cloudtuner: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
