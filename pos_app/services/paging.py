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


def _check_offset(offset: object) -> int:
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise ValidationError(
            f"The page offset must be between 0 and {MAX_OFFSET:,}.", field="offset"
        )
    return offset


def _check_limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"The page size must be between 1 and {MAX_PAGE_SIZE}.", field="limit"
        )
    return limit


@dataclass(frozen=True)
class PageRequest:
    """Which rows of a list to return: ``limit`` rows from row ``offset`` (0 is the first).

    Checked when made: an offset outside 0 to MAX_OFFSET, a size outside 1 to MAX_PAGE_SIZE, or
    anything but a whole number (``True``, ``"5"``) raises ValidationError.
    """

    offset: int = 0
    limit: int = 100

    def __post_init__(self) -> None:
        _check_offset(self.offset)
        _check_limit(self.limit)


FIRST_PAGE = PageRequest()
"""The first 100 rows: what a list call returns when it is not asked for a page."""


def check_page(page: object) -> tuple[int, int]:
    """(offset, limit) of a PageRequest, checked again: the caller may not have made it honestly."""
    if not isinstance(page, PageRequest):
        raise ValidationError("Choose which page of the list to show.", field="page")
    return _check_offset(page.offset), _check_limit(page.limit)


def check_sort(sort: object, allowed: Mapping[str, object]) -> str:
    """Only whitelisted sort keys reach SQL."""
    if not isinstance(sort, str) or sort not in allowed:
        names = ", ".join(sorted(allowed))
        shown = f"'{sort[:40]}'" if isinstance(sort, str) else "that"
        raise ValidationError(f"Cannot sort by {shown}; choose one of: {names}.", field="sort")
    return sort
