"""Turn any exception into one calm sentence; log the unexpected ones to the data dir.

A session that no longer proves who acts (logged out elsewhere, deactivated, demoted) is not a
message for the status bar: every window listening with ``on_session_ended`` locks and asks for
a fresh login, showing the sentence that says why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pos_app.services.errors import PosError, SessionEndedError
from pos_app.ui.translation import translate_message

log = logging.getLogger("pos_app")

UNEXPECTED = "Something went wrong; nothing was changed. The details were written to the log."

SessionEndedListener = Callable[[str], None]
_listeners: list[SessionEndedListener] = []


def on_session_ended(listener: SessionEndedListener) -> Callable[[], None]:
    """Call ``listener(sentence)`` whenever a service refuses the session; returns the undo."""
    _listeners.append(listener)

    def remove() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return remove


def report_session_ended(error: BaseException) -> bool:
    """Tell the listeners when ``error`` means the session has ended; whether it did."""
    if not isinstance(error, SessionEndedError):
        return False
    for listener in list(_listeners):
        listener(error.message)
    return True


def describe_error(error: BaseException) -> str:
    if isinstance(error, PosError):
        report_session_ended(error)
        return translate_message(error.message)
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    return UNEXPECTED


def error_field(error: BaseException) -> str | None:
    return error.field if isinstance(error, PosError) else None
