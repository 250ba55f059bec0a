"""Pool alerts and the state that makes them fire once per crossing per month."""

from tortoise import fields
from tortoise.models import Model

from core.models.enums import AlertBasis, ThresholdType


class Alert(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="alerts", on_delete=fields.CASCADE)
    pool = fields.ForeignKeyField("models.Pool", related_name="alerts", on_delete=fields.CASCADE)
    based_on = fields.CharEnumField(AlertBasis, max_length=32)
    threshold = fields.DecimalField(max_digits=20, decimal_places=2, default=0)
    threshold_type = fields.CharEnumField(ThresholdType, max_length=32, default=ThresholdType.PERCENTAGE)
    include_children = fields.BooleanField(default=False)
    channels = fields.JSONField(default=list)
    recipients = fields.ManyToManyField("models.Member", related_name="alerts", through="alert_recipient")
    state_month = fields.CharField(max_length=7, default="")
    state_above = fields.BooleanField(default=False)
    created_by = fields.ForeignKeyField("models.Member", related_name="alerts_created", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "alert"
