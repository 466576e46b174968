"""Money at the edges under its service name; the rules are in :mod:`pos_app.domain.money`."""

from __future__ import annotations

from pos_app.domain.money import (
    MAX_CENTS,
    decimal_to_minor,
    format_money,
    format_plain,
    minor_to_decimal,
    minor_units,
    parse_money,
)
from pos_app.domain.shop_format import ShopFormat

__all__ = [
    "MAX_CENTS",
    "ShopFormat",
    "decimal_to_minor",
    "format_money",
    "format_plain",
    "minor_to_decimal",
    "minor_units",
    "parse_money",
]
