"""Who hears of an event: one routing step from the event and the organization's alerts and subscriptions.

A target is a kind and an address (`Target(kind, address)`): a Slack channel id, a member id (a direct
message in Slack); later a calendar or a webhook URL. Use cases never choose targets: they record the
event, and `Router.targets` gives its default audience (owners, alerts of the pool and the pools above
it, managers, ...) plus every subscription of the organization to that event type.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from core.events.base import Event
from core.events.costs import ConstraintViolated, PoolAlertCrossed, TtlExpiring
from core.events.environments import BookingEnded, BookingStarted, WaitlistTurn
from core.events.operations import ImportFailed, PowerActionFailed, PowerWarning
from core.events.members import BookingCancelledMemberRemoved, MemberInvited
from core.models import Alert, AlertBasis, EventSubscription, Member, Pool, Role
from core.rules import constraints as rules

SLACK_CHANNEL, MEMBER = "slack_channel", "member"
ALL_EVENTS = "*"


@dataclass(frozen=True)
class Target:
    """Where an event's message goes: a kind of target and its address."""

    kind: str
    address: str

    @classmethod
    def channel(cls, channel_id: str) -> Target:
        return cls(SLACK_CHANNEL, channel_id)

    @classmethod
    def member(cls, member_id: int) -> Target:
        return cls(MEMBER, str(member_id))

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.address}"


def alert_targets(alert: Alert) -> list[Target]:
    """An alert's channels and recipients (prefetched)."""
    return ([Target.channel(c) for c in alert.channels]
            + [Target.member(m.id) for m in sorted(alert.recipients, key=lambda m: m.id)])


class Router:
    """The targets of one organization's events; alerts, pools and subscriptions are read once per router."""

    def __init__(self, organization_id: int) -> None:
        self.organization_id = organization_id
        self._alerts: dict[AlertBasis, dict[int, list[Alert]]] = {}
        self._parents: dict[int, int | None] | None = None
        self._subscriptions: dict[str, list[Target]] | None = None
        self._managers: list[Target] | None = None

    async def targets(self, event: Event) -> list[Target]:
        """The event's distinct targets, its default audience first."""
        found = await self._audience(event)
        subscribed = await self._subscribed()
        found += subscribed.get(event.type, []) + subscribed.get(ALL_EVENTS, [])
        return list(dict.fromkeys(found))

    async def managers(self) -> list[Target]:
        """The organization's managers, as direct-message targets."""
        if self._managers is None:
            ids = await Member.filter(organization_id=self.organization_id, role=Role.ORG_MANAGER).order_by(
                "id").values_list("id", flat=True)
            self._managers = [Target.member(i) for i in ids]
        return self._managers

    async def _audience(self, event: Event) -> list[Target]:
        owner = [Target.member(event.owner_id)] if getattr(event, "owner_id", None) is not None else []
        match event:
            case ConstraintViolated():
                return owner + await self.pool_alerts(AlertBasis.CONSTRAINT, event.pool_id)
            case TtlExpiring() | PowerWarning():
                return owner
            case PoolAlertCrossed():
                alert = await Alert.filter(id=event.alert_id).prefetch_related("recipients").first()
                return alert_targets(alert) if alert is not None else []
            case BookingStarted() | BookingEnded():
                return await self.pool_alerts(AlertBasis.ENV_CHANGE, event.pool_id)
            case WaitlistTurn():
                return [Target.member(event.member_id)]
            case PowerActionFailed():
                return [Target.member(i) for i in event.member_ids] or await self.managers()
            case ImportFailed():
                return await self.managers()
            case MemberInvited():
                return [Target.member(event.member_id)]
            case BookingCancelledMemberRemoved():
                return [t for t in await self.managers() if t != Target.member(event.removed_member_id)]
        return []  # the other events (bookings made or changed, environment and alert edits): subscribers only

    async def pool_alerts(self, basis: AlertBasis, pool_id: int) -> list[Target]:
        """Targets of the alerts of `basis` on the pool, and on pools above it that include sub-pools."""
        by_pool = await self._alerts_of(basis)
        found: list[Target] = []
        for index, chain_pool in enumerate(rules.pool_chain(pool_id, await self._pool_parents())):
            for alert in by_pool.get(chain_pool, ()):
                if index == 0 or alert.include_children:
                    found.extend(alert_targets(alert))
        return found

    async def _alerts_of(self, basis: AlertBasis) -> dict[int, list[Alert]]:
        if basis not in self._alerts:
            by_pool: dict[int, list[Alert]] = defaultdict(list)
            for alert in await Alert.filter(organization_id=self.organization_id, based_on=basis).prefetch_related(
                    "recipients").order_by("id"):
                by_pool[alert.pool_id].append(alert)
            self._alerts[basis] = by_pool
        return self._alerts[basis]

    async def _pool_parents(self) -> dict[int, int | None]:
        if self._parents is None:
            self._parents = dict(await Pool.filter(organization_id=self.organization_id).values_list("id", "parent_id"))
        return self._parents

    async def _subscribed(self) -> dict[str, list[Target]]:
        if self._subscriptions is None:
            self._subscriptions = defaultdict(list)
            for event, kind, address in await EventSubscription.filter(organization_id=self.organization_id).order_by(
                    "id").values_list("event_type", "target_kind", "target_address"):
                self._subscriptions[event].append(Target(kind, address))
        return self._subscriptions
