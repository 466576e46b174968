"""Input checks shared by the services: the pure ones live in :mod:`pos_app.domain.checks` and
are re-exported here; a unique-constraint clash becomes a ConflictError naming the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from pos_app.domain.checks import (
    MAX_ID,
    MAX_SEARCH,
    check_bool,
    check_date,
    check_file_path,
    check_id,
    check_int,
    check_items,
    clean_search,
    clean_text,
    is_text,
)
from pos_app.services.errors import ConflictError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

UNIQUE_FIELDS = ("scale_code", "sku", "barcode", "slug")


def flush_unique(session: Session) -> None:
    """Flush, turning a unique-constraint clash into a ConflictError naming the field."""
    try:
        session.flush()
    except IntegrityError as exc:
        message = str(exc.orig).lower()
        for field in UNIQUE_FIELDS:
            if field in message:
                label = field.replace("_", " ")
                raise ConflictError(f"That {label} is already in use.", field=field) from None
        raise


__all__ = [
    "MAX_ID",
    "MAX_SEARCH",
    "UNIQUE_FIELDS",
    "check_bool",
    "check_date",
    "check_file_path",
    "check_id",
    "check_int",
    "check_items",
    "clean_search",
    "clean_text",
    "flush_unique",
    "is_text",
]
