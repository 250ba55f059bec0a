"""The English label of every input an error can be about, keyed by the service argument's keyword.

Errors carry `field="<argument key>"` (a form names its inputs the same way); the catalog renders "{field}"
with the label. A nested input is "<argument>.<part>" and its label may name the item with the error's params
(`position`, `type`, `name`). An input a cloud adapter declares (a data source's config field) carries its own
`label` param, since the adapter's form is where its labels live.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    # people and organizations
    "name": "Name", "email": "Email", "manager_email": "Manager email", "currency": "Currency", "role": "Role",
    "team_id": "Slack team id", "team_name": "Slack workspace name", "manager_name": "Manager name",
    "password": "Password",
    # pools, policies and resources
    "monthly_limit": "Monthly limit", "kind": "Type", "value": "Policy value", "amount": "Limit",
    "until": "Until", "resource_type": "Resource type", "resource_ids": "Resource id", "resource_id": "Resource",
    "rows": "Expense rows", "end_day": "End day", "start": "Start day",
    "items.cloud_resource_id": "Item {position} cloud resource id", "items.resource_type": "Item {position} resource type",
    "items.name": "Item {position} name", "items.region": "Item {position} region",
    "items.details": "Item {position} details", "items.seen_at": "Item {position} seen at",
    # assignment rules
    "conditions": "Conditions", "conditions.key": "Condition {position} ({type}) key",
    "conditions.value": "Condition {position} ({type}) value", "move": "Move",
    # environments and bookings
    "description": "Description", "max_booking_minutes": "Maximum booking length in minutes",
    "properties": "Properties", "properties.name": "Property name", "properties.value": "Property \"{name}\"",
    "starts_at": "Start", "ends_at": "End", "duration": "Duration", "note": "Note", "member_id": "Person",
    "duration_minutes": "Booking length in minutes",
    # power schedules
    "timezone": "Time zone", "periods": "Periods", "mode": "Mode", "start_date": "Start date", "end_date": "End date",
    "skip_dates": "Skip date", "warn_minutes": "Warning minutes", "hours": "Snooze hours",
    # alerts
    "pool_id": "Pool", "based_on": "Alert basis", "threshold": "Threshold", "threshold_type": "Threshold type",
    "channels": "Slack channel", "month": "Month",
    # data sources
    "connected_accounts": "Connected accounts",
}


def label(key: object, params: dict) -> str:
    """The English label of an input: the catalog's, else the adapter's own `label`, else the key read as words."""
    template = LABELS.get(str(key)) or str(params.get("label") or str(key).replace("_", " ").capitalize())
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
