"""Messages shared by every feature."""

MESSAGES: dict[str, str] = {
    "database_unavailable": "Cloudtuner's database is not answering; try again in a minute.",
    "member_not_found": "No member {member_id} in this organization. Ask an organization manager to invite you.",
    "not_org_manager": "Only an organization manager can do this.",
    "not_pool_manager": "Only a manager of pool \"{pool}\" (or of a pool above it) can do this.",
    "not_owner_or_manager": "Only the owner of \"{resource}\" or a manager of its pool can do this.",
    "blank_value": "{field} must not be empty.",
    "value_too_long": "{field} is too long: at most {max} characters.",
    "not_a_whole_number": "{field} must be a whole number, got \"{value}\".",
    "value_out_of_range": "{field} must be between {min} and {max}, got {value}.",
    "not_in_choices": "{field} must be one of: {choices}; got \"{value}\".",
    "not_an_amount": "{field} must be an amount of 0 or more with at most two decimals, got \"{value}\".",
    "secret_undecryptable": "A stored secret cannot be decrypted: CLOUDTUNER_SECRET_KEY changed since it was saved. Restore the old key or enter the credentials again.",
    "invalid_timezone": "\"{value}\" is not a known time zone. Use an IANA name such as Europe/Berlin.",
}
