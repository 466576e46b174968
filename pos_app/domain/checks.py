"""Checks of input as it arrives: ids, whole numbers, flags and text.

Every check turns a wrong type, an out-of-range number or text a backend cannot store as typed
into a ValidationError naming the field, so hostile input never reaches a rule or SQL as a crash.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import (
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Underflow,
)
from typing import TypeGuard

from pos_app.domain.errors import ValidationError

MAX_ID = 2**63 - 1
MAX_SEARCH = 200
MAX_PATH = 4096
MAX_FILE_NAME = 255
MAX_NUMBER_TEXT = 40  # longer than any amount, rate or count a person types
# Enough precision for any number of MAX_NUMBER_TEXT digits; every signal traps, so an exponent
# like 1e999999999 is refused instead of overflowing or silently rounding.
_DECIMALS = Context(
    prec=MAX_NUMBER_TEXT + 10,
    Emax=99,
    Emin=-99,
    traps=[InvalidOperation, Overflow, Underflow, DivisionByZero, Inexact],
)


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
    if not is_text(value):
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


def is_text(value: object) -> TypeGuard[str]:
    """A str that can be written as UTF-8 (no lone surrogates, which no backend stores)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def plain_number(value: str | int | Decimal) -> str:
    """Text, an int or a Decimal as text to parse; an int too long to print becomes '' (which
    no parser accepts) instead of Python's "Exceeds the limit" ValueError."""
    if isinstance(value, int) and abs(value) >= 10**MAX_NUMBER_TEXT:
        return ""
    return value if isinstance(value, str) else str(value)


def parse_decimal(text: str, field: str, message: str) -> Decimal:
    """A finite number written as text, in a range a shop can meet; ``message`` otherwise.

    Exponents, NaN, infinities, overlong text and lone surrogates are all refused here, so no
    later arithmetic (quantize, scaling to cents) can raise an untyped decimal signal.
    """
    if not is_text(text) or len(text) > MAX_NUMBER_TEXT or "e" in text.lower():
        raise ValidationError(message, field=field)
    try:
        number = _DECIMALS.create_decimal(text)
        number = _DECIMALS.multiply(number, Decimal(1))
    except (DecimalException, ValueError):
        raise ValidationError(message, field=field) from None
    if not number.is_finite():
        raise ValidationError(message, field=field)
    return number


def check_date(value: object, field: str, label: str = "date") -> date:
    """A calendar date (a datetime is a moment, not a shop day)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(f"Choose a calendar {label}.", field=field)
    return value


def check_items(value: object, field: str, label: str, *, max_items: int) -> Sequence[object]:
    """A list or tuple of at most ``max_items`` items (their own checks come after)."""
    if not isinstance(value, list | tuple):
        raise ValidationError(f"The {label} must be a list.", field=field)
    if len(value) > max_items:
        raise ValidationError(f"At most {max_items:,} {label} at once.", field=field)
    return value


def check_file_path(value: object, field: str = "path") -> str:
    """A file name or path as text a file system can take (no NUL, no overlong parts)."""
    text = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not is_text(text) or not text.strip() or "\x00" in text or len(text) > MAX_PATH:
        raise ValidationError("Choose a file.", field=field)
    parts = text.replace("\\", "/").split("/")
    if not parts[-1] or any(len(part.encode()) > MAX_FILE_NAME for part in parts):
        raise ValidationError("Choose a file with a shorter name.", field=field)
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
    "MAX_NUMBER_TEXT",
    "MAX_SEARCH",
    "check_bool",
    "check_date",
    "check_file_path",
    "check_id",
    "check_int",
    "check_items",
    "clean_search",
    "clean_text",
    "is_id",
    "is_text",
    "is_whole_number",
    "parse_decimal",
    "plain_number",
]
