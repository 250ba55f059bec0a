"""/setup: the first run (organization + first manager); closed once an organization exists."""

from __future__ import annotations

from zoneinfo import available_timezones

from aiohttp import web

from core.services import setup
from webconsole import forms, pages, sessions

FIELDS = ("name", "currency", "timezone", "manager_name", "manager_email", "password")
TIMEZONES = [(zone, zone) for zone in sorted(available_timezones())]


async def _show(request: web.Request, form: forms.Form, status: int = 200) -> web.Response:
    return await pages.render(request, "setup/form.html", {"title": "Set up Cloudtuner", "form": form,
                                                          "timezones": TIMEZONES}, status=status)


async def _closed() -> None:
    if not await setup.needed():
        raise web.HTTPNotFound()


async def show(request: web.Request) -> web.StreamResponse:
    await _closed()
    return await _show(request, forms.Form({"currency": "USD", "timezone": "UTC"}))


async def submit(request: web.Request) -> web.StreamResponse:
    await _closed()

    async def create(values: dict[str, str]) -> web.StreamResponse:
        manager = await setup.set_up(**values)
        await sessions.begin(request, manager)
        await sessions.flash(request, f"{values['name'].strip()} is set up. Next: invite your team and connect Slack.")
        raise web.HTTPSeeOther("/")

    return await forms.submit(request, FIELDS, create, lambda form, status: _show(request, form, status))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/setup", show)
    app.router.add_post("/setup", submit)
