"""Sign-in by email and password, by a one-time link from the bot, and sign-out."""

from __future__ import annotations

from aiohttp import web

from core.services import auth
from webconsole import forms, pages, sessions
from webconsole.options import CONFIG

FIELDS = ("email", "password")


async def show_form(request: web.Request, form: forms.Form, status: int = 200) -> web.Response:
    return await pages.render(request, "signin/form.html", {
        "title": "Sign in", "form": form, "slack_sign_in": request.app[CONFIG].slack_sign_in is not None}, status=status)


async def show(request: web.Request) -> web.StreamResponse:
    if await sessions.member(request) is not None:
        raise web.HTTPSeeOther("/")
    return await show_form(request, forms.Form())


async def submit(request: web.Request) -> web.StreamResponse:
    async def check(values: dict[str, str]) -> web.StreamResponse:
        member = await auth.sign_in(email=values["email"], password=values["password"], address=request.remote or "")
        await sessions.begin(request, member)
        raise web.HTTPSeeOther("/")

    return await forms.submit(request, FIELDS, check, lambda form, status: show_form(request, form, status))


async def link(request: web.Request) -> web.StreamResponse:
    """The page a sign-in link opens: one button, so link previews (which only GET) never use the link up."""
    return await pages.render(request, "signin/link.html", {"title": "Sign in", "token": request.match_info["token"],
                                                           "form": forms.Form()})


async def use_link(request: web.Request) -> web.StreamResponse:
    async def redeem(values: dict[str, str]) -> web.StreamResponse:
        await sessions.begin(request, await auth.redeem_sign_in_link(token=request.match_info["token"]))
        raise web.HTTPSeeOther("/")

    async def again(form: forms.Form, status: int) -> web.Response:
        return await pages.render(request, "signin/link.html", {
            "title": "Sign in", "token": request.match_info["token"], "form": form}, status=status)

    return await forms.submit(request, (), redeem, again)


async def sign_out(request: web.Request) -> web.StreamResponse:
    await sessions.end(request)
    raise web.HTTPSeeOther("/signin")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/signin", show)
    app.router.add_post("/signin", submit)
    app.router.add_get("/signin/link/{token}", link)
    app.router.add_post("/signin/link/{token}", use_link)
    app.router.add_post("/signout", sign_out)
