"""Maps a data source kind to its adapter module, imported only when first used.

A missing or broken SDK makes that one kind unavailable (a CoreError naming it), never the app.
"""

from __future__ import annotations

import importlib
import logging

from core.adapters.base import CloudAdapter, Credentials
from core.errors import InvalidInput

log = logging.getLogger(__name__)

# kind -> "module:factory"; the factory takes Credentials and returns a CloudAdapter
ADAPTERS: dict[str, str] = {}


def register(kind: str, target: str) -> None:
    ADAPTERS[kind] = target


def adapter_for(kind: str, credentials: Credentials) -> CloudAdapter:
    """Raises: InvalidInput (adapter_unknown with the valid kinds, adapter_unavailable when its SDK fails to load)."""
    target = ADAPTERS.get(kind)
    if target is None:
        raise InvalidInput("adapter_unknown", kind=kind, kinds=", ".join(sorted(ADAPTERS)) or "none")
    module_name, factory = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        log.warning("adapter %s unavailable: %s", kind, exc)
        raise InvalidInput("adapter_unavailable", kind=kind, reason=str(exc)) from None
    return getattr(module, factory)(credentials)
