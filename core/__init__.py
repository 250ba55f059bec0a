"""The domain: models, rules, services, queries, errors. Imports no Slack, aiohttp, Jinja2 or APScheduler."""
