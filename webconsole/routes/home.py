"""/ : the first-run setup when nothing is set up yet, else sign-in, else the member's home page."""

from __future__ import annotations

from aiohttp import web

from core.queries.organization import organization_of
from core.services import setup
from webconsole import pages, sessions


async def home(request: web.Request) -> web.StreamResponse:
    if await setup.needed():
        raise web.HTTPSeeOther("/setup")
    member = await sessions.required(request)
    org = await organization_of(member_id=member.id)
    return await pages.render(request, "home/index.html", {"title": "Home", "organization": org})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", home)
    pages.add_nav(app, "Home", "/", managers_only=False)
