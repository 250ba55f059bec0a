"""The web console (aiohttp + Jinja2) and the process's HTTP endpoints."""
