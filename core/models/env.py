"""Shared environments, their bookings and their waitlist."""

from tortoise import fields
from tortoise.models import Model


class SharedEnvironment(Model):
    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="environments", on_delete=fields.CASCADE)
    pool = fields.ForeignKeyField("models.Pool", related_name="environments", on_delete=fields.RESTRICT)
    resource = fields.OneToOneField("models.Resource", related_name="environment", null=True, on_delete=fields.CASCADE)
    name = fields.CharField(max_length=255)
    resource_type = fields.CharField(max_length=64, default="environment")
    description = fields.TextField(default="")
    properties = fields.JSONField(default=dict)
    ssh_only = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    max_booking_minutes = fields.IntField(null=True)
    power_schedule = fields.ForeignKeyField("models.PowerSchedule", related_name="environments", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "shared_environment"


class Booking(Model):
    id = fields.IntField(primary_key=True)
    environment = fields.ForeignKeyField("models.SharedEnvironment", related_name="bookings", on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("models.Member", related_name="bookings", on_delete=fields.CASCADE)
    created_by = fields.ForeignKeyField("models.Member", related_name="bookings_made", on_delete=fields.CASCADE)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField(null=True)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "booking"
        indexes = (("environment_id", "starts_at"),)


class WaitlistEntry(Model):
    """'Tell me when it is free' (acquire=False) or 'give it to me when it is free' (acquire=True)."""

    id = fields.IntField(primary_key=True)
    environment = fields.ForeignKeyField("models.SharedEnvironment", related_name="waitlist", on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("models.Member", related_name="waitlist_entries", on_delete=fields.CASCADE)
    acquire = fields.BooleanField(default=False)
    duration_minutes = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    done_at = fields.DatetimeField(null=True)

    class Meta:
        table = "waitlist_entry"
