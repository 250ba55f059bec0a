"""One error family with stable snake_case codes; text lives in core.messages."""

from __future__ import annotations

from typing import Any


class CoreError(Exception):
    """Base of every domain error: a stable code plus the parameters its message needs."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        from core.messages import render

        return render(self.code, **self.params)


class InvalidInput(CoreError):
    """The caller sent a value that breaks a rule; the message says what to fix."""


class NotFound(CoreError):
    """The object does not exist in the acting member's organization."""


class PermissionDenied(CoreError):
    """The acting member's role does not allow the action."""


class Conflict(CoreError):
    """The action clashes with the current state (an overlapping booking, a duplicate name)."""
