"""/settings/slack: how Slack is connected (mode, bound workspaces, bot check) and how to connect it."""

from __future__ import annotations

import logging

from aiohttp import web

from core.queries.organization import managed_organization, slack_workspaces
from core.services import slack_links
from webconsole import forms, pages, sessions
from webconsole.options import CONFIG, SlackSetup

log = logging.getLogger(__name__)
PATH = "/settings/slack"


async def _bot_state(slack: SlackSetup | None) -> str:
    """"ok", or a short reason the bot does not answer (never a token)."""
    if slack is None or slack.check is None:
        return "off"
    try:
        await slack.check()
    except Exception as exc:  # a probe reports every failure, like /healthz; its text may quote a token
        log.warning("Slack bot check failed: %s", type(exc).__name__)
        return "not answering (see the server log)"
    return "ok"


async def _token_workspace(slack: SlackSetup | None) -> tuple[str, str] | None:
    if slack is None or slack.workspace is None:
        return None
    try:
        return await slack.workspace()
    except Exception as exc:  # the page still shows, with a field to type the id
        log.warning("Slack auth.test for the Slack page failed: %s", type(exc).__name__)
        return None


async def _show(request: web.Request, form: forms.Form, status: int = 200) -> web.Response:
    member = await sessions.required(request)
    org = await managed_organization(actor_id=member.id)
    slack = request.app[CONFIG].slack
    token_workspace = await _token_workspace(slack)
    if token_workspace and not form.values:
        form = forms.Form({"team_id": token_workspace[0], "team_name": token_workspace[1]}, form.errors)
    return await pages.render(request, "slack/page.html", {
        "title": "Slack", "organization": org, "slack": slack, "workspaces": await slack_workspaces(organization_id=org.id),
        "bot": await _bot_state(slack), "token_workspace": token_workspace, "form": form}, status=status)


async def show(request: web.Request) -> web.StreamResponse:
    return await _show(request, forms.Form())


async def bind(request: web.Request) -> web.StreamResponse:
    member = await sessions.required(request)

    async def save(values: dict[str, str]) -> web.StreamResponse:
        workspace = await slack_links.bind_workspace_for(actor_id=member.id, **values)
        await sessions.flash(request, f"Slack workspace {workspace.team_name or workspace.team_id} now works for "
                                      "this organization.")
        raise web.HTTPSeeOther(PATH)

    return await forms.submit(request, ("team_id", "team_name"), save, lambda form, status: _show(request, form, status),
                              secret=())


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, show)
    app.router.add_post(PATH + "/bind", bind)
    pages.add_nav(app, "Slack", PATH, managers_only=True)
