"""Pool constraint policies and per-resource constraints (TTL, daily and total expense limits)."""

from tortoise import fields
from tortoise.models import Model

from core.models.enums import ConstraintKind


class PoolPolicy(Model):
    """A pool-wide rule: TTL in hours from first seen, or a limit in whole currency units."""

    id = fields.IntField(primary_key=True)
    pool = fields.ForeignKeyField("models.Pool", related_name="policies", on_delete=fields.CASCADE)
    kind = fields.CharEnumField(ConstraintKind, max_length=32)
    value = fields.IntField()
    active = fields.BooleanField(default=True)

    class Meta:
        table = "pool_policy"
        unique_together = (("pool", "kind"),)


class ResourceConstraint(Model):
    """A resource's own constraint: TTL as an absolute time, or a limit in whole currency units."""

    id = fields.IntField(primary_key=True)
    resource = fields.ForeignKeyField("models.Resource", related_name="constraints", on_delete=fields.CASCADE)
    kind = fields.CharEnumField(ConstraintKind, max_length=32)
    until = fields.DatetimeField(null=True)
    amount = fields.IntField(null=True)

    class Meta:
        table = "resource_constraint"
        unique_together = (("resource", "kind"),)
