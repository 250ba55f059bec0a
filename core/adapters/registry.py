"""Maps a data source kind to its adapter module, imported only when first used.

A missing or broken SDK makes that one kind unavailable (a CoreError naming it), never the app.
"""

from __future__ import annotations

import importlib
import logging

from core.adapters.base import CloudAdapter, ConfigField, Credentials
from core.errors import InvalidInput

log = logging.getLogger(__name__)

# kind -> "module:factory"; the factory takes Credentials and returns a CloudAdapter.
# The module also exposes FORMS: kind -> tuple[ConfigField, ...] (its connection form).
ADAPTERS: dict[str, str] = {
    "aws_root": "core.adapters.aws.adapter:build_root",
    "aws_linked": "core.adapters.aws.adapter:build_linked",
    "azure_subscription": "core.adapters.azure.adapter:build_subscription",
    "azure_tenant": "core.adapters.azure.adapter:build_tenant",
    "gcp": "core.adapters.gcp.adapter:build",
}


def register(kind: str, target: str) -> None:
    ADAPTERS[kind] = target


def adapter_for(kind: str, credentials: Credentials) -> CloudAdapter:
    """Raises: InvalidInput (adapter_unknown with the valid kinds, adapter_unavailable when its SDK fails to load)."""
    module, factory = _load(kind)
    return getattr(module, factory)(credentials)


def form_for(kind: str) -> tuple[ConfigField, ...]:
    """The connection form of a kind. Raises: InvalidInput (adapter_unknown, adapter_unavailable)."""
    module, _ = _load(kind)
    return module.FORMS[kind]


def _load(kind: str):
    target = ADAPTERS.get(kind)
    if target is None:
        raise InvalidInput("adapter_unknown", kind=kind, kinds=", ".join(sorted(ADAPTERS)) or "none")
    module_name, factory = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        log.warning("adapter %s unavailable: %s", kind, exc)
        raise InvalidInput("adapter_unavailable", kind=kind, reason=str(exc)) from None
    return module, factory
