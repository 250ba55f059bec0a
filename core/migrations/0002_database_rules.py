"""Rules the database itself enforces, beyond what Tortoise's model options can say.

- PostgreSQL: overlapping bookings of one environment are refused by an exclusion constraint
  (SQLite has none; there the booking service checks inside a transaction, which Tortoise
  serializes on SQLite's single connection).
- Both: a member has at most one open waitlist entry per environment (a partial unique index).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

BOOKING_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist ("
    " environment_id WITH =,"
    " tstzrange(starts_at, COALESCE(ends_at, 'infinity'::timestamptz), '[)') WITH &&)",
]
BOOKING_DROP = ["ALTER TABLE booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]
WAITLIST_CREATE = "CREATE UNIQUE INDEX waitlist_open_once ON waitlist_entry (environment_id, member_id) WHERE done_at IS NULL"
WAITLIST_DROP = "DROP INDEX IF EXISTS waitlist_open_once"


def _on_postgres(statements):
    async def run(apps, schema_editor) -> None:
        if schema_editor.client.capabilities.dialect != "postgres":
            return
        for sql in statements:
            await schema_editor._run_sql(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    operations = [
        ops.RunPython(_on_postgres(BOOKING_CREATE), _on_postgres(BOOKING_DROP)),
        ops.RunSQL(WAITLIST_CREATE, WAITLIST_DROP),
    ]
