"""What a test can watch the code under test do: the SQL statements it runs."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from tortoise import connections


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """The SQL statements run on the default connection inside the block."""
    client = type(connections.get("default"))
    calls: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        for name in ("execute_query", "execute_query_dict", "execute_many", "execute_insert"):
            original = getattr(client, name)

            async def counted(self, *args, _original=original, **kwargs):
                calls.append(args[0])
                return await _original(self, *args, **kwargs)
            patch.setattr(client, name, counted)
        yield calls
