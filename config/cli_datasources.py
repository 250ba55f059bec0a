"""`cloudtuner datasource add|list|kinds` and `cloudtuner import`: data sources for operators and scripted installs.

Secrets come only from the --config JSON file (the console form's fields), never from the command line.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Awaitable, Callable

from config import process
from config.settings import Settings
from config.startup import ensure_secret_key
from core import db
from core.crypto import SecretBox
from core.errors import InvalidInput
from core.adapters import registry
from core.models import Organization
from core.timefmt import show

_BAR = 30


def add_parsers(sub: argparse._SubParsersAction) -> None:
    source = sub.add_parser("datasource", help="connect or list cloud data sources")
    verbs = source.add_subparsers(dest="datasource_command", required=True)
    add = verbs.add_parser("add", help="check a cloud account's credentials and connect it")
    add.add_argument("type", choices=[info.kind.value for info in registry.kinds()],
                     help="data source type, e.g. aws_root (see: cloudtuner datasource kinds)")
    add.add_argument("--org", required=True, help="organization name")
    add.add_argument("--name", required=True, help="data source name")
    add.add_argument("--config", required=True, type=Path,
                     help="JSON file with the console form's fields, secrets included")
    add.add_argument("--as", dest="actor_email", help="email of the organization manager acting (default: the first)")
    verbs.add_parser("kinds", help="the data source types offered: what each does, its fields, whether it loads")
    listing = verbs.add_parser("list", help="data sources with their last import")
    listing.add_argument("--org", help="only this organization")
    run = sub.add_parser("import", help="import a data source's resources, billing and metrics now")
    run.add_argument("name", help="data source name")
    run.add_argument("--org", help="organization name (needed when several have a data source of that name)")
    run.add_argument("--from", dest="start", type=date.fromisoformat,
                     help="first day to import, YYYY-MM-DD (default: the first day of last month)")


def commands(settings: Settings, args: argparse.Namespace) -> dict[str, Callable[[], Awaitable[str]]]:
    return {"datasource": lambda: (_kinds() if args.datasource_command == "kinds"  # needs no database
                                   else _database(settings, lambda: _datasource(settings, args))),
            "import": lambda: _database(settings, lambda: _import(settings, args))}


async def _database(settings: Settings, work: Callable[[], Awaitable[str]]) -> str:
    await process.prepare_database(settings)
    try:
        return await work()
    finally:
        await db.stop()


async def _datasource(settings: Settings, args: argparse.Namespace) -> str:
    from core.services import datasources

    if args.datasource_command == "list":
        return await _list(args.org)
    actor = await datasources.operator_actor(organization=args.org, email=args.actor_email)
    source = await datasources.connect_data_source(actor_id=actor.id, kind=args.type, name=args.name,
                                                   fields=_fields(args.config), box=_box(settings))
    return (f"Connected {source.kind.value} data source \"{source.name}\" (account "
            f"{source.config.get(datasources.ACCOUNT_ID)}) to organization \"{args.org}\".")


async def _kinds() -> str:
    """Each kind offered: its description, capabilities, fields (* required, secret marked), and whether its
    adapter loads here."""
    out = []
    for info in registry.kinds():
        state = registry.unavailable(info.kind) or "available"
        out.append(f"{info.kind.value}\t{info.label}\t{', '.join(sorted(c.value for c in info.capabilities))}"
                   f"\t{state}")
        out += [f"  {f.name}{'*' if f.required else ''}{' (secret)' if f.secret else ''}: {f.label}"
                for f in info.fields]
    return "\n".join(out)


async def _list(organization: str | None) -> str:
    from core.queries.datasources import list_data_sources
    from core.services import datasources

    names = [organization] if organization else [o.name for o in await Organization.all().order_by("name")]
    rows = []
    for name in names:
        actor = await datasources.operator_actor(organization=name)
        for s in await list_data_sources(organization_id=actor.organization_id, member_id=actor.id):
            when = show(s.last_import_at) if s.last_import_at else "never imported"
            rows.append(f"{name}\t{s.name}\t{s.kind}\t{s.account_id}\t{when}\t{s.last_import_status}")
    return "\n".join(["organization\tname\ttype\taccount\tlast import\tstatus", *rows]) if rows else "No data sources."


async def _import(settings: Settings, args: argparse.Namespace) -> str:
    from core.services import datasources, imports

    source = await datasources.data_source_named(name=args.name, organization=args.org)
    summary = await imports.run_import(data_source_id=source.id, box=_box(settings), start=args.start,
                                       progress=_progress)
    return str(summary)


def _progress(step: str, done: int, total: int) -> None:
    """A bar redrawn in place on a terminal; one plain line per step anywhere else (a log file, a pipe)."""
    if not sys.stderr.isatty():
        sys.stderr.write(f"import: {done}/{total} {step}\n")
        return
    filled = _BAR * done // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (_BAR - filled)}] {done}/{total} {step:<10}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _fields(path: Path) -> dict:
    try:
        fields = json.loads(path.read_text())
    except OSError as exc:
        raise InvalidInput("config_file_unreadable", file=str(path), reason=exc.strerror or str(exc)) from None
    except ValueError as exc:
        raise InvalidInput("config_file_unreadable", file=str(path), reason=f"not JSON ({exc})") from None
    if not isinstance(fields, dict):
        raise InvalidInput("config_file_unreadable", file=str(path), reason="not a JSON object of fields")
    return fields


def _box(settings: Settings) -> SecretBox:
    return SecretBox(ensure_secret_key(settings))
