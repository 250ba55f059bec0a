"""The Slack bot (bolt-python)."""
