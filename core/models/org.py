"""Organizations (tenants), their members and their cloud data sources."""

from tortoise import fields
from tortoise.models import Model

from core.models.enums import DataSourceKind, Role


class Organization(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=255, unique=True)
    currency = fields.CharField(max_length=3, default="USD")
    timezone = fields.CharField(max_length=64, default="UTC")
    is_demo = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organization"


class Member(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="members", on_delete=fields.CASCADE)
    email = fields.CharField(max_length=255)
    name = fields.CharField(max_length=255, default="")
    role = fields.CharEnumField(Role, max_length=32, default=Role.ENGINEER)
    managed_pools = fields.ManyToManyField("models.Pool", related_name="managers", through="member_managed_pool")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "member"
        unique_together = (("organization", "email"),)

    @property
    def label(self) -> str:
        return self.name or self.email


class DataSource(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="data_sources", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=255)
    kind = fields.CharEnumField(DataSourceKind, max_length=32)
    config = fields.JSONField(default=dict)
    secret = fields.TextField(default="")
    pool = fields.ForeignKeyField("models.Pool", related_name="data_sources", on_delete=fields.RESTRICT)
    last_import_at = fields.DatetimeField(null=True)
    last_import_status = fields.CharField(max_length=255, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    sample = fields.BooleanField(default=False)  # `cloudtuner demo`'s: no cloud behind it, jobs simulate it

    class Meta:
        table = "data_source"
        unique_together = (("organization", "name"),)
