"""How adapters reach the clouds: set once by the composition root from settings, read by the adapters opened.

Operators behind a proxy or in a sovereign cloud, and tests, point the clients elsewhere; core never reads
the environment itself.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AdapterContext:
    azure_arm_url: str = "https://management.azure.com"
    azure_authority_url: str = "https://login.microsoftonline.com"
    bigquery_url: str = ""  # empty: the library's own default
    google_api_url: str = ""  # empty: https://<service>.googleapis.com
    ca_bundle: str = ""  # extra CA certificates (PEM file) trusted for these endpoints; empty: the system's
    azure_poll_seconds: float = 15  # between polls of a long-running operation that names no Retry-After


_current = AdapterContext()


def use(context: AdapterContext) -> None:
    """Called by the composition root (and tests) before any adapter is opened."""
    global _current
    _current = context


def current() -> AdapterContext:
    return _current
