"""Messages for alerts."""

MESSAGES: dict[str, str] = {
}
