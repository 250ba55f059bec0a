"""Messages for data sources and cloud adapters."""

MESSAGES: dict[str, str] = {
    "adapter_unknown": "No cloud adapter for \"{kind}\". Valid kinds: {kinds}.",
    "adapter_unavailable": "The {kind} connector cannot load ({reason}); other clouds keep working. Reinstall Cloudtuner with its dependencies.",
}
