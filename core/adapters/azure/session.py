"""The async azure-mgmt clients of one data source, and the one way every call is made: errors translated.

The clients are asyncio-native (aiohttp), so nothing blocks the event loop. One session lives for one adapter
call and closes its clients and credential at the end.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any, AsyncIterator, Awaitable, TypeVar

from azure.core.exceptions import AzureError
from azure.identity.aio import ClientSecretCredential
from azure.mgmt.compute.aio import ComputeManagementClient
from azure.mgmt.costmanagement.aio import CostManagementClient
from azure.mgmt.monitor.aio import MonitorManagementClient
from azure.mgmt.network.aio import NetworkManagementClient
from azure.mgmt.resource.subscriptions.aio import SubscriptionClient

from core.adapters.azure.errors import translate
from core.adapters.azure.form import AzureConfig
from core.adapters.context import AdapterContext

T = TypeVar("T")
_KINDS = {"compute": ComputeManagementClient, "network": NetworkManagementClient,
          "monitor": MonitorManagementClient}


class AzureSession:
    """Clients per (kind, subscription), made on first use; `async with` closes them all."""

    def __init__(self, config: AzureConfig, context: AdapterContext) -> None:
        self.config = config
        arm = context.azure_arm_url.rstrip("/")
        verify = {"connection_verify": context.ca_bundle} if context.ca_bundle else {}
        self._options: dict[str, Any] = {"base_url": arm, "credential_scopes": [f"{arm}/.default"],
                                         "polling_interval": context.azure_poll_seconds, **verify}
        self.credential = ClientSecretCredential(config.tenant_id, config.client_id, config.client_secret,
                                                 authority=context.azure_authority_url, **verify)
        self._clients: dict[tuple[str, str], Any] = {}
        self._stack = AsyncExitStack()

    async def __aenter__(self) -> "AzureSession":
        await self._stack.enter_async_context(self.credential)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    def client(self, kind: str, subscription_id: str) -> Any:
        key = (kind, subscription_id)
        if key not in self._clients:
            made = _KINDS[kind](self.credential, subscription_id, **self._options)
            self._clients[key] = made
            self._stack.push_async_callback(made.close)
        return self._clients[key]

    def subscriptions(self) -> SubscriptionClient:
        return self._shared("subscriptions", SubscriptionClient)

    def costs(self) -> CostManagementClient:
        return self._shared("costs", CostManagementClient)

    def _shared(self, kind: str, cls: type) -> Any:
        key = (kind, "")
        if key not in self._clients:
            self._clients[key] = cls(self.credential, **self._options)
            self._stack.push_async_callback(self._clients[key].close)
        return self._clients[key]

    async def call(self, awaitable: Awaitable[T], subscription_id: str = "") -> T:
        """Await one SDK call; Azure errors become core errors."""
        try:
            return await awaitable
        except AzureError as exc:
            raise translate(exc, self.config, subscription_id) from None

    async def items(self, pages: AsyncIterator[Any], subscription_id: str = "") -> list[Any]:
        """Every item of a paged list; Azure errors become core errors."""
        try:
            return [item async for item in pages]
        except AzureError as exc:
            raise translate(exc, self.config, subscription_id) from None
