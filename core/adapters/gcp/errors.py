"""google-auth, google-api-core (BigQuery) and googleapiclient exceptions -> core errors naming the field to fix."""

from __future__ import annotations

import json
import re

from google.api_core import exceptions as api
from google.auth import exceptions as auth
from googleapiclient.errors import HttpError

from core.adapters.base import CloudUnavailable
from core.adapters.gcp.form import GcpConfig
from core.errors import CoreError, InvalidInput, NotFound

CLOUD = "Google Cloud"
_PERMISSION = re.compile(r"(?:Permission|permission) '?([a-z]+\.[a-zA-Z]+\.[a-zA-Z]+)'?")
_DATASET = re.compile(r"Not found: Dataset ([^:\s]+):([^\s.]+)\b")


def translate(exc: Exception, config: GcpConfig) -> CoreError:
    """The core error for a failed Google call (a token exchange, BigQuery, Compute or Monitoring)."""
    account = str(config.key.get("client_email", ""))
    if isinstance(exc, auth.RefreshError):
        reason = exc.args[0] if exc.args and isinstance(exc.args[0], str) else _short(exc)
        return InvalidInput("gcp_key_refused", field="service_account_key", reason=reason[:300])
    if isinstance(exc, auth.TransportError):
        return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=_short(exc))
    if isinstance(exc, api.GoogleAPICallError):
        return _bigquery(exc, config, account)
    if isinstance(exc, HttpError):
        return _rest(exc, account)
    return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=_short(exc))


def _bigquery(exc: api.GoogleAPICallError, config: GcpConfig, account: str) -> CoreError:
    message = exc.message or str(exc)
    if isinstance(exc, api.NotFound):
        if _DATASET.search(message) or "dataset" in message.lower() and "table" not in message.lower():
            return NotFound("gcp_dataset_not_found", field="billing_dataset", project=config.project,
                            dataset=config.dataset)
        return NotFound("gcp_table_not_found", field="billing_table", project=config.project, dataset=config.dataset,
                        table=config.table)
    if isinstance(exc, api.Forbidden):
        permission = _permission(message)
        if permission == "bigquery.jobs.create" or "jobs.create" in message:
            return InvalidInput("gcp_jobs_create_missing", field="service_account_key", account=account,
                                project=config.key.get("project_id", ""))
        return InvalidInput("gcp_dataset_access_missing", field="billing_dataset", account=account,
                            table=config.table_path, permission=permission or "access denied")
    if isinstance(exc, (api.TooManyRequests, api.ServerError)):
        return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=_short(exc))
    if isinstance(exc, api.Unauthorized):
        return InvalidInput("gcp_key_refused", field="service_account_key", reason=_short(exc))
    return InvalidInput("cloud_request_refused", cloud=CLOUD, action="BigQuery", reason=_short(exc))


def _rest(exc: HttpError, account: str) -> CoreError:
    status = int(exc.resp.status)
    reason = _rest_reason(exc)
    if status == 401:
        return InvalidInput("gcp_key_refused", field="service_account_key", reason=reason)
    if status == 403:
        return InvalidInput("gcp_permission_missing", field="service_account_key", account=account,
                            permission=_permission(reason) or "access", reason=reason)
    if status == 404:
        return NotFound("cloud_request_refused", cloud=CLOUD, action=exc.uri.split("?")[0], reason=reason)
    if status == 429 or status >= 500:
        return CloudUnavailable("cloud_unavailable", cloud=CLOUD, reason=reason)
    return InvalidInput("cloud_request_refused", cloud=CLOUD, action=exc.uri.split("?")[0], reason=reason)


def _rest_reason(exc: HttpError) -> str:
    try:
        return str(json.loads(exc.content)["error"]["message"])[:300]
    except (ValueError, KeyError, TypeError):
        return _short(exc)


def _permission(message: str) -> str:
    found = _PERMISSION.search(message)
    return found.group(1) if found else ""


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]
