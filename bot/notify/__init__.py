"""Proactive Slack messages: outbox payloads rendered to Block Kit, and their delivery."""
