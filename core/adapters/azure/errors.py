"""azure-core / azure-identity exceptions -> core errors naming the field to fix; nothing above sees an SDK type."""

from __future__ import annotations

import re

from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError

from core.adapters.azure.form import AzureConfig
from core.adapters.base import CloudUnavailable
from core.errors import CoreError, InvalidInput, NotFound

CLOUD = "Azure"
_AADSTS = re.compile(r"AADSTS(\d+)")
_BAD_SECRET = {"7000215", "7000222", "7000218"}  # invalid, expired, missing client secret
_NO_TENANT = {"90002", "900023", "90072"}  # tenant not found, not a valid tenant id
_NO_CLIENT = {"700016"}  # application not found in the directory
_ACTION = re.compile(r"perform action '([^']+)'")
_BUSY = {"TooManyRequests", "ServerTimeout", "InternalServerError", "ServiceUnavailable", "GatewayTimeout"}


def translate(exc: AzureError, config: AzureConfig, subscription_id: str = "") -> CoreError:
    """The core error for a failed Azure call made for one subscription (or the tenant)."""
    if isinstance(exc, ClientAuthenticationError) and exc.status_code in (None, 400, 401):
        return _sign_in(exc, config)
    if isinstance(exc, HttpResponseError):
        return _response(exc, config, subscription_id)
    return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=_reason(exc))


def _sign_in(exc: AzureError, config: AzureConfig) -> CoreError:
    text = str(exc.message or exc)
    codes = set(_AADSTS.findall(text))
    reason = _reason(exc)
    if codes & _BAD_SECRET:
        return InvalidInput("azure_secret_invalid", field="client_secret", client_id=config.client_id, reason=reason)
    if codes & _NO_TENANT:
        return InvalidInput("azure_tenant_not_found", field="tenant_id", tenant_id=config.tenant_id)
    if codes & _NO_CLIENT:
        return InvalidInput("azure_client_not_found", field="client_id", client_id=config.client_id,
                            tenant_id=config.tenant_id)
    if not codes and "connect" in text.lower():
        return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=reason)
    return InvalidInput("azure_sign_in_failed", field="client_secret", client_id=config.client_id, reason=reason)


def _response(exc: HttpResponseError, config: AzureConfig, subscription_id: str) -> CoreError:
    code = error_code(exc)
    status = exc.status_code or 0
    reason = _reason(exc)
    if code in ("InvalidAuthenticationToken", "InvalidAuthenticationTokenTenant", "ExpiredAuthenticationToken"):
        return InvalidInput("azure_sign_in_failed", field="tenant_id", client_id=config.client_id, reason=reason)
    if code in ("SubscriptionNotFound", "InvalidSubscriptionId"):
        return InvalidInput("azure_subscription_not_found", field="subscription_id",
                            subscription_id=subscription_id or config.subscription_id, client_id=config.client_id)
    if code in ("AuthorizationFailed", "LinkedAuthorizationFailed") or status == 403:
        found = _ACTION.search(str(exc.message or ""))
        action = found.group(1) if found else code or "the request"
        if action.lower().endswith("/read"):
            return InvalidInput("azure_reader_role_missing", field="subscription_id", client_id=config.client_id,
                                subscription_id=subscription_id or config.subscription_id, action=action)
        return InvalidInput("azure_permission_missing", field="client_id", client_id=config.client_id,
                            action=action, scope=f"subscription {subscription_id or config.subscription_id}")
    if status == 404:
        return NotFound("azure_resource_not_found", reason=reason)
    if code in _BUSY or status == 429 or status >= 500:
        return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=reason)
    return InvalidInput("cloud_request_refused", cloud=CLOUD, action=code or str(status), reason=reason)


def error_code(exc: HttpResponseError) -> str:
    error = getattr(exc, "error", None)
    return str(getattr(error, "code", "") or "")


def _reason(exc: AzureError) -> str:
    text = str(getattr(exc, "message", "") or exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
