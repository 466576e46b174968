"""Errors services raise: a sentence a cashier can read and, for forms, the field."""

from __future__ import annotations


class PosError(Exception):
    """Base of every error a service raises on purpose."""

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


class AuthenticationError(PosError):
    """Wrong credentials, a locked account, or an expired or revoked session."""


class DatabaseUnavailableError(PosError):
    """The database could not be reached or the connection dropped; nothing was saved."""


class SessionEndedError(AuthenticationError):
    """The session no longer proves who acts: logged out, expired, deactivated or demoted.

    The message says why; the till locks and asks for a fresh login.
    """
