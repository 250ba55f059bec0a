"""A small in-memory cloud behind the adapter contract, registered in the adapter registry for tests."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.adapters import registry
from core.adapters.base import Capability, Credentials, KindInfo, PowerResult, PowerTarget
from core.errors import InvalidInput
from core.models import DataSource, DataSourceKind

KIND = "alibaba"  # a kind no real adapter serves yet; tests register it
INFO = KindInfo(kind=DataSourceKind(KIND), cloud="Fake", label="Fake cloud (tests)", help="An in-memory cloud.",
                capabilities=frozenset({Capability.POWER}), fields=(), factory=f"{__name__}:FakeAdapter")


@dataclass
class FakeCloud:
    """Instance states by id ("running"/"stopped"; missing = gone), the calls made and ids that fail."""

    states: dict[str, str] = field(default_factory=dict)
    calls: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)
    broken: bool = False


CLOUD = FakeCloud()


class FakeAdapter:
    def __init__(self, credentials: Credentials) -> None:
        self.credentials = credentials

    async def start(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return self._act("start", "running", targets)

    async def stop(self, targets: list[PowerTarget]) -> list[PowerResult]:
        return self._act("stop", "stopped", targets)

    def _act(self, verb: str, wanted: str, targets: list[PowerTarget]) -> list[PowerResult]:
        regions = {t.region for t in targets}
        assert len(regions) == 1, f"one call per region, got {regions}"
        CLOUD.calls.append((verb, regions.pop(), tuple(t.cloud_resource_id for t in targets)))
        if CLOUD.broken:
            raise InvalidInput("adapter_unavailable", kind=KIND, reason="credentials expired")
        results = []
        for target in targets:
            cid = target.cloud_resource_id
            if cid in CLOUD.failing:
                results.append(PowerResult(cid, "failed", "IncorrectInstanceState"))
            elif cid not in CLOUD.states:
                results.append(PowerResult(cid, "gone"))
            elif CLOUD.states[cid] == wanted:
                results.append(PowerResult(cid, "already"))
            else:
                CLOUD.states[cid] = wanted
                results.append(PowerResult(cid, "ok"))
        return results


def reset() -> FakeCloud:
    CLOUD.states.clear()
    CLOUD.calls.clear()
    CLOUD.failing.clear()
    CLOUD.broken = False
    return CLOUD


def open_adapter(source: DataSource):
    """What the composition root does: the registry's adapter for the source's kind and credentials."""
    return registry.adapter_for(source.kind, Credentials(config=source.config, secrets={}))


def install(monkeypatch) -> FakeCloud:
    monkeypatch.setitem(registry.KINDS, INFO.kind, INFO)
    return reset()
