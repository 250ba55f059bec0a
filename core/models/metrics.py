"""Utilisation metrics per resource, and which billing files each data source imported (and which version)."""

from tortoise import fields
from tortoise.models import Model


class ResourceMetric(Model):
    """One average over a period: metric is "cpu" (percent), "network_in" or "network_out" (bytes)."""

    id = fields.BigIntField(primary_key=True)
    resource = fields.ForeignKeyField("models.Resource", related_name="metrics", on_delete=fields.CASCADE)
    metric = fields.CharField(max_length=32)
    period_seconds = fields.IntField()
    at = fields.DatetimeField()
    value = fields.FloatField()

    class Meta:
        table = "resource_metric"
        unique_together = (("resource", "metric", "period_seconds", "at"),)


class ImportedFile(Model):
    """A billing file as last imported: its version (an ETag) and when."""

    id = fields.IntField(primary_key=True)
    data_source = fields.ForeignKeyField("models.DataSource", related_name="imported_files", on_delete=fields.CASCADE)
    key = fields.CharField(max_length=1024)
    version = fields.CharField(max_length=255)
    imported_at = fields.DatetimeField()

    class Meta:
        table = "imported_file"
        unique_together = (("data_source", "key"),)
