"""Money at the edges under its service name; the rules are in :mod:`pos_app.domain.money`."""

from __future__ import annotations

from pos_app.domain.money import (
    MAX_CENTS,
    cents_to_decimal,
    format_money,
    format_plain,
    parse_money,
)

__all__ = ["MAX_CENTS", "cents_to_decimal", "format_money", "format_plain", "parse_money"]
