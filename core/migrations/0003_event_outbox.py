"""The outbox holds typed events for targets of any kind; organizations can subscribe targets to events.

Existing rows keep their meaning: a row for a channel targets (slack_channel, the channel id), a row
for a member targets (member, the member id); their payloads (catalog code, params and the id of what
they are about) are read back as `catalog_notice` events, and a rerouted row keeps the channel it was
meant for and why, now in columns of their own.
"""

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

TARGETS = [
    "UPDATE outbox SET target_kind = 'slack_channel', target_address = target_channel WHERE target_channel <> ''",
    "UPDATE outbox SET target_kind = 'member', target_address = CAST(target_member_id AS VARCHAR) "
    "WHERE target_channel = ''",
    "UPDATE outbox SET event_type = 'catalog_notice'",
]
REROUTED = {
    "sqlite": "UPDATE outbox SET rerouted_from = json_extract(payload, '$.rerouted_from'), "
              "reroute_reason = COALESCE(json_extract(payload, '$.reroute_reason'), '') "
              "WHERE json_extract(payload, '$.rerouted_from') IS NOT NULL",
    "postgres": "UPDATE outbox SET rerouted_from = payload->>'rerouted_from', "
                "reroute_reason = COALESCE(payload->>'reroute_reason', '') WHERE payload ? 'rerouted_from'",
}


async def _typed_rows(apps, schema_editor) -> None:
    for sql in TARGETS + [REROUTED[schema_editor.client.capabilities.dialect]]:
        await schema_editor._run_sql(sql)


class Migration(migrations.Migration):
    dependencies = [("models", "0002_database_rules")]

    operations = [
        ops.RenameField(model_name="OutboxMessage", old_name="kind", new_name="event_type"),
        ops.AddField(model_name="OutboxMessage", name="target_kind", field=fields.CharField(default="", db_default="", max_length=32)),
        ops.AddField(model_name="OutboxMessage", name="target_address",
                     field=fields.CharField(default="", db_default="", max_length=255)),
        ops.AddField(model_name="OutboxMessage", name="rerouted_from",
                     field=fields.CharField(default="", db_default="", max_length=255)),
        ops.AddField(model_name="OutboxMessage", name="reroute_reason", field=fields.TextField(default="", db_default="")),
        ops.RunPython(_typed_rows),
        ops.RemoveField(model_name="OutboxMessage", name="target_channel"),
        ops.RemoveField(model_name="OutboxMessage", name="target_member"),
        ops.CreateModel(
            name="EventSubscription",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("organization", fields.ForeignKeyField(
                    "models.Organization", source_field="organization_id", db_constraint=True, to_field="id",
                    related_name="subscriptions", on_delete=OnDelete.CASCADE)),
                ("event_type", fields.CharField(max_length=64)),
                ("target_kind", fields.CharField(max_length=32)),
                ("target_address", fields.CharField(max_length=255)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "event_subscription", "app": "models", "pk_attr": "id",
                     "unique_together": (("organization", "event_type", "target_kind", "target_address"),),
                     "table_description": "A target that receives every event of one type (or of all types: \"*\") "
                                          "of the organization."},
            bases=["Model"],
        ),
    ]
