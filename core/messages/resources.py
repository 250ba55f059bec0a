"""Messages for resources."""

MESSAGES: dict[str, str] = {
}
