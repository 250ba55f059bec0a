"""The Slack bot (bolt-python): listeners, Block Kit views, linking people, install and delivery."""
