"""/invites/<token>: the invited person sets their password (once, before the link expires) and is signed in."""

from __future__ import annotations

from aiohttp import web

from core.services import invites
from webconsole import forms, pages, sessions

FIELDS = ("name", "password")


async def _show(request: web.Request, form: forms.Form, status: int = 200) -> web.Response:
    invite = await invites.pending(token=request.match_info["token"])
    return await pages.render(request, "invites/accept.html", {
        "title": f"Join {invite.organization.name}", "invite": invite, "form": form,
        "token": request.match_info["token"]}, status=status)


async def show(request: web.Request) -> web.StreamResponse:
    return await _show(request, forms.Form())


async def accept(request: web.Request) -> web.StreamResponse:
    async def join(values: dict[str, str]) -> web.StreamResponse:
        member = await invites.accept(token=request.match_info["token"], **values)
        await sessions.begin(request, member)
        await sessions.flash(request, "Welcome! Your password is set; in Slack, send the Cloudtuner app `help`.")
        raise web.HTTPSeeOther("/")

    return await forms.submit(request, FIELDS, join, lambda form, status: _show(request, form, status))


def add_routes(app: web.Application) -> None:
    app.router.add_get("/invites/{token}", show)
    app.router.add_post("/invites/{token}", accept)
