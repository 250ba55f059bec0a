"""Run as a script: migrate a database to 0002, write outbox rows the way 0002's code did, migrate to the
latest and print the rows as the new code reads them (JSON), so a test can check their meaning is kept."""

import asyncio
import json
import sys

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from core import db
from core.models import OutboxMessage
from core.services.outbox import delivery

OLD_ROWS = [
    ("constraint_violation", "violation:1|channel:C0ALERTS01", "C0ALERTS01", None,
     {"code": "notice_ttl_passed", "resource_id": 7, "params": {"resource": "vm-1", "limit": "2026-03-10 13:00 UTC"}}),
    ("env_released", "booking:3|fallback|member:1", "", 1,
     {"code": "notice_env_released", "environment_id": 4, "rerouted_from": "C0ENVCHAN1",
      "reroute_reason": "is_archived", "params": {"environment": "stage", "person": "holder",
                                                  "ends": "2026-03-10 09:30 UTC"}}),
]


async def main(url: str) -> None:
    await migrate(config=db.tortoise_config(url), target="models.0002_database_rules")
    await Tortoise.close_connections()
    await db.start(url)
    conn = connections.get("default")
    mark = (lambda n: f"${n}") if conn.capabilities.dialect == "postgres" else (lambda n: "?")
    await conn.execute_query(f"INSERT INTO organization (name, currency, is_demo, created_at) VALUES "
                             f"({mark(1)}, 'USD', {mark(2)}, CURRENT_TIMESTAMP)", ["Acme", False])
    await conn.execute_query(f"INSERT INTO member (organization_id, email, name, role, created_at) VALUES "
                             f"(1, {mark(1)}, 'Boss', 'org_manager', CURRENT_TIMESTAMP)", ["boss@acme.test"])
    for kind, key, channel, member, payload in OLD_ROWS:
        marks = ", ".join(mark(n) for n in range(1, 6))
        await conn.execute_query(
            "INSERT INTO outbox (organization_id, kind, dedup_key, target_channel, target_member_id, payload, state, "
            f"attempts, next_attempt_at, last_error, created_at, claimed_by) VALUES (1, {marks}, 'pending', 0, "
            "CURRENT_TIMESTAMP, '', CURRENT_TIMESTAMP, '')", [kind, key, channel, member, json.dumps(payload)])
    await db.stop()
    await db.migrate(url)
    await db.start(url)
    found = []
    for message in await OutboxMessage.all().order_by("id"):
        sent = delivery(message)
        found.append({"type": sent.event.type, "target": [sent.target.kind, sent.target.address],
                      "text": sent.event.text(), "subject": [sent.event.subject().kind, sent.event.subject().id],
                      "rerouted": [sent.rerouted_from, sent.reroute_reason]})
    await db.stop()
    print(json.dumps(found))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
