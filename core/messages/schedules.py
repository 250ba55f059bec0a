"""Messages for schedules."""

MESSAGES: dict[str, str] = {
}
