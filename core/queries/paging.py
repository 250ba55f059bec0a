"""One page of a list read in SQL: the rows shown and how many there are in all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """`rows` from `offset` on (LIMIT/OFFSET in SQL) and `total`, the number of rows without the limit."""

    rows: tuple[T, ...]
    total: int
    offset: int = 0

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.rows) < self.total
