"""/members: the organization's people (organization managers): invite, role, pools, link codes, remove."""

from __future__ import annotations

from aiohttp import web

from core.crypto import SecretBox
from core.models import Role
from core.queries.members import PAGE, members_page, removal_preview
from core.services import invites, members, orgs, slack_links
from webconsole import forms, pages, sessions
from webconsole.options import CONFIG

PATH = "/members"
ROLES = [(Role.ENGINEER.value, "Engineer"), (Role.POOL_MANAGER.value, "Pool manager"),
         (Role.ORG_MANAGER.value, "Organization manager")]
INVITE_FIELDS = ("email", "name", "role")


def _offset(request: web.Request) -> int:
    value = request.query.get("offset", "0")
    return min(int(value), 10**9) if value.isdigit() else 0


def _id(request: web.Request, name: str = "member_id") -> int:
    value = request.match_info[name]
    if len(value) > 12:
        raise web.HTTPNotFound()
    return int(value)


def _invite_url(request: web.Request, token: str) -> str:
    return f"{request.app[CONFIG].public_url}/invites/{token}"


async def _list(request: web.Request, form: forms.Form, status: int = 200) -> web.Response:
    member = await sessions.required(request)
    offset = _offset(request)
    page = await members_page(actor_id=member.id, offset=offset)
    return await pages.render(request, "members/list.html", {
        "title": "Members", "page": page, "form": form, "roles": ROLES, "role_names": dict(ROLES),
        "offset": offset, "page_size": PAGE}, status=status)


async def show(request: web.Request) -> web.StreamResponse:
    return await _list(request, forms.Form({"role": Role.ENGINEER.value}))


async def _link_page(request: web.Request, title: str, text: str, value: str) -> web.Response:
    return await pages.render(request, "members/secret.html", {"title": title, "text": text, "value": value})


async def invite(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)

    async def add(values: dict[str, str]) -> web.StreamResponse:
        invited, token, told = await invites.invite(actor_id=member.id, **values)
        slack = " Cloudtuner also told them in Slack, where they can start right away." if told else ""
        return await _link_page(request, f"{invited.email} is invited",
                                f"Send {invited.label} this link; on it they set their password. It works once, "
                                f"for {invites.INVITE_LIFETIME.days} days.{slack}", _invite_url(request, token))

    return await forms.submit(request, INVITE_FIELDS, add, lambda form, status: _list(request, form, status), secret=())


async def reinvite(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)
    invited, token = await invites.reissue(actor_id=member.id, member_id=_id(request))
    return await _link_page(request, f"New invite link for {invited.email}",
                            "The earlier link no longer works. This one works once, "
                            f"for {invites.INVITE_LIFETIME.days} days.", _invite_url(request, token))


async def link_code(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)
    target = _id(request)
    code = await slack_links.issue_link_code(actor_id=member.id, member_id=target,
                                             box=SecretBox(request.app[CONFIG].secret_key))
    return await _link_page(request, "Slack link code",
                            "For someone whose Slack email differs from their Cloudtuner email: they send the "
                            f"Cloudtuner app `link {code}` in Slack. It works once, for 24 hours.", code)


async def set_role(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)
    role = (await forms.read(request, ("role",)))["role"]

    async def change() -> str:
        changed = await orgs.set_role(actor_id=member.id, member_id=_id(request), role=role)
        return f"{changed.label} is now {dict(ROLES).get(changed.role.value, changed.role.value).lower()}."

    return await forms.act(request, change, PATH)


async def grant(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)
    pool = (await forms.read(request, ("pool_id",)))["pool_id"]

    async def add() -> str:
        changed = await orgs.grant_pool(actor_id=member.id, member_id=_id(request),
                                        pool_id=int(pool) if pool.isdigit() and len(pool) < 12 else 0)
        return f"{changed.label} now manages that pool."

    return await forms.act(request, add, PATH)


async def revoke(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)

    async def remove() -> str:
        changed = await orgs.revoke_pool(actor_id=member.id, member_id=_id(request), pool_id=_id(request, "pool_id"))
        return f"{changed.label} no longer manages that pool."

    return await forms.act(request, remove, PATH)


async def confirm_remove(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)
    removal = await removal_preview(actor_id=member.id, member_id=_id(request))
    return await pages.render(request, "members/remove.html", {"title": f"Remove {removal.member.label}",
                                                              "removal": removal})


async def remove(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)

    async def delete() -> str:
        removed = await members.remove_member(actor_id=member.id, member_id=_id(request))
        return f"{removed.label} is removed. Their resources keep their pool and have no owner now."

    return await forms.act(request, delete, PATH)


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, show)
    app.router.add_post(f"{PATH}/invite", invite)
    app.router.add_post(PATH + "/{member_id:\\d+}/invite", reinvite)
    app.router.add_post(PATH + "/{member_id:\\d+}/link-code", link_code)
    app.router.add_post(PATH + "/{member_id:\\d+}/role", set_role)
    app.router.add_post(PATH + "/{member_id:\\d+}/pools", grant)
    app.router.add_post(PATH + "/{member_id:\\d+}/pools/{pool_id:\\d+}/revoke", revoke)
    app.router.add_get(PATH + "/{member_id:\\d+}/remove", confirm_remove)
    app.router.add_post(PATH + "/{member_id:\\d+}/remove", remove)
    pages.add_nav(app, "Members", PATH, managers_only=True)
