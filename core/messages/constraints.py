"""Messages for constraints."""

MESSAGES: dict[str, str] = {
}
