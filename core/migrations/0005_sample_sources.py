"""Data sources carry a `sample` flag: `cloudtuner demo`'s have no cloud behind them, so jobs skip or simulate
them. Data sources of an already loaded sample organization are marked."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

MARK = ("UPDATE data_source SET sample = TRUE WHERE organization_id IN "
        "(SELECT id FROM organization WHERE is_demo = TRUE)")


class Migration(migrations.Migration):
    dependencies = [("models", "0004_link_code_hmac")]

    operations = [
        ops.AddField(model_name="DataSource", name="sample", field=fields.BooleanField(default=False)),
        ops.RunSQL(MARK, "SELECT 1"),
    ]
