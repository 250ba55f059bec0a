"""Alert buttons: Add (a modal whose pool field searches as you type) and Delete; for managers of the pools."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot import forms, ids
from bot.errors import guarded
from bot.identity import acting
from bot.reply import answer, origin
from bot.screens.lists import alerts_page, pool_choices
from bot.views.alerts import alert_modal
from core.errors import PermissionDenied
from core.queries.alerts import may_add_alerts
from core.services import alerts


async def on_add(ack, body, context, client) -> None:
    await ack()
    member = await acting(context, client)
    if not await may_add_alerts(organization_id=member.organization_id, member_id=member.id):
        raise PermissionDenied("alerts_need_manager")
    await client.views_open(trigger_id=body["trigger_id"], view=alert_modal(metadata=origin(body)))


async def on_pool_search(ack, body, context, client) -> None:
    member = await acting(context, client)
    await ack(options=await pool_choices(member, body.get("value", "")))


async def on_add_submit(ack, body, view, context, client) -> None:
    member, values = await acting(context, client), forms.submitted(view)
    channel, chosen = values.get(ids.CHANNEL), values.get(ids.OPTIONS) or []
    await alerts.create_alert(
        actor_id=member.id, pool_id=forms.number(values[ids.POOL]), based_on=values[ids.BASED_ON],
        threshold=values.get(ids.THRESHOLD) or "", threshold_type=values[ids.THRESHOLD_TYPE],
        include_children="include_children" in chosen, channels=[channel] if channel else [],
        recipient_ids=[member.id] if "me" in chosen else [])
    await ack()
    await answer(body, client, await alerts_page(member, console=context["console"]), replace=True)


async def on_delete(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    await alerts.delete_alert(actor_id=member.id, alert_id=forms.number(action["value"]))
    await answer(body, client, await alerts_page(member, console=context["console"]), replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.ALERT_ADD)(guarded(on_add))
    app.options(ids.POOL)(guarded(on_pool_search))
    app.view(ids.ALERT_VIEW)(guarded(on_add_submit))
    app.action(ids.ALERT_DELETE)(guarded(on_delete))
