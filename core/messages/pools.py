"""Messages for pools."""

MESSAGES: dict[str, str] = {
    "pool_not_found": "No pool {pool_id} in this organization.",
}
