"""The lines of a cart as the till sends them, under their service name: see
:mod:`pos_app.domain.cart`."""

from __future__ import annotations

from pos_app.domain.cart import (
    MAX_LINES,
    MAX_QUANTITY,
    REASONS,
    FailedLine,
    PurchaseLine,
    bad_quantity,
    merge_lines,
)

__all__ = [
    "MAX_LINES",
    "MAX_QUANTITY",
    "REASONS",
    "FailedLine",
    "PurchaseLine",
    "bad_quantity",
    "merge_lines",
]
