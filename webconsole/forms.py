"""Forms in the config-flow manner: read the fields, call one core service, and on a CoreError show the form
again with each error next to the field it names (`params["field"]`, the service's argument key) and the
non-secret input kept; an unexpected failure is logged with a reference and shown as a generic message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

from aiohttp import web

from core.errors import CoreError, PermissionDenied
from webconsole import pages, sessions

MAX_VALUE = 10_000
GENERAL = ""  # the error key of messages that belong to no one field


@dataclass
class Form:
    """Values to show in the inputs and errors by field name ("" for the whole form)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)


async def read(request: web.Request, names: Iterable[str]) -> dict[str, str]:
    """The named fields of a posted form as (bounded) strings without NUL; missing ones are empty."""
    data = await request.post()
    values = {}
    for name in names:
        value = data.get(name, "")
        # NUL is never typed into a form, and PostgreSQL refuses it in text.
        values[name] = value[:MAX_VALUE].replace("\x00", "") if isinstance(value, str) else ""
    return values


def failed(values: dict[str, str], exc: Exception, *, secret: Iterable[str] = ()) -> Form:
    """The form to show again after `exc`: its message under the field it names, secrets emptied."""
    kept = {name: value for name, value in values.items() if name not in set(secret)}
    if isinstance(exc, CoreError):
        name = exc.params.get("field")
        return Form(kept, {name if name in values else GENERAL: str(exc)})
    return Form(kept, {GENERAL: pages.unexpected(pages.reference(exc))})


async def submit(request: web.Request, names: Iterable[str], action: Callable[[dict[str, str]], Awaitable[web.StreamResponse]],
                 show: Callable[[Form, int], Awaitable[web.StreamResponse]], *, secret: Iterable[str] = ("password",)) -> web.StreamResponse:
    """Run `action` on the posted values; on failure `show` the form again (400, or 500 when unexpected).
    A permission refusal is not a form error: it becomes the 403 page."""
    values = await read(request, names)
    try:
        return await action(values)
    except (PermissionDenied, web.HTTPException):
        raise
    except CoreError as exc:
        return await show(failed(values, exc, secret=secret), 400)
    except Exception as exc:  # shown as a generic message with a logged reference, never as a traceback
        return await show(failed(values, exc, secret=secret), 500)


async def act(request: web.Request, action: Callable[[], Awaitable[str]], back: str) -> web.StreamResponse:
    """A button's action: flash what it did (or why it did not) and go back to the page it came from."""
    try:
        await sessions.flash(request, await action())
    except PermissionDenied:
        raise
    except CoreError as exc:
        await sessions.flash(request, str(exc), "error")
    except Exception as exc:  # a generic message with a logged reference
        await sessions.flash(request, pages.unexpected(pages.reference(exc)), "error")
    raise web.HTTPSeeOther(back)
