"""Checks of input as it arrives: ids, whole numbers, flags and text.

Every check turns a wrong type, an out-of-range number or text a backend cannot store as typed
into a ValidationError naming the field, so hostile input never reaches a rule or SQL as a crash.
"""

from __future__ import annotations

import unicodedata
from typing import TypeGuard

from pos_app.domain.errors import ValidationError

MAX_ID = 2**63 - 1
MAX_SEARCH = 200


def check_id(value: object, field: str, label: str) -> int:
    """A database id: a positive integer that fits a BIGINT."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError(f"Choose a valid {label}.", field=field)
    return value


def check_int(value: object, field: str, label: str, *, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"The {label} must be a whole number.", field=field)
    if not minimum <= value <= maximum:
        raise ValidationError(
            f"The {label} must be between {minimum:,} and {maximum:,}.", field=field
        )
    return value


def check_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("Choose yes or no.", field=field)
    return value


def clean_text(
    value: object,
    field: str,
    label: str,
    *,
    max_length: int,
    required: bool = True,
    multiline: bool = False,
) -> str:
    """Stripped text without control characters or lone surrogates."""
    if not isinstance(value, str):
        raise ValidationError(f"The {label} must be text.", field=field)
    text = value.strip()
    if required and not text:
        raise ValidationError(f"Enter a {label}.", field=field)
    if len(text) > max_length:
        raise ValidationError(
            f"The {label} is too long ({max_length} characters at most).", field=field
        )
    allowed = "\n\t" if multiline else ""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") and char not in allowed:
            raise ValidationError(
                f"The {label} contains characters that are not allowed.", field=field
            )
    return text


def clean_search(value: object, field: str = "search") -> str | None:
    """Search text, or None when blank."""
    if value is None:
        return None
    text = clean_text(value, field, "search text", max_length=MAX_SEARCH, required=False)
    return text or None


def is_whole_number(value: object) -> TypeGuard[int]:
    """An int that is not a bool (``True`` is an int to Python, never a quantity to a shop)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_id(value: object) -> TypeGuard[int]:
    """A positive integer that fits a BIGINT primary key."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


__all__ = [
    "MAX_ID",
    "MAX_SEARCH",
    "check_bool",
    "check_id",
    "check_int",
    "clean_search",
    "clean_text",
    "is_id",
    "is_whole_number",
]
