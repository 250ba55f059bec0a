"""What the work under way belongs to (an HTTP request, a Slack request, a job run), for the log.

Set at the edges (the web server, the scheduler) with `bound`; tasks started inside inherit it (contextvars), and
the JSON log format adds it to every line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[dict[str, str]] = ContextVar("cloudtuner_log_context", default={})


@contextmanager
def bound(**fields: str) -> Iterator[None]:
    """Log lines written inside (and by tasks started inside) carry these fields."""
    token = _current.set({**_current.get(), **{key: value for key, value in fields.items() if value}})
    try:
        yield
    finally:
        _current.reset(token)


def current() -> dict[str, str]:
    return _current.get()
