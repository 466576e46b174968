"""Paging and sorting shared by every list service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from pos_app.services.errors import ValidationError

T = TypeVar("T")
MAX_PAGE_SIZE = 1000
MAX_OFFSET = 2**31 - 1  # far past any list a shop has; keeps OFFSET inside every backend's range


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def check_paging(offset: object, limit: object) -> tuple[int, int]:
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise ValidationError(
            f"The page offset must be between 0 and {MAX_OFFSET:,}.", field="offset"
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"The page size must be between 1 and {MAX_PAGE_SIZE}.", field="limit"
        )
    return offset, limit


def check_sort(sort: object, allowed: Mapping[str, object]) -> str:
    """Only whitelisted sort keys reach SQL."""
    if not isinstance(sort, str) or sort not in allowed:
        names = ", ".join(sorted(allowed))
        shown = f"'{sort[:40]}'" if isinstance(sort, str) else "that"
        raise ValidationError(f"Cannot sort by {shown}; choose one of: {names}.", field="sort")
    return sort
