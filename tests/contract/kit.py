"""The contract kit: what a cloud's local fake must offer so the shared scenarios (test_contract.py) can
drive its adapter. A new cloud plugs in by writing one CloudWorld for its fake and adding it to WORLDS.

Every scenario goes through the registry (`adapter_for(kind, Credentials)`) or the connect use case, the
way the product does; none imports the cloud's adapter module.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal

from core.adapters.base import CloudAdapter, Credentials, KindInfo, PowerTarget
from core.adapters.registry import adapter_for, kind_info
from core.models import DataSourceKind


class CloudWorld(ABC):
    """One data source kind and the local fake of its cloud, emptied before each scenario."""

    kind: DataSourceKind
    account_id: str  # the account good_fields() reach
    regions: tuple[str, str]  # two regions (or locations) the fake serves

    @property
    def info(self) -> KindInfo:
        return kind_info(self.kind)

    @abstractmethod
    def reset(self) -> None:
        """Forget everything in the fake, then set up what good_fields() need to connect."""

    @abstractmethod
    def good_fields(self) -> dict:
        """A complete connection form (secrets included) that connects to account_id."""

    @abstractmethod
    def bad_credentials(self) -> dict:
        """Changes to good_fields() that make the cloud refuse the credentials."""

    @abstractmethod
    def unreachable(self) -> dict:
        """Changes to good_fields() that point the adapter at a cloud that does not answer."""

    @abstractmethod
    def checking_credentials(self) -> AbstractContextManager:
        """While inside, the fake checks credentials and permissions the way the cloud does."""

    @abstractmethod
    def add_instance(self, name: str, region: str) -> PowerTarget:
        """A running instance (virtual machine) named `name`."""

    @abstractmethod
    def state(self, target: PowerTarget) -> str:
        """"running" or "stopped", as the fake says."""

    @abstractmethod
    def remove(self, target: PowerTarget) -> None:
        """The instance is deleted (terminated)."""

    @abstractmethod
    def put_costs(self, target: PowerTarget, daily: dict[date, Decimal]) -> None:
        """Billing data saying the instance cost `daily[day]` on each day (for kinds with billing)."""

    @abstractmethod
    def put_cpu(self, target: PowerTarget, at: datetime, percent: float) -> None:
        """One CPU utilisation sample of the instance."""

    def adapter(self, **changes) -> CloudAdapter:
        """The kind's adapter from the registry, for good_fields() with `changes`."""
        fields = {**self.good_fields(), **changes}
        secret = {f.name for f in self.info.fields if f.secret}
        return adapter_for(self.kind, Credentials(config={k: v for k, v in fields.items() if k not in secret},
                                                  secrets={k: v for k, v in fields.items() if k in secret}))


def worlds() -> list[CloudWorld]:
    """Every cloud the kit runs against (imported here so a world's SDK loads only for the contract tests)."""
    from tests.contract.aws import AwsRootWorld

    return [AwsRootWorld()]
