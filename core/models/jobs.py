"""Scheduled work: the notification outbox and event subscriptions, job leases, once-only notices and the resource event log."""

from tortoise import fields
from tortoise.models import Model


class OutboxMessage(Model):
    """One event's message to one target, written with the change that causes it, delivered later with retries.

    `event_type` and `payload` are the event (core.events: its registered name and its fields); the
    target is a kind and an address (core.events.routing.Target). `dedup_key` makes each event's message
    to each target exist once; `rerouted_from` names the channel a rerouted copy was meant for.
    `claimed_by`/`claimed_until` is a delivery lease.
    """

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="outbox", on_delete=fields.CASCADE)
    event_type = fields.CharField(max_length=64)
    dedup_key = fields.CharField(max_length=255, unique=True)
    payload = fields.JSONField(default=dict)
    target_kind = fields.CharField(max_length=32, default="")
    target_address = fields.CharField(max_length=255, default="")
    rerouted_from = fields.CharField(max_length=255, default="")
    reroute_reason = fields.TextField(default="")
    state = fields.CharField(max_length=16, default="pending")
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, default="")
    claimed_until = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox"
        indexes = (("state", "next_attempt_at"),)


class EventSubscription(Model):
    """A target that receives every event of one type (or of all types: "*") of the organization."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="subscriptions", on_delete=fields.CASCADE)
    event_type = fields.CharField(max_length=64)
    target_kind = fields.CharField(max_length=32)
    target_address = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "event_subscription"
        unique_together = (("organization", "event_type", "target_kind", "target_address"),)


class JobRun(Model):
    """One row per job: a lease so one instance runs it at a time, and the time it last completed."""

    name = fields.CharField(max_length=64, primary_key=True)
    claimed_by = fields.CharField(max_length=64, default="")
    claimed_until = fields.DatetimeField(null=True)
    last_run_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(default="")

    class Meta:
        table = "job_run"


class Notice(Model):
    """An event handled once: its key is claimed in the transaction that acts on it or notifies about it."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="notices", on_delete=fields.CASCADE)
    key = fields.CharField(max_length=255, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "notice"


class ResourceEvent(Model):
    """What the scheduler did to a resource, or failed to do, for the resource's history."""

    id = fields.IntField(primary_key=True)
    organization = fields.ForeignKeyField("models.Organization", related_name="resource_events", on_delete=fields.CASCADE)
    resource = fields.ForeignKeyField("models.Resource", related_name="events", on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=64)
    message = fields.TextField(default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "resource_event"
        indexes = (("resource_id", "created_at"),)
