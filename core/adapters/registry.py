"""The data source kinds that have an adapter: each described as data (core.adapters.base.KindInfo),
its adapter module imported only when first used.

The model's DataSourceKind names every kind a data source may be stored as; a kind is offered (CLI choices,
connect, the console's forms) only when a KindInfo is registered for it here. A cloud plugs in by adding
its KINDS to BUILT_IN. Reading kinds() imports no SDK; a missing or broken SDK makes that one kind
unavailable (a CoreError naming it) when an adapter is opened, never the app.
"""

from __future__ import annotations

import importlib
import logging

from core.adapters.aws import kinds as aws_kinds
from core.adapters.azure import form as azure_form
from core.adapters.gcp import form as gcp_form
from core.adapters.base import CloudAdapter, Credentials, KindInfo
from core.errors import InvalidInput
from core.models.enums import DataSourceKind

log = logging.getLogger(__name__)

BUILT_IN: tuple[KindInfo, ...] = aws_kinds.KINDS + azure_form.KINDS + gcp_form.KINDS
KINDS: dict[DataSourceKind, KindInfo] = {info.kind: info for info in BUILT_IN}
_ORDER = list(DataSourceKind)


def register(info: KindInfo) -> None:
    KINDS[info.kind] = info


def kinds() -> list[KindInfo]:
    """The kinds offered, in the model's order."""
    return sorted(KINDS.values(), key=lambda info: _ORDER.index(info.kind))


def kind_info(kind: str | DataSourceKind) -> KindInfo:
    """Raises: InvalidInput (adapter_unknown, naming the kinds offered)."""
    try:
        info = KINDS.get(DataSourceKind(kind))
    except ValueError:
        info = None
    if info is None:
        raise InvalidInput("adapter_unknown", field="kind", kind=str(getattr(kind, "value", kind)),
                           kinds=", ".join(k.kind.value for k in kinds()) or "none")
    return info


def adapter_for(kind: str | DataSourceKind, credentials: Credentials) -> CloudAdapter:
    """Raises: InvalidInput (adapter_unknown; adapter_unavailable when its module or SDK fails to load; a
    field the adapter refuses)."""
    info = kind_info(kind)
    module_name, factory = info.factory.split(":")
    return getattr(_module(info, module_name), factory)(credentials)


def unavailable(kind: str | DataSourceKind) -> str:
    """Why a kind's adapter cannot load ("" when it can); this imports its SDK."""
    info = kind_info(kind)
    try:
        _module(info, info.factory.split(":")[0])
    except InvalidInput as exc:
        return str(exc)
    return ""


def _module(info: KindInfo, name: str):
    try:
        return importlib.import_module(name)
    except Exception as exc:  # ImportError for a missing SDK, anything at all for a broken one
        log.warning("adapter %s unavailable: %s", info.kind.value, exc)
        raise InvalidInput("adapter_unavailable", field="kind", kind=info.label, reason=str(exc)) from None
