"""Sale lines as CSV: one row per line sold within a range of shop-local days."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from pos_app.db.models import Category, Product, Sale, SaleItem, User
from pos_app.domain.weights import SoldBy, format_kg
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.csv_files import (
    _STREAM,
    CHUNK,
    Cancel,
    PathOrStream,
    Progress,
    _checkpoint,
    _writer,
    escape_cell,
)
from pos_app.services.errors import ValidationError
from pos_app.services.money import format_plain
from pos_app.services.roles import Role

SALE_LINE_HEADER = (
    "sale_id,created_at_local,local_date,till,cashier,product_id,"
    "sku,product,category,quantity,unit_price,revenue"
)
SALE_LINE_COLUMNS = tuple(SALE_LINE_HEADER.split(","))
EXPORT_CANCELLED = "Export cancelled; the file was not written."


def export_sale_lines(
    ctx: ServiceContext,
    actor: UserSession,
    start: date,
    end: date,
    path_or_stream: PathOrStream,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """Write every sale line whose shop-local day is within start..end; returns the row count.

    A weighed line's quantity is in kg with three decimals and its unit price is per kg."""
    if not all(isinstance(day, date) and not isinstance(day, datetime) for day in (start, end)):
        raise ValidationError("Choose a start and an end date.", field="start")
    if start > end:
        raise ValidationError("The start date must not be after the end date.", field="start")
    in_range = SaleItem.local_date.between(start, end)
    query = (
        select(Sale.id, Sale.created_at, Sale.local_date, Sale.till_id, User.first_name)
        .add_columns(User.last_name, Product.id, Product.sku, Product.name, Category.name)
        .add_columns(SaleItem.quantity, SaleItem.unit_price_cents, SaleItem.revenue_cents)
        .add_columns(Product.sold_by)
        .join_from(SaleItem, Sale, Sale.id == SaleItem.sale_id)
        .join(User, User.id == Sale.user_id)
        .join(Product, Product.id == SaleItem.product_id)
        .join(Category, Category.id == SaleItem.category_id)
        .where(in_range)
        .order_by(Sale.created_at, Sale.id, SaleItem.id)
    )
    written = 0
    with _writer(path_or_stream) as stream, ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.OWNER, "export sales")
        total = session.scalar(select(func.count()).select_from(SaleItem).where(in_range)) or 0
        writer = csv.writer(stream)
        writer.writerow(SALE_LINE_COLUMNS)
        for row in session.execute(query, execution_options=_STREAM):
            writer.writerow(_sale_line_cells(ctx, row))
            written += 1
            if written % CHUNK == 0:
                _checkpoint(written, total, progress, cancel, EXPORT_CANCELLED)
        _checkpoint(written, total, progress, cancel, EXPORT_CANCELLED)
    return written


def _sale_line_cells(ctx: ServiceContext, row: Sequence[Any]) -> list[object]:
    sale, moment, day, till, first, last, pid, sku, name, category, *figures, sold_by = row
    quantity, price, revenue = figures
    if sold_by == SoldBy.WEIGHT:
        quantity = format_kg(quantity)  # kg with three decimals; the unit price is per kg
    local = moment.astimezone(ctx.timezone).strftime("%Y-%m-%d %H:%M:%S")
    cashier = escape_cell(f"{first} {last}".strip())
    names = [escape_cell(text) for text in (sku, name, category)]
    currency = ctx.shop_format.currency
    numbers = [quantity, format_plain(price, currency), format_plain(revenue, currency)]
    return [sale, local, day.isoformat(), escape_cell(till), cashier, pid, *names, *numbers]
