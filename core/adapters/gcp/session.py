"""The Google clients of one data source and the one way every call is made: off the event loop, errors
translated. The service-account key exchanges a signed JWT at its own `token_uri` (google-auth)."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

import httplib2
from google.api_core import exceptions as api
from google.auth import exceptions as auth
from google.auth.transport.requests import Request
from google.cloud import bigquery
from google.oauth2 import service_account
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from core.adapters.context import AdapterContext
from core.adapters.gcp.errors import translate
from core.adapters.gcp.form import GcpConfig
from core.errors import InvalidInput

T = TypeVar("T")
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
_SERVICE_PATHS = {"compute": "compute/v1/", "monitoring": "", "cloudresourcemanager": ""}
_SDK_ERRORS = (api.GoogleAPICallError, auth.GoogleAuthError, HttpError, httplib2.HttpLib2Error, OSError)


class GcpSession:
    def __init__(self, config: GcpConfig, context: AdapterContext) -> None:
        self.config = config
        self.context = context
        try:
            self.credentials = service_account.Credentials.from_service_account_info(config.key, scopes=SCOPES)
        except (ValueError, TypeError) as exc:
            raise InvalidInput("gcp_key_refused", field="service_account_key",
                               reason=f"the private key cannot be read: {exc}") from None
        self.project = str(config.key["project_id"])
        self.account = str(config.key["client_email"])

    def bigquery(self) -> bigquery.Client:
        options = {"api_endpoint": self.context.bigquery_url} if self.context.bigquery_url else None
        return bigquery.Client(project=self.project, credentials=self.credentials, client_options=options)

    def service(self, name: str, version: str) -> Any:
        """A googleapiclient service from the discovery document shipped with the library; one per thread
        (httplib2 connections are not thread-safe)."""
        base = self.context.google_api_url
        options = {"api_endpoint": f"{base}/{_SERVICE_PATHS[name]}"} if base else None
        http = AuthorizedHttp(self.credentials, http=httplib2.Http(timeout=60, ca_certs=self.context.ca_bundle or None))
        return build(name, version, http=http, static_discovery=True, cache_discovery=False, client_options=options)

    def refresh(self) -> None:
        """Exchange the key for a token now (blocking): proves the key before anything else is asked."""
        self.credentials.refresh(Request())

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Blocking Google work in a worker thread; SDK errors become core errors."""
        return await asyncio.to_thread(self.guarded, fn, *args)

    def guarded(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return fn(*args)
        except _SDK_ERRORS as exc:
            raise translate(exc, self.config) from None
