"""Messages for envs."""

MESSAGES: dict[str, str] = {
}
