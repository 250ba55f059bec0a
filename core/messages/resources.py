"""Messages for resources, their expenses and the assignment rules."""

MESSAGES: dict[str, str] = {
    "resource_not_found": "No resource {resource_id} in this organization.",
    "data_source_not_found": "No data source {data_source_id} in this organization.",
    "resource_seen_at_invalid": "Item {position}: seen_at must be a date and time with a time zone, got \"{value}\".",
    "resource_change_empty": "Say what to change: a new pool, a new owner, or both.",
    "expense_day_invalid": "An expense day must be a date (YYYY-MM-DD), got \"{value}\".",
    "expense_cost_invalid": "An expense cost must be a number below 100 trillion, got \"{value}\".",
    "expense_scope_required": "Say whose expenses to replace: either resource ids or a data source, not both.",
    "expense_range_invalid": "The first day ({start}) must be a date on or before the last day ({end}).",
    "expense_day_outside_range": "An expense on {day} lies outside the range being replaced ({start} to {end}).",
    "expense_resource_outside_scope": (
        "Resource {resource_id} is not among the resources whose expenses are being replaced."),
    "assignment_rule_not_found": "No assignment rule {rule_id} in this organization.",
    "conditions_empty": "A rule needs at least one condition, such as name_starts_with or tag_is.",
    "unknown_condition_type": "Condition {position}: \"{value}\" is not a condition type; use one of: {choices}.",
    "condition_part_missing": "Condition {position} ({type}) needs a {part}.",
}
