"""A believable corner shop: a catalog, three accounts and a year of sales, written in bulk.

Sales are synthetic history: they carry no 'sale' stock movements. The opening stock of each
product is one 'restock' movement, so every current stock level is explained by its movements.
Each day's sales belong to one closed shift on the till whose drawer count matched, so every demo
sale is on a Z report. A few products are sold by weight (a price per kg, stock in grams, a scale
code for labels). Prices are listed in euro cents and written in the shop's currency
(:mod:`pos_app.services.demo_prices`).
"""

from __future__ import annotations

import math
import random
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from pos_app.db.models import Base, Category, Product, Sale, User
from pos_app.db.search_terms import add_search_terms
from pos_app.domain.weights import SoldBy, line_amount_cents
from pos_app.services.access import UserSession, authorize
from pos_app.services.barcodes import ean13_check_digit
from pos_app.services.context import ServiceContext
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
OPEN_SECONDS = (7 * 3600, 21 * 3600)
HOUR_WEIGHTS = {7: 3, 8: 5, 9: 4, 10: 4, 11: 6, 12: 10, 13: 9, 14: 5, 15: 5, 16: 7, 17: 10, 18: 10,
                19: 7, 20: 4}  # fmt: skip
WEEKDAY_WEIGHTS = (0.85, 0.85, 0.9, 0.95, 1.15, 1.35, 0.9)  # Monday .. Sunday
LINE_COUNT_WEIGHTS = (20, 22, 20, 16, 12, 10)  # 1..6 lines, about 3 on average
QUANTITY_WEIGHTS = (70, 18, 7, 3, 2)  # 1..5 units of a line
CLOSED_DAYS = {(12, 25), (12, 26), (1, 1)}
DEMO_USERS = (
    ("owner@till.example", "owner-pass-1", "Olivia", "Hart", "owner"),
    ("manager@till.example", "manager-pass-1", "Marco", "Bell", "manager"),
    ("cashier@till.example", "cashier-pass-1", "Cara", "Stone", "cashier"),
)

# name, code, description, VAT in basis points, seasonal amplitude (+ summer, - winter peak)
CATEGORIES = (
    ("Bakery", "BAK", "Bread, rolls and pastries baked every morning.", 700, -0.05),
    ("Dairy", "DAI", "Milk, cheese, yoghurt and butter.", 700, 0.0),
    ("Drinks", "DRI", "Water, juices, soft drinks and coffee.", 1900, 0.35),
    ("Produce", "PRO", "Fresh fruit and vegetables.", 700, 0.2),
    ("Household", "HOU", "Cleaning, paper goods and everyday essentials.", 1900, -0.1),
)
# category code, name, price in euro cents, popularity, opening stock
PRODUCTS = (
    ("BAK", "Sourdough loaf", 429, 6, 24), ("BAK", "Wholemeal bread", 349, 5, 30),
    ("BAK", "White toast bread", 199, 5, 40), ("BAK", "Butter croissant", 129, 9, 60),
    ("BAK", "Pretzel", 89, 10, 80), ("BAK", "Sesame roll", 45, 12, 120),
    ("BAK", "Cinnamon bun", 189, 5, 36), ("BAK", "Apple strudel slice", 249, 3, 4),
    ("BAK", "Rye bread", 379, 3, 20), ("BAK", "Chocolate muffin", 219, 4, 30),
    ("DAI", "Whole milk 1 l", 119, 12, 90), ("DAI", "Semi-skimmed milk 1 l", 109, 9, 80),
    ("DAI", "Natural yoghurt 500 g", 139, 6, 50), ("DAI", "Greek yoghurt 500 g", 249, 4, 30),
    ("DAI", "Salted butter 250 g", 299, 6, 40), ("DAI", "Mature cheddar 200 g", 349, 4, 25),
    ("DAI", "Mozzarella 125 g", 119, 4, 3), ("DAI", "Free-range eggs, 6", 269, 8, 45),
    ("DAI", "Cream 200 ml", 129, 3, 20), ("DAI", "Oat drink 1 l", 229, 4, 28),
    ("DRI", "Still water 1.5 l", 69, 12, 150), ("DRI", "Sparkling water 1.5 l", 79, 9, 120),
    ("DRI", "Orange juice 1 l", 249, 6, 40), ("DRI", "Apple juice 1 l", 219, 5, 40),
    ("DRI", "Cola 0.5 l", 159, 10, 96), ("DRI", "Lemonade 0.33 l", 139, 6, 72),
    ("DRI", "Iced tea 0.5 l", 169, 5, 48), ("DRI", "Ground coffee 500 g", 699, 4, 24),
    ("DRI", "Black tea, 20 bags", 249, 2, 5), ("DRI", "Energy drink 0.25 l", 179, 5, 60),
    ("PRO", "Bananas, per bunch", 179, 10, 40), ("PRO", "Apples 1 kg", 299, 7, 35),
    ("PRO", "Tomatoes 500 g", 229, 6, 30), ("PRO", "Cucumber", 79, 5, 25),
    ("PRO", "Carrots 1 kg", 149, 4, 30), ("PRO", "Potatoes 2.5 kg", 349, 4, 20),
    ("PRO", "Onions 1 kg", 159, 4, 25), ("PRO", "Lemons, 3", 139, 3, 2),
    ("PRO", "Strawberries 250 g", 299, 4, 12), ("PRO", "Avocado", 119, 4, 18),
    ("HOU", "Toilet paper, 8 rolls", 449, 4, 30), ("HOU", "Kitchen towels, 2 rolls", 249, 3, 25),
    ("HOU", "Washing-up liquid 500 ml", 189, 3, 20), ("HOU", "Laundry detergent 1.5 l", 899, 2, 12),
    ("HOU", "Bin bags, 20", 299, 2, 15), ("HOU", "AA batteries, 4", 549, 2, 0),
    ("HOU", "Tea lights, 12", 199, 2, 18), ("HOU", "Paper tissues, 10 packs", 159, 4, 40),
    ("HOU", "Hand soap 300 ml", 229, 2, 14), ("HOU", "Sponges, 5", 149, 2, 16),
)  # fmt: skip
# category code, name, price per kg in euro cents, popularity, opening stock in grams, scale code
WEIGHED_PRODUCTS = (
    ("DAI", "Gouda, aged", 1290, 4, 5_250, 1001), ("DAI", "Emmental", 1890, 3, 3_400, 1002),
    ("PRO", "Loose apples", 279, 6, 18_000, 2001), ("PRO", "Loose tomatoes", 399, 5, 9_500, 2002),
    ("PRO", "Cherries", 899, 2, 2_000, 2003),
)  # fmt: skip
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


def demo_barcode(index: int) -> str:
    first12 = f"4250{731000 + index * 37:08d}"
    return first12 + ean13_check_digit(first12)


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
        users = 0 if _count(session, User) else _create_users(ctx, session, opening)
        categories = products = 0
        if not _count(session, Category) and not _count(session, Product):
            categories, products = _create_catalog(
                session, opening, now, DemoMoney.of(ctx.currency)
            )
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


def _create_users(ctx: ServiceContext, session: Session, created: datetime) -> int:
    rows = [
        {"email": email, "password_hash": ctx.password_hasher.hash(password), "first_name": first,
         "last_name": last, "role": role, "is_active": True, "failed_logins": 0,
         "created_at": created}
        for email, password, first, last, role in DEMO_USERS
    ]  # fmt: skip
    session.execute(insert(User), rows)
    return len(rows)


def _searched_fields(row: dict[str, Any]) -> tuple[int, str, str, str | None]:
    return row["id"], row["name"], row["sku"], row["barcode"]


def _create_catalog(
    session: Session, created: datetime, now: datetime, money: DemoMoney
) -> tuple[int, int]:
    first_category = _next_id(session, "categories")
    category_ids = {code: first_category + n for n, (_, code, *_rest) in enumerate(CATEGORIES)}
    session.execute(
        insert(TABLES["categories"]),
        [
            {"id": category_ids[code], "name": name, "slug": name.lower(), "description": text,
             "tax_rate_bp": rate, "is_active": True, "created_at": created}
            for name, code, text, rate, _season in CATEGORIES
        ],
    )  # fmt: skip
    first_product = _next_id(session, "products")
    counters: dict[str, int] = {}
    products = []
    for index, (code, name, price, _popularity, _stock) in enumerate(PRODUCTS):
        counters[code] = counters.get(code, 0) + 1
        products.append(
            {"id": first_product + index, "name": name, "description": "",
             "category_id": category_ids[code], "sku": f"{code}-{counters[code]:03d}",
             "barcode": demo_barcode(index), "price_cents": money.price(price), "is_active": True,
             "created_at": created, "updated_at": created}
        )  # fmt: skip
    stock = {row["id"]: entry[4] for row, entry in zip(products, PRODUCTS, strict=True)}
    for index, (code, name, per_kg, _popularity, grams, plu) in enumerate(WEIGHED_PRODUCTS):
        number = len(PRODUCTS) + index
        products.append(
            {"id": first_product + number, "name": name, "description": "",
             "category_id": category_ids[code], "sku": f"{code}-W{index + 1:02d}",
             "barcode": demo_barcode(number), "price_cents": money.price(per_kg), "is_active": True,
             "sold_by": SoldBy.WEIGHT.value, "scale_code": plu, "created_at": created,
             "updated_at": created}
        )  # fmt: skip
        stock[first_product + number] = grams
    for row in products:
        row.setdefault("sold_by", SoldBy.PIECE.value)
        row.setdefault("scale_code", None)
    session.execute(insert(TABLES["products"]), products)
    add_search_terms(session, [_searched_fields(row) for row in products])
    session.execute(
        insert(TABLES["inventories"]),
        [{"product_id": pid, "quantity": n, "updated_at": now} for pid, n in stock.items()],
    )
    stocker = session.scalar(
        select(User.id).where(User.role.in_(("manager", "owner"))).order_by(User.id).limit(1)
    )
    session.execute(
        insert(TABLES["stock_movements"]),
        [
            {"product_id": pid, "quantity_change": n, "reason": "restock", "user_id": stocker,
             "note": "Opening stock", "created_at": now}
            for pid, n in stock.items() if n
        ],
    )  # fmt: skip
    by_name = {name: first_product + index for index, (_, name, *_rest) in enumerate(PRODUCTS)}
    _create_promotions(session, category_ids, by_name, now)
    return len(CATEGORIES), len(PRODUCTS)


# Every promotion row names every column (one executemany); each kind fills its own.
_NO_DEAL = dict.fromkeys(
    ("ends_on", "percent_bp", "amount_cents", "buy_quantity", "pay_quantity", "price_cents")
)


def _create_promotions(
    session: Session, category_ids: dict[str, int], product_ids: dict[str, int], now: datetime
) -> None:
    """Two promotions running from the day before the catalog opens: one per kind a shop
    uses most, so the till shows them on the first sale."""
    first_day = now.date() - timedelta(days=30)
    table, targets = TABLES["promotions"], TABLES["promotion_targets"]
    first = _next_id(session, "promotions")
    session.execute(
        insert(table),
        [
            {**_NO_DEAL, "id": first, "name": "Bakery week", "kind": "price_cut",
             "starts_on": first_day, "percent_bp": 1000, "created_at": now, "updated_at": now},
            {**_NO_DEAL, "id": first + 1, "name": "Cola 3 for 2", "kind": "multi_buy",
             "starts_on": first_day, "buy_quantity": 3, "pay_quantity": 2, "created_at": now,
             "updated_at": now},
        ],
    )  # fmt: skip
    session.execute(
        insert(targets),
        [
            {"promotion_id": first, "product_id": None, "category_id": category_ids["BAK"]},
            {
                "promotion_id": first + 1,
                "product_id": product_ids["Cola 0.5 l"],
                "category_id": None,
            },
        ],
    )


def _next_id(session: Session, table: str) -> int:
    return (session.scalar(select(func.max(TABLES[table].c.id))) or 0) + 1


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
        sale_id = _next_id(session, "sales")
        shift_id = _next_id(session, "shifts")
        rng = random.Random(f"{seed}:{sale_id}")
        for day, count, limit in _days_with_counts(ctx, rng, total, first_day, now):
            weights = _cumulative(items, day)
            moments = list(_sale_times(ctx, rng, day, count, limit))
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


def _summer(day: date) -> float:
    """+1 in mid-July, -1 in mid-January."""
    return math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365.25)


def _cumulative(items: list[_Item], day: date) -> list[float]:
    summer = _summer(day)
    return list(accumulate(item.popularity * (1 + item.season * summer) for item in items))


def _day_weight(day: date) -> float:
    if (day.month, day.day) in CLOSED_DAYS:
        return 0.0
    weight = WEEKDAY_WEIGHTS[day.weekday()] * (1 + 0.12 * _summer(day))
    if day.month == 12 and 10 <= day.day <= 23:
        weight *= 1.3
    return weight


def _days_with_counts(
    ctx: ServiceContext, rng: random.Random, total: int, first_day: date, now: datetime
) -> list[tuple[date, int, int]]:
    """(day, number of sales, seconds after midnight before which they happen) per shop day."""
    today = ctx.local_date(now)
    now_local = now.astimezone(ctx.timezone)
    now_second = now_local.hour * 3600 + now_local.minute * 60 + now_local.second
    plan: list[tuple[date, float, int]] = []
    day = first_day
    while day <= today:
        limit = OPEN_SECONDS[1] if day < today else min(OPEN_SECONDS[1], now_second)
        plan.append((day, _day_weight(day) * _open_share(limit) * rng.uniform(0.9, 1.1), limit))
        day += timedelta(days=1)
    if not any(weight for _d, weight, _l in plan):
        raise ValidationError(
            "The shop is closed on every chosen day; choose more days.", field="days"
        )
    chosen = Counter(rng.choices(range(len(plan)), [weight for _d, weight, _l in plan], k=total))
    return [(d, chosen[i], limit) for i, (d, _w, limit) in enumerate(plan) if chosen[i]]


def _open_share(limit: int) -> float:
    weighted = sum(w * _hour_fraction(hour, limit) for hour, w in HOUR_WEIGHTS.items())
    return weighted / sum(HOUR_WEIGHTS.values())


def _hour_fraction(hour: int, limit: int) -> float:
    return max(0.0, min(1.0, (limit - hour * 3600) / 3600))


def _sale_times(
    ctx: ServiceContext, rng: random.Random, day: date, count: int, limit: int
) -> Iterator[datetime]:
    hours = [h for h in HOUR_WEIGHTS if _hour_fraction(h, limit) > 0]
    weights = [HOUR_WEIGHTS[h] * _hour_fraction(h, limit) for h in hours]
    seconds = sorted(
        h * 3600 + rng.randrange(max(1, min(3600, limit - h * 3600)))
        for h in rng.choices(hours, weights, k=count)
    )
    # Opening hours lie far from midnight, where zones change offset, so one offset serves the day.
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=ctx.timezone)
    start = midnight - (noon.utcoffset() or timedelta(0))
    for second in seconds:
        yield start + timedelta(seconds=second)


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
