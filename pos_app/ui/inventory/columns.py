"""Columns of the stock and movement tables, in the order of their IntEnums."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from zoneinfo import ZoneInfo

from pos_app.domain.weights import format_kg, format_weight
from pos_app.services.inventory import MovementInfo, StockLevel
from pos_app.ui.models import Column

REASONS = {
    "restock": "Restock",
    "sale": "Sale",
    "adjustment": "Adjustment",
    "refund": "Refund",
}


class StockColumn(IntEnum):
    NAME = 0
    SKU = 1
    BARCODE = 2
    CATEGORY = 3
    QUANTITY = 4
    UPDATED = 5
    ACTIVE = 6


class MovementColumn(IntEnum):
    WHEN = 0
    CHANGE = 1
    REASON = 2
    NOTE = 3
    USER = 4
    SALE = 5


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def signed(change: int, weighed: bool = False) -> str:
    """'+3' pieces, or '+2.500 kg' of a product sold by weight; a removal has a minus sign."""
    amount = f"{format_kg(abs(change))} kg" if weighed else f"{abs(change):,}"
    return f"+{amount}" if change > 0 else f"\u2212{amount}"


def stock_value(level: StockLevel) -> int | str:
    """Pieces, or kilograms with three decimals ('5.250 kg') of a product sold by weight."""
    return format_weight(level.quantity) if level.is_weighed else level.quantity


def stock_columns(zone: ZoneInfo) -> list[Column[StockLevel]]:
    return [
        Column[StockLevel]("Product", lambda s: s.product_name, sort_key="name"),
        Column[StockLevel]("SKU", lambda s: s.sku, sort_key="sku"),
        Column[StockLevel]("Barcode", lambda s: s.barcode),
        Column[StockLevel]("Category", lambda s: s.category_name, sort_key="category"),
        Column[StockLevel]("In stock", stock_value, align_right=True, sort_key="quantity"),
        Column[StockLevel]("Updated", lambda s: local_time(s.updated_at, zone), sort_key="updated"),
        Column[StockLevel]("Active", lambda s: s.is_active),
    ]


def movement_columns(zone: ZoneInfo) -> list[Column[MovementInfo]]:
    return [
        Column[MovementInfo]("When", lambda m: local_time(m.created_at, zone)),
        Column[MovementInfo](
            "Change",
            lambda m: signed(m.quantity_change, m.sold_by == "weight"),
            align_right=True,
        ),
        Column[MovementInfo]("Reason", lambda m: REASONS.get(m.reason, m.reason)),
        Column[MovementInfo]("Note", lambda m: m.note, tooltip=lambda m: m.note),
        Column[MovementInfo]("By", lambda m: m.user_name),
        Column[MovementInfo](
            "Sale", lambda m: f"#{m.sale_id}" if m.sale_id else "", align_right=True
        ),
    ]
