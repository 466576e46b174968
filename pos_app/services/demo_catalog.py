"""The demo shop's accounts, catalog and promotions: who works there and what it sells.

Written in bulk on a till's first start (see :mod:`pos_app.services.demo_data`). Prices are
listed in euro cents and written in the shop's currency (:mod:`pos_app.services.demo_prices`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from pos_app.db.models import Base, User
from pos_app.db.search_terms import add_search_terms
from pos_app.domain.weights import SoldBy
from pos_app.services.barcodes import ean13_check_digit
from pos_app.services.context import ServiceContext
from pos_app.services.demo_prices import DemoMoney

TABLES = Base.metadata.tables

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


def demo_barcode(index: int) -> str:
    first12 = f"4250{731000 + index * 37:08d}"
    return first12 + ean13_check_digit(first12)


def create_users(ctx: ServiceContext, session: Session, created: datetime) -> int:
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


def create_catalog(
    session: Session, created: datetime, now: datetime, money: DemoMoney
) -> tuple[int, int]:
    first_category = next_id(session, "categories")
    category_ids = {code: first_category + n for n, (_, code, *_rest) in enumerate(CATEGORIES)}
    session.execute(
        insert(TABLES["categories"]),
        [
            {"id": category_ids[code], "name": name, "slug": name.lower(), "description": text,
             "tax_rate_bp": rate, "is_active": True, "created_at": created}
            for name, code, text, rate, _season in CATEGORIES
        ],
    )  # fmt: skip
    first_product = next_id(session, "products")
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
    first = next_id(session, "promotions")
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


def next_id(session: Session, table: str) -> int:
    return (session.scalar(select(func.max(TABLES[table].c.id))) or 0) + 1


__all__ = [
    "CATEGORIES",
    "DEMO_USERS",
    "PRODUCTS",
    "WEIGHED_PRODUCTS",
    "create_catalog",
    "create_users",
    "demo_barcode",
    "next_id",
]
