"""Messages for the sample organization."""

MESSAGES: dict[str, str] = {
    "demo_exists": "The sample organization \"{name}\" is already loaded.",
}
