"""Messages for constraints and pool constraint policies."""

MESSAGES: dict[str, str] = {
    "not_an_expense_limit": "\"{kind}\" is not an expense limit; use daily_expense_limit or total_expense_limit.",
    "ttl_not_a_time": "The TTL must be a date and time with a time zone, got \"{value}\".",
    "ttl_in_past": "The TTL must be in the future; {until} has already passed.",
    "pool_policy_not_found": "Pool \"{pool}\" has no {kind} policy; set one first.",
    "resource_constraint_not_found": "\"{resource}\" has no own {kind} constraint; it already follows its pool's policy.",
}
