"""The buttons of a power schedule's pre-stop warning: Snooze 1h / 2h and Skip tonight."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot import forms, ids
from bot.errors import guarded
from bot.identity import acting
from bot.reply import answer
from bot.views.schedules import override_notice
from core.queries.resources import resource_detail
from core.services import schedules


async def on_snooze(ack, body, action, context, client) -> None:
    await ack()
    member, resource_id = await acting(context, client), forms.number(action["value"])
    hours = ids.SNOOZE_HOURS[ids.SNOOZE.match(action["action_id"]).group(1)]
    override = await schedules.snooze(actor_id=member.id, resource_id=resource_id, hours=hours)
    resource = await resource_detail(organization_id=member.organization_id, resource_id=resource_id,
                                     member_id=member.id)
    await answer(body, client, override_notice(resource_id=resource_id, resource=resource.name, until=override.until,
                                               skipped=False, console=context["console"]), replace=True)


async def on_skip_tonight(ack, body, action, context, client) -> None:
    await ack()
    member, resource_id = await acting(context, client), forms.number(action["value"])
    override = await schedules.skip_tonight(actor_id=member.id, resource_id=resource_id)
    resource = await resource_detail(organization_id=member.organization_id, resource_id=resource_id,
                                     member_id=member.id)
    await answer(body, client, override_notice(resource_id=resource_id, resource=resource.name, until=override.until,
                                               skipped=True, console=context["console"]), replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.SNOOZE)(guarded(on_snooze))
    app.action(ids.SKIP_TONIGHT)(guarded(on_skip_tonight))
