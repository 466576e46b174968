"""Turn any exception into one calm sentence; log the unexpected ones to the data dir.

``report_error`` is the one reporter for errors no screen shows in place: the window listening
with ``on_error_reported`` shows the sentence in its message bar.

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
ErrorListener = Callable[[str], None]
_error_listeners: list[ErrorListener] = []


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


def on_error_reported(listener: ErrorListener) -> Callable[[], None]:
    """Call ``listener(sentence)`` for every error handed to ``report_error``; returns the undo."""
    _error_listeners.append(listener)

    def remove() -> None:
        if listener in _error_listeners:
            _error_listeners.remove(listener)

    return remove


def report_error(error: BaseException) -> str:
    """Show ``error`` as one calm sentence wherever the window shows errors; returns it.

    An ended session is not repeated there: the lock that follows says why.
    """
    text = describe_error(error)
    if isinstance(error, SessionEndedError):
        return text
    if not _error_listeners:
        log.warning("error with no window to show it: %s", text)
    for listener in list(_error_listeners):
        listener(text)
    return text
