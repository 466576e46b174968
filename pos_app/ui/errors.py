"""Turn any exception into one calm sentence; log the unexpected ones to the data dir."""

from __future__ import annotations

import logging

from pos_app.services.errors import PosError
from pos_app.ui.translation import translate_message

log = logging.getLogger("pos_app")

UNEXPECTED = "Something went wrong; nothing was changed. The details were written to the log."


def describe_error(error: BaseException) -> str:
    if isinstance(error, PosError):
        return translate_message(error.message)
    log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    return UNEXPECTED


def error_field(error: BaseException) -> str | None:
    return error.field if isinstance(error, PosError) else None
