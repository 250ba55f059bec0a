"""boto3 clients for one data source, and the one way every call is made: translated errors, off the loop."""

from __future__ import annotations

import asyncio
import threading
from typing import Any, Callable, Iterator, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from core.adapters.aws.form import AwsConfig
from core.adapters.aws.errors import error_code, translate

T = TypeVar("T")
HOME_REGION = "us-east-1"
_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=60,
                 max_pool_connections=16)


class AwsSession:
    """Caches one client per (service, region); boto3 clients are thread-safe, creating them is not."""

    def __init__(self, config: AwsConfig) -> None:
        self.config = config
        self._session = boto3.session.Session(aws_access_key_id=config.access_key_id,
                                              aws_secret_access_key=config.secret_access_key,
                                              region_name=HOME_REGION)
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def client(self, service: str, region: str = HOME_REGION) -> Any:
        with self._lock:
            key = (service, region)
            if key not in self._clients:
                self._clients[key] = self._session.client(service, region_name=region, config=_CONFIG,
                                                          endpoint_url=self.config.endpoint_url)
            return self._clients[key]


def request(client: Any, method: str, *, tolerate: tuple[str, ...] = (), **kwargs: Any) -> dict:
    """One API call; SDK errors become core errors, except the error codes tolerated, which answer {}."""
    try:
        return getattr(client, method)(**kwargs)
    except ClientError as exc:
        if error_code(exc) in tolerate:
            return {}
        raise _translated(client, method, exc, kwargs) from None
    except BotoCoreError as exc:
        raise _translated(client, method, exc, kwargs) from None


def pages(client: Any, method: str, **kwargs: Any) -> Iterator[dict]:
    """Every page of a paginated call; SDK errors become core errors."""
    try:
        yield from client.get_paginator(method).paginate(**kwargs)
    except (BotoCoreError, ClientError) as exc:
        raise _translated(client, method, exc, kwargs) from None


async def off_loop(fn: Callable[..., T], *args: Any) -> T:
    """Run blocking SDK work in a worker thread so the event loop keeps serving."""
    return await asyncio.to_thread(fn, *args)


def _translated(client: Any, method: str, exc: BotoCoreError | ClientError, kwargs: dict):
    operation = client.meta.method_to_api_mapping.get(method, method)
    return translate(exc, service=client.meta.service_model.service_name, operation=operation,
                     bucket=kwargs.get("Bucket", ""))
