"""Proactive Slack messages: events from the outbox rendered to Block Kit, and their delivery."""
