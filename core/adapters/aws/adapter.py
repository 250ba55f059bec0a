"""The AWS adapter: root accounts (keys + a billing export in S3) and linked accounts (keys only)."""

from __future__ import annotations

from datetime import date, datetime

from core.adapters.aws import billing, discovery, form, metrics, power
from core.adapters.aws.session import AwsSession, off_loop, request
from core.adapters.base import AccountInfo, BillingBatch, Credentials, Discovery, MetricPoint, PowerResult, PowerTarget
from core.errors import InvalidInput


class AwsAdapter:
    """One AWS account; every SDK call runs in a worker thread and fails with a core error."""

    def __init__(self, settings: form.AwsConfig) -> None:
        self.session = AwsSession(settings)
        self._account: str | None = None

    async def validate(self) -> AccountInfo:
        """Keys via STS, EC2 read access, and for a root account read access to the export bucket."""
        identity = await self._identity()
        await off_loop(discovery.enabled_regions, self.session)
        settings = self.session.config
        if settings.root:
            await off_loop(lambda: request(self.session.client("s3"), "list_objects_v2", Bucket=settings.bucket,
                                           Prefix=settings.prefix, MaxKeys=1))
        return AccountInfo(account_id=identity["Account"], display=identity.get("Arn", identity["Account"]))

    async def _identity(self) -> dict:
        identity = await off_loop(lambda: request(self.session.client("sts"), "get_caller_identity"))
        self._account = identity["Account"]
        return identity

    async def discover(self) -> Discovery:
        """Resources of every region that answered; the others are skipped with the reason."""
        found, skipped = await discovery.discover(self.session)
        return Discovery(found, skipped)

    async def billing(self, start: date, end: date) -> BillingBatch:
        """Raises: InvalidInput (billing_not_available) for a linked account: its billing comes via the root."""
        if not self.session.config.root:
            raise InvalidInput("billing_not_available", kind="aws_linked")
        if self._account is None:
            await self._identity()
        return await off_loop(billing.billing, self.session, start, end, self._account)

    async def metrics(self, targets: list[PowerTarget], start: datetime, end: datetime,
                      period_seconds: int) -> list[MetricPoint]:
        return await metrics.read(self.session, targets, start, end, period_seconds)

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return await power.change(self.session, targets, "start")

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return await power.change(self.session, targets, "stop")


def build_root(credentials: Credentials) -> AwsAdapter:
    """Raises: InvalidInput (a field missing or malformed)."""
    return AwsAdapter(form.parse(credentials, root=True))


def build_linked(credentials: Credentials) -> AwsAdapter:
    """Raises: InvalidInput (a field missing or malformed)."""
    return AwsAdapter(form.parse(credentials, root=False))
