"""/settings/organization: name, currency and default time zone (organization managers)."""

from __future__ import annotations

from aiohttp import web

from core.queries.organization import managed_organization
from core.services import setup
from webconsole import forms, pages, sessions
from webconsole.routes.setup import TIMEZONES

PATH = "/settings/organization"
FIELDS = ("name", "currency", "timezone")


async def _show(request: web.Request, form: forms.Form, status: int = 200) -> web.Response:
    return await pages.render(request, "organization/form.html", {
        "title": "Organization", "form": form, "timezones": TIMEZONES}, status=status)


async def show(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)
    org = await managed_organization(actor_id=member.id)
    return await _show(request, forms.Form({"name": org.name, "currency": org.currency, "timezone": org.timezone}))


async def save(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)

    async def update(values: dict[str, str]) -> web.StreamResponse:
        await setup.update_organization(actor_id=member.id, **values)
        await sessions.flash(request, "Organization settings saved.")
        raise web.HTTPSeeOther(PATH)

    return await forms.submit(request, FIELDS, update, lambda form, status: _show(request, form, status))


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, show)
    app.router.add_post(PATH, save)
    pages.add_nav(app, "Organization", PATH, managers_only=True)
