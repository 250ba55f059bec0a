"""Cloud resources, their daily expenses and the rules that assign them to pools and owners."""

from tortoise import fields
from tortoise.models import Model


class Resource(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="resources", on_delete=fields.CASCADE)
    data_source = fields.ForeignKeyField("models.DataSource", related_name="resources", null=True, on_delete=fields.SET_NULL)
    cloud_resource_id = fields.CharField(max_length=512)
    name = fields.CharField(max_length=512, default="")
    resource_type = fields.CharField(max_length=64)
    region = fields.CharField(max_length=64, default="")
    tags = fields.JSONField(default=dict)
    details = fields.JSONField(default=dict)  # what discovery saw: state, type, attached...
    owner = fields.ForeignKeyField("models.Member", related_name="owned_resources", null=True, on_delete=fields.SET_NULL)
    pool = fields.ForeignKeyField("models.Pool", related_name="resources", on_delete=fields.RESTRICT)
    first_seen = fields.DatetimeField()
    last_seen = fields.DatetimeField()
    active = fields.BooleanField(default=True)
    power_schedule = fields.ForeignKeyField("models.PowerSchedule", related_name="resources", null=True, on_delete=fields.SET_NULL)

    class Meta:
        table = "resource"
        unique_together = (("organization", "cloud_resource_id"),)

    @property
    def label(self) -> str:
        return self.name or self.cloud_resource_id


class Expense(Model):
    id = fields.IntField(primary_key=True)
    resource = fields.ForeignKeyField("models.Resource", related_name="expenses", on_delete=fields.CASCADE)
    day = fields.DateField()
    cost = fields.DecimalField(max_digits=20, decimal_places=6)

    class Meta:
        table = "expense"
        unique_together = (("resource", "day"),)


class AssignmentRule(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="assignment_rules", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=255)
    priority = fields.IntField()
    active = fields.BooleanField(default=True)
    conditions = fields.JSONField(default=list)
    pool = fields.ForeignKeyField("models.Pool", related_name="assignment_rules", on_delete=fields.RESTRICT)
    owner = fields.ForeignKeyField("models.Member", related_name="assignment_rules", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "assignment_rule"
