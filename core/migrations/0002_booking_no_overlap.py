"""PostgreSQL only: the database itself refuses overlapping bookings of one environment.

SQLite has no exclusion constraints; there the booking service checks inside a transaction that
Tortoise serializes on SQLite's single connection.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist ("
    " environment_id WITH =,"
    " tstzrange(starts_at, COALESCE(ends_at, 'infinity'::timestamptz), '[)') WITH &&)",
]
DROP = ["ALTER TABLE booking DROP CONSTRAINT IF EXISTS booking_no_overlap"]


def _on_postgres(statements):
    async def run(apps, schema_editor) -> None:
        if schema_editor.client.capabilities.dialect != "postgres":
            return
        for sql in statements:
            await schema_editor._run_sql(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("models", "0001_initial")]

    operations = [ops.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
