"""Resource buttons: Details, paging, Update TTL (presets, custom, reset to pool policy) and the daily limit."""

from __future__ import annotations


from slack_bolt.async_app import AsyncApp

from bot import forms, ids
from bot.errors import guarded
from bot.identity import acting, current_timezone
from bot.reply import answer, origin
from bot.screens.resources import resource_page, resources_page
from bot.views.common import when
from bot.views.resources import limit_modal, ttl_modal
from core.clock import utcnow
from core.errors import PermissionDenied
from core.models import ConstraintKind
from core.queries.resources import resource_detail
from core.services import constraints, slack_links


async def on_details(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    await answer(body, client, await resource_page(member, forms.number(action["value"]), console=context["console"]))


async def on_page(ack, body, action, context, client) -> None:
    await ack()
    member = await acting(context, client)
    offset, _, pool = action["value"].partition(":")
    page = await resources_page(member, console=context["console"], offset=forms.number(offset), pool=pool)
    await answer(body, client, page, replace=True)


async def on_ttl_preset(ack, body, action, context, client) -> None:
    await ack()
    member, resource_id, now = await acting(context, client), forms.number(action["value"]), utcnow()
    until = now + ids.TTL_PRESET_DELTAS[ids.TTL_PRESET.match(action["action_id"]).group(1)]
    await constraints.set_resource_ttl(actor_id=member.id, resource_id=resource_id, until=until, now=now)
    page = await resource_page(member, resource_id, console=context["console"], notice=f"TTL set to {when(until)}.")
    await answer(body, client, page, replace=True)


async def on_ttl_reset(ack, body, action, context, client) -> None:
    await ack()
    member, resource_id = await acting(context, client), forms.number(action["value"])
    await constraints.remove_resource_constraint(actor_id=member.id, resource_id=resource_id,
                                                 kind=ConstraintKind.TTL.value)
    page = await resource_page(member, resource_id, console=context["console"], notice="TTL follows the pool policy.")
    await answer(body, client, page, replace=True)


async def on_open_form(ack, body, action, context, client) -> None:
    """Custom TTL and daily limit: refuse early who may not change the resource, then open the modal."""
    await ack()
    member = await acting(context, client)
    resource = await resource_detail(organization_id=member.organization_id, resource_id=forms.number(action["value"]),
                                     member_id=member.id)
    if not resource.can_change:
        raise PermissionDenied("not_owner_or_manager", resource=resource.name)
    metadata = origin(body, resource_id=resource.id)
    if action["action_id"] == ids.TTL_CUSTOM:
        view = ttl_modal(resource=resource.name, timezone=await current_timezone(context, client), metadata=metadata)
    else:
        view = limit_modal(resource=resource.name, currency=(await member.organization).currency, metadata=metadata)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def on_ttl_submit(ack, body, view, context, client) -> None:
    meta, member = forms.metadata(view), await acting(context, client)
    zone = await slack_links.slack_timezone(team_id=context.team_id, slack_user_id=context.user_id)
    until = forms.custom_ttl(forms.submitted(view), zone)
    await constraints.set_resource_ttl(actor_id=member.id, resource_id=meta["resource_id"], until=until)
    await ack()
    page = await resource_page(member, meta["resource_id"], console=context["console"],
                               notice=f"TTL set to {when(until)}.")
    await answer(body, client, page, replace=True)


async def on_limit_submit(ack, body, view, context, client) -> None:
    meta, member = forms.metadata(view), await acting(context, client)
    amount = forms.submitted(view).get(ids.LIMIT)
    await constraints.set_resource_limit(actor_id=member.id, resource_id=meta["resource_id"],
                                         kind=ConstraintKind.DAILY_EXPENSE_LIMIT.value, amount=amount)
    await ack()
    page = await resource_page(member, meta["resource_id"], console=context["console"], notice="Daily limit saved.")
    await answer(body, client, page, replace=True)


def register(app: AsyncApp) -> None:
    app.action(ids.RESOURCE_DETAILS)(guarded(on_details))
    app.action(ids.RESOURCE_PAGE)(guarded(on_page))
    app.action(ids.TTL_PRESET)(guarded(on_ttl_preset))
    app.action(ids.TTL_RESET)(guarded(on_ttl_reset))
    app.action(ids.TTL_CUSTOM)(guarded(on_open_form))
    app.action(ids.DAILY_LIMIT)(guarded(on_open_form))
    app.view(ids.TTL_VIEW)(guarded(on_ttl_submit))
    app.view(ids.LIMIT_VIEW)(guarded(on_limit_submit))
