"""The budget tree: one root pool per organization, sub-pools below it."""

from tortoise import fields
from tortoise.models import Model


class Pool(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="pools", on_delete=fields.CASCADE)
    parent = fields.ForeignKeyField("models.Pool", related_name="children", null=True, on_delete=fields.RESTRICT)
    name = fields.CharField(max_length=255)
    monthly_limit = fields.DecimalField(max_digits=20, decimal_places=2, default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "pool"
        unique_together = (("parent", "name"),)
