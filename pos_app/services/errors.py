"""Errors services raise: a sentence a cashier can read and, for forms, the field.

The rule errors live in :mod:`pos_app.domain.errors`; the two that only a service can meet (a
session refused, a database gone) are defined here.
"""

from __future__ import annotations

from pos_app.domain.errors import (
    ConflictError,
    NotFoundError,
    OutOfStockError,
    PermissionDeniedError,
    PosError,
    ValidationError,
)


class NoOpenShiftError(ConflictError):
    """Selling or refunding on a till with no open shift: the money would be on no Z report."""


class AuthenticationError(PosError):
    """Wrong credentials, a locked account, or an expired or revoked session."""


class DatabaseUnavailableError(PosError):
    """The database could not be reached or the connection dropped; the message says whether
    anything was saved."""


class DatabaseBusyError(DatabaseUnavailableError):
    """A deadlock or a lock wait that timed out: the database rolled the work back."""


class SessionEndedError(AuthenticationError):
    """The session no longer proves who acts: logged out, expired, deactivated or demoted.

    The message says why; the till locks and asks for a fresh login.
    """


__all__ = [
    "AuthenticationError",
    "ConflictError",
    "DatabaseBusyError",
    "DatabaseUnavailableError",
    "NoOpenShiftError",
    "NotFoundError",
    "OutOfStockError",
    "PermissionDeniedError",
    "PosError",
    "SessionEndedError",
    "ValidationError",
]
