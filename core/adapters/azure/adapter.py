"""The Azure adapter: one subscription, or a tenant (every subscription its app registration can read, each
imported as its own account under the one data source)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from core.adapters import context
from core.adapters.azure import costs, discovery, form, metrics, power
from core.adapters.azure.session import AzureSession
from core.adapters.base import (AccountInfo, BillingBatch, Credentials, Discovery, MetricPoint,
                                PowerResult, PowerTarget)
from core.errors import InvalidInput

PARALLEL_SUBSCRIPTIONS = 4
_READABLE = {"Enabled", "Warned", "PastDue"}  # subscription states whose resources and costs can be read


class AzureAdapter:
    """Every call opens the async clients, makes its requests and closes them again."""


    def __init__(self, config: form.AzureConfig, where: context.AdapterContext) -> None:
        self.config = config
        self.context = where

    def _session(self) -> AzureSession:
        return AzureSession(self.config, self.context)

    async def validate(self) -> AccountInfo:
        """Signs in, then reads the subscription (or lists the tenant's); each failure names its field."""
        async with self._session() as session:
            if not self.config.subscription_id:
                found = await self._subscriptions(session)
                return AccountInfo(account_id=self.config.tenant_id,
                                   display=f"tenant {self.config.tenant_id} ({len(found)} subscriptions)")
            sub = self.config.subscription_id
            answer = await session.call(session.subscriptions().subscriptions.get(sub), sub)
            await session.call(_first(session.client("compute", sub).virtual_machines.list_all()), sub)
            return AccountInfo(account_id=sub, display=answer.display_name or sub)

    async def discover(self) -> Discovery:
        """A tenant's subscriptions that refused are skipped with the reason."""
        async with self._session() as session:
            if self.config.subscription_id:
                return Discovery(await discovery.subscription(session, self.config.subscription_id))
            found, skipped = await discovery.many(session, await self._subscriptions(session))
            return Discovery(found, skipped)

    async def billing(self, start: date, end: date) -> BillingBatch:
        """Every subscription's daily costs, month by month; any refusal fails the whole import (a covered range
        with a subscription missing would wipe that subscription's figures)."""
        totals, currency = costs.Totals(), self.config.currency
        gate = asyncio.Semaphore(PARALLEL_SUBSCRIPTIONS)
        async with self._session() as session:
            subscriptions = ([self.config.subscription_id] if self.config.subscription_id
                             else await self._subscriptions(session))

            async def one(subscription_id: str) -> None:
                async with gate:
                    for first, last in costs.months(start, end):
                        await costs.read(session, subscription_id, first, last, currency, totals)

            await asyncio.gather(*(one(s) for s in subscriptions))
        return BillingBatch(lines=costs.lines(totals), items_read=totals.rows, rejected=dict(totals.rejected),
                            currency=currency, covered=costs.months(start, end))

    async def metrics(self, targets: list[PowerTarget], start: datetime, end: datetime,
                      period_seconds: int) -> list[MetricPoint]:
        async with self._session() as session:
            return await metrics.read(session, targets, start, end, period_seconds)

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]:
        async with self._session() as session:
            return await power.change(session, targets, "start")

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]:
        """Deallocates: a stopped-but-allocated VM is still billed."""
        async with self._session() as session:
            return await power.change(session, targets, "stop")

    async def _subscriptions(self, session: AzureSession) -> list[str]:
        """The tenant's readable subscriptions. Raises: InvalidInput (azure_no_subscriptions) when there are none."""
        listed = await session.items(session.subscriptions().subscriptions.list())
        found = sorted(s.subscription_id for s in listed if (discovery.text(s.state) or "Enabled") in _READABLE)
        if not found:
            raise InvalidInput("azure_no_subscriptions", field="client_id", client_id=self.config.client_id,
                               tenant_id=self.config.tenant_id)
        return found


async def _first(pages) -> None:
    """Read one page of a list: enough to prove the read permission."""
    async for _ in pages:
        break


def build_subscription(credentials: Credentials) -> AzureAdapter:
    """Raises: InvalidInput (a field missing or malformed)."""
    return AzureAdapter(form.parse(credentials, tenant=False), context.current())


def build_tenant(credentials: Credentials) -> AzureAdapter:
    """Raises: InvalidInput (a field missing or malformed)."""
    return AzureAdapter(form.parse(credentials, tenant=True), context.current())
