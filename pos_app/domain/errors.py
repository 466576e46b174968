"""Errors the shop's rules raise: a sentence a cashier can read and, for forms, the field.

``pos_app.services.errors`` re-exports these, so a rule broken in the domain reaches the screen
exactly like one a service finds.
"""

from __future__ import annotations


class PosError(Exception):
    """Base of every error raised on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(PosError):
    """The input is malformed: an empty name, a negative price, a bad barcode."""


class NotFoundError(PosError):
    """The thing named does not exist (or is not visible to this user)."""


class ConflictError(PosError):
    """The change clashes with what is stored: a duplicate SKU, an e-mail already taken."""


class OutOfStockError(PosError):
    """Not enough stock for a sale or an adjustment."""


class PermissionDeniedError(PosError):
    """The user's role does not allow this action."""


__all__ = [
    "ConflictError",
    "NotFoundError",
    "OutOfStockError",
    "PermissionDeniedError",
    "PosError",
    "ValidationError",
]
