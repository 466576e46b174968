"""A believable corner shop: a catalog, three accounts and a year of sales, written in bulk.

Sales are synthetic history: they carry no 'sale' stock movements. The opening stock of each
product is one 'restock' movement, so every current stock level is explained by its movements.
Each day's sales belong to one closed shift on the till whose drawer count matched, so every demo
sale is on a Z report. A few products are sold by weight (a price per kg, stock in grams, a scale
code for labels). Prices are listed in euro cents and written in the shop's currency
(:mod:`pos_app.services.demo_prices`).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from pos_app.db.models import Base, Category, Product, Sale, User
from pos_app.domain.weights import SoldBy, line_amount_cents
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.demo_calendar import days_with_counts, sale_times, summer_of
from pos_app.services.demo_catalog import (
    CATEGORIES,
    PRODUCTS,
    WEIGHED_PRODUCTS,
    create_catalog,
    create_users,
    next_id,
)
from pos_app.services.demo_prices import DemoMoney
from pos_app.services.errors import ConflictError, ValidationError
from pos_app.services.roles import Role
from pos_app.services.rollups import rebuild_rollups
from pos_app.services.tax import tax_contained
from pos_app.services.validation import MAX_ID, check_bool, check_int

DEFAULT_DAYS = 365
DEFAULT_SALES = 21_000  # about 58 a day over a year
MAX_SALES = 50_000_000
MAX_DAYS = 3_660
CHUNK_ITEMS = 15_000
CARD_SHARE = 0.55
SHIFT_MARGIN = timedelta(minutes=10)
LINE_COUNT_WEIGHTS = (20, 22, 20, 16, 12, 10)  # 1..6 lines, about 3 on average
QUANTITY_WEIGHTS = (70, 18, 7, 3, 2)  # 1..5 units of a line
WEIGHED_GRAMS = (150, 1500)  # what one weighed line of the history weighs, in steps of 5 g

Progress = Callable[[int, int], None]
TABLES = Base.metadata.tables
_LINE_COUNTS = [n for n, weight in enumerate(LINE_COUNT_WEIGHTS, 1) for _ in range(weight)]
_QUANTITIES = [n for n, weight in enumerate(QUANTITY_WEIGHTS, 1) for _ in range(weight)]


class HasSalesError(ConflictError):
    """The database already holds sales and adding more was not asked for."""


@dataclass(frozen=True)
class DemoSummary:
    categories: int
    products: int
    users: int
    sales: int
    sale_items: int


@dataclass(frozen=True)
class _Item:
    product_id: int
    category_id: int
    price_cents: int
    tax_rate_bp: int
    popularity: float
    season: float
    weighed: bool = False


class _Batch:
    """Rows waiting for the next bulk insert, and how many were written so far."""

    def __init__(self) -> None:
        self.shifts: list[dict[str, Any]] = []
        self.sales: list[dict[str, Any]] = []
        self.items: list[dict[str, Any]] = []
        self.payments: list[dict[str, Any]] = []
        self.written_sales = self.written_items = 0

    def flush(self, session: Session) -> None:
        # Core inserts: one executemany per table, explicit sale ids, no ORM bookkeeping per row.
        for table, rows in (("shifts", self.shifts), ("sales", self.sales),
                            ("sale_items", self.items), ("payments", self.payments)):  # fmt: skip
            if rows:
                session.execute(insert(TABLES[table]), rows)
        session.commit()
        self.written_sales += len(self.sales)
        self.written_items += len(self.items)
        for rows in (self.shifts, self.sales, self.items, self.payments):
            rows.clear()


def seed_demo(
    ctx: ServiceContext,
    actor: UserSession | None = None,
    *,
    sales: int = DEFAULT_SALES,
    days: int = DEFAULT_DAYS,
    progress: Progress | None = None,
    seed: int = 7,
    sales_only: bool = False,
) -> DemoSummary:
    """Fill the database: a catalog and accounts where there are none, then ``sales`` sales
    over the last ``days`` shop days ending now. A database that already has sales is refused
    unless ``sales_only`` asks to add more to them. A database that has accounts needs an owner's
    session as ``actor``; an empty one (the first start of a demo till) needs none."""
    _check_count(sales, "sales", MAX_SALES)
    _check_count(days, "days", MAX_DAYS, minimum=1)
    check_int(seed, "seed", "demo seed", minimum=0, maximum=MAX_ID)
    check_bool(sales_only, "sales_only")
    now = ctx.now()
    today = ctx.local_date(now)
    first_day = today - timedelta(days=days - 1)
    opening = datetime.combine(first_day - timedelta(days=1), time(7), ctx.timezone).astimezone(UTC)
    with ctx.unit_of_work() as session:
        if _count(session, User):
            authorize(session, ctx, actor, Role.OWNER, "add demo data")
        if _count(session, Sale) and not sales_only:
            raise HasSalesError("The database already has sales; ask for sales only to add more.")
        users = 0 if _count(session, User) else create_users(ctx, session, opening)
        categories = products = 0
        if not _count(session, Category) and not _count(session, Product):
            categories, products = create_catalog(session, opening, now, DemoMoney.of(ctx.currency))
        session.commit()
    written_sales, written_items = _write_sales(ctx, sales, first_day, now, progress, seed)
    with ctx.unit_of_work() as session:
        rebuild_rollups(session, ctx.timezone, first_day, None)
        session.commit()
    return DemoSummary(categories, products, users, written_sales, written_items)


def _check_count(value: object, field: str, maximum: int, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ValidationError(
            f"The number of {field} must be between {minimum} and {maximum:,}.", field=field
        )


def _count(session: Session, model: type[Any]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _write_sales(ctx: ServiceContext, total: int, first_day: date, now: datetime,
                 progress: Progress | None, seed: int) -> tuple[int, int]:  # fmt: skip
    if progress is not None:
        progress(0, total)
    if total == 0:
        return 0, 0
    batch = _Batch()
    money = DemoMoney.of(ctx.currency)
    with ctx.unit_of_work() as session:
        items = _sellable_items(session)
        cashiers = _seller_ids(session)
        sale_id = next_id(session, "sales")
        shift_id = next_id(session, "shifts")
        rng = random.Random(f"{seed}:{sale_id}")
        for day, count, limit in days_with_counts(ctx, rng, total, first_day, now):
            weights = _cumulative(items, day)
            moments = list(sale_times(ctx, rng, day, count, limit))
            cash = 0
            for moment in moments:
                sale_total = _add_lines(rng, items, weights, sale_id, day, batch.items)
                batch.sales.append(
                    {"id": sale_id, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                     "user_id": cashiers[rng.randrange(len(cashiers))], "till_id": ctx.till_id,
                     "created_at": moment, "local_date": day, "total_cents": sale_total,
                     "shift_id": shift_id}
                )  # fmt: skip
                if sale_total:
                    payment = _payment(rng, money, sale_id, sale_total, moment)
                    batch.payments.append(payment)
                    cash += payment["amount_cents"] if payment["tender"] == "cash" else 0
                sale_id += 1
            if moments:
                batch.shifts.append(
                    _day_shift(ctx, shift_id, cashiers[0], moments, now, cash + money.float_amount)
                )
                shift_id += 1
            if len(batch.items) >= CHUNK_ITEMS:
                batch.flush(session)
                if progress is not None:
                    progress(batch.written_sales, total)
        batch.flush(session)
    if progress is not None:
        progress(batch.written_sales, total)
    return batch.written_sales, batch.written_items


def _day_shift(ctx: ServiceContext, shift_id: int, cashier: int, moments: list[datetime],
               now: datetime, expected: int) -> dict[str, Any]:  # fmt: skip
    """The day's shift on the till, closed with the drawer matching: every sale on a Z report.
    ``expected`` is the float plus the day's cash."""
    float_cents = DemoMoney.of(ctx.currency).float_amount
    return {"id": shift_id, "till_id": ctx.till_id, "open_till_id": None, "opened_by": cashier,
            "opened_at": moments[0] - SHIFT_MARGIN, "float_cents": float_cents,
            "closed_by": cashier, "closed_at": min(moments[-1] + SHIFT_MARGIN, now),
            "counted_cents": expected, "expected_cash_cents": expected, "difference_cents": 0,
            "void_count": 0, "void_cents": 0}  # fmt: skip


def _payment(
    rng: random.Random, money: DemoMoney, sale_id: int, total: int, moment: datetime
) -> dict[str, Any]:
    """Card for the exact amount, or cash: exact, or the next note up with change given."""
    tendered = total
    tender = "card" if rng.random() < CARD_SHARE else "cash"
    if tender == "cash" and rng.random() < 0.7:
        tendered = money.handed_over(total)
    return {"sale_id": sale_id, "tender": tender, "amount_cents": total, "created_at": moment,
            "tendered_cents": tendered, "change_cents": tendered - total}  # fmt: skip


def _sellable_items(session: Session) -> list[_Item]:
    popularity = {name: float(weight) for _c, name, _p, weight, *_s in PRODUCTS + WEIGHED_PRODUCTS}
    season = {name: amplitude for name, *_rest, amplitude in CATEGORIES}
    rows = session.execute(
        select(Product.id, Product.name, Product.category_id, Product.price_cents,
               Category.tax_rate_bp, Category.name, Product.sold_by)
        .join(Category, Category.id == Product.category_id)
        .where(Product.is_active.is_(True))
        .order_by(Product.id)
    ).all()  # fmt: skip
    if not rows:
        raise ConflictError("There are no active products to sell; add products first.")
    return [
        _Item(
            pid,
            cid,
            price,
            rate,
            popularity.get(name, 3.0),
            season.get(category, 0.0),
            sold_by == SoldBy.WEIGHT,
        )
        for pid, name, cid, price, rate, category, sold_by in rows
    ]


def _seller_ids(session: Session) -> list[int]:
    rows = session.execute(
        select(User.id, User.role).where(User.is_active.is_(True)).order_by(User.id)
    ).all()
    if not rows:
        raise ConflictError("There are no active users to record sales under; add a user first.")
    # Cashiers serve most customers; managers and owners step in at busy times.
    return [uid for uid, role in rows for _ in range(6 if role == "cashier" else 1)]


def _cumulative(items: list[_Item], day: date) -> list[float]:
    summer = summer_of(day)
    return list(accumulate(item.popularity * (1 + item.season * summer) for item in items))


def _weighed_grams(rng: random.Random) -> int:
    low, high = WEIGHED_GRAMS
    return low + 5 * int(rng.random() * ((high - low) // 5 + 1))


def _add_lines(rng: random.Random, items: list[_Item], weights: list[float], sale_id: int,
               day: date, item_rows: list[dict[str, Any]]) -> int:  # fmt: skip
    wanted = _LINE_COUNTS[int(rng.random() * len(_LINE_COUNTS))]
    chosen: dict[int, int] = {}
    for index in rng.choices(range(len(items)), cum_weights=weights, k=wanted):
        if items[index].weighed:
            quantity = _weighed_grams(rng)
        else:
            quantity = _QUANTITIES[int(rng.random() * len(_QUANTITIES))]
        chosen[index] = chosen.get(index, 0) + quantity
    total = 0
    for index, quantity in chosen.items():
        item = items[index]
        if item.weighed:
            revenue = line_amount_cents(item.price_cents, quantity)
        else:
            revenue = quantity * item.price_cents
        total += revenue
        item_rows.append(
            {"sale_id": sale_id, "product_id": item.product_id, "category_id": item.category_id,
             "local_date": day, "quantity": quantity, "unit_price_cents": item.price_cents,
             "revenue_cents": revenue, "tax_rate_bp": item.tax_rate_bp,
             "tax_cents": tax_contained(revenue, item.tax_rate_bp)}
        )  # fmt: skip
    return total
