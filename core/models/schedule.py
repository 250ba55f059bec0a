"""Power schedules and the overrides that suspend them for a while."""

from tortoise import fields
from tortoise.models import Model

from core.models.enums import OverrideKind, ScheduleMode


class PowerSchedule(Model):
    """Periods are [{"weekdays": [0..6, Monday=0], "start": "HH:MM", "stop": "HH:MM"}]."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="power_schedules", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=255)
    timezone = fields.CharField(max_length=64)
    periods = fields.JSONField(default=list)
    start_date = fields.DateField(null=True)
    end_date = fields.DateField(null=True)
    skip_dates = fields.JSONField(default=list)
    mode = fields.CharEnumField(ScheduleMode, max_length=32, default=ScheduleMode.START_AND_STOP)
    enabled = fields.BooleanField(default=True)
    warn_minutes = fields.IntField(default=30)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "power_schedule"
        unique_together = (("organization", "name"),)


class ScheduleOverride(Model):
    id = fields.IntField(primary_key=True)
    resource = fields.ForeignKeyField("models.Resource", related_name="schedule_overrides", on_delete=fields.CASCADE)
    kind = fields.CharEnumField(OverrideKind, max_length=32)
    until = fields.DatetimeField()
    created_by = fields.ForeignKeyField("models.Member", related_name="schedule_overrides", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "schedule_override"
