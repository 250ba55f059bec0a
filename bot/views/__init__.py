"""Block Kit builders: pure functions from plain data to blocks, shared by replies and proactive messages."""
