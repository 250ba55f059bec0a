"""What every domain event is: a frozen dataclass with a registered type name, its message and its subject.

An event is stored in the outbox as its type name and its fields as JSON (`encode`) and read back into
the same dataclass (`decode`) for delivery, so senders work with typed events, never with loose dicts.
Field types: str, int, bool, Decimal, datetime, their `| None` forms, tuple[int, ...] and dict[str, str].
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from types import NoneType, UnionType
from typing import ClassVar

from core.messages import render

_TYPES: dict[str, type[Event]] = {}
_CODECS = {datetime: (datetime.isoformat, datetime.fromisoformat), Decimal: (str, Decimal), tuple: (list, tuple)}


@dataclass(frozen=True)
class Subject:
    """What an event is about, for a link: "resource", "environment", "pool" or "data_source", and its id."""

    kind: str
    id: int


@dataclass(frozen=True)
class Event:
    """Base of all domain events; subclasses are registered with @event_type("name")."""

    type: ClassVar[str] = ""

    def notice(self) -> tuple[str, dict[str, str]]:
        """The catalog code and params that say what happened."""
        raise NotImplementedError

    def subject(self) -> Subject | None:
        return None

    def text(self) -> str:
        code, params = self.notice()
        return render(code, **params)


def event_type(name: str):
    """Register an Event subclass under its stored type name."""

    def register(cls: type[Event]) -> type[Event]:
        if name in _TYPES:
            raise ValueError(f"event type {name!r} is registered twice")
        cls.type = name
        _TYPES[name] = cls
        return cls

    return register


def encode(event: Event) -> dict:
    """The event's fields as JSON values."""
    hints = _hints(type(event))
    return {f.name: _convert(getattr(event, f.name), hints[f.name], 0) for f in dataclasses.fields(event)}


def decode(name: str, payload: dict) -> Event:
    """The event of type `name` from its stored fields. Raises KeyError for an unknown type."""
    cls = _TYPES[name]
    hints = _hints(cls)
    return cls(**{f.name: _convert(payload[f.name], hints[f.name], 1) for f in dataclasses.fields(cls)
                  if f.name in payload})


@cache
def _hints(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _plain(hint: object) -> object:
    """The type without its `| None`."""
    if isinstance(hint, UnionType) or typing.get_origin(hint) is typing.Union:
        return next(a for a in typing.get_args(hint) if a is not NoneType)
    return hint


def _convert(value: object, hint: object, way: int) -> object:
    """A field's value to JSON (way 0) or back (way 1)."""
    if value is None:
        return None
    base = _plain(hint)
    codec = _CODECS.get(typing.get_origin(base) or base)
    return codec[way](value) if codec else value
