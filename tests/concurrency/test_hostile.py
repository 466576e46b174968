"""Hostile input to the services: every call is refused cleanly and the database is untouched."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, MetaData, select

from pos_app.db.engine import create_database
from pos_app.services import analytics, auth, catalog, checkout, inventory, product_lookup
from pos_app.services.access import UserSession
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PosError
from pos_app.services.paging import Page
from pos_app.services.roles import Role
from tests import dbutil
from tests.conftest import fast_hasher
from tests.factories import forged_page, open_till

EXAMPLES = 50
AUDIT = "audit_log"
RUNS: Counter[str] = Counter()
hostile = settings(max_examples=EXAMPLES, deadline=None)

SQL = st.sampled_from(
    [
        "'; DROP TABLE products; --",
        "1 OR 1=1",
        '" OR ""="',
        "1; DELETE FROM sales",
        "' UNION SELECT password_hash FROM users --",
        "%",
        "_",
        "\\",
        "Robert'); DROP TABLE users;--",
    ]
)
HUGE = st.integers(min_value=2**63, max_value=2**200) | st.integers(max_value=-(2**63))
NEGATIVE = st.integers(max_value=-1)
FLOATS = st.floats(allow_nan=True, allow_infinity=True)
WRONG_TYPES: st.SearchStrategy[Any] = st.sampled_from(
    [None, [], {}, (1,), b"1", Decimal("2"), 1.5, True, 1j]
)
NOT_AN_INT = FLOATS | WRONG_TYPES | SQL | st.text(max_size=20)
BAD_ID = NEGATIVE | HUGE | NOT_AN_INT | st.just(0)
MISSING_ID = st.integers(min_value=10**6, max_value=2**63 - 1)
BLANK = st.text(alphabet=" \t\n\r", max_size=5)
CONTROL = st.text(min_size=1, max_size=10).map(lambda s: s + "\x00\x07")
TOO_LONG = st.integers(min_value=1, max_value=50).map(lambda n: "x" * (300 + n))


@dataclass(frozen=True)
class Shop:
    ctx: ServiceContext
    owner: UserSession
    manager: UserSession
    cashier: UserSession
    category_id: int
    product_id: int
    scarce_id: int
    metadata: MetaData


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Shop]:
    path = tmp_path_factory.mktemp("hostile") / "shop.sqlite3"
    ctx = ServiceContext(
        database=create_database(dbutil.copy_sqlite(sqlite_template, path)),
        timezone=ZoneInfo("Europe/Berlin"),
        till_id="till-h",
        jwt_secret="hostile-secret-" + "x" * 32,
        password_hasher=fast_hasher(),
    )
    people: dict[str, UserSession] = {}
    for role in ("owner", "manager", "cashier"):
        actor = people.get("owner")
        auth.register_user(
            ctx, actor, email=f"{role}@shop.test", password=f"{role}-pass-1",
            first_name=role.title(), last_name="Test", role=role,
        )  # fmt: skip
        people[role] = auth.login(ctx, f"{role}@shop.test", f"{role}-pass-1").session
    category = catalog.create_category(ctx, people["owner"], name="Tea")
    tea = catalog.create_product(
        ctx, people["owner"], name="Green tea", category_id=category.id, sku="TEA-1",
        price_cents=350, barcode="4006381333931", initial_stock=100,
    )  # fmt: skip
    scarce = catalog.create_product(
        ctx, people["owner"], name="Rare tea", category_id=category.id, sku="TEA-2",
        price_cents=9900, initial_stock=2,
    )  # fmt: skip
    open_till(ctx, people["cashier"])
    sale = checkout.purchase(ctx, people["cashier"], [checkout.PurchaseLine(tea.id, 2)])
    assert sale.committed
    metadata = MetaData()
    metadata.reflect(ctx.database.engine)
    yield Shop(ctx, people["owner"], people["manager"], people["cashier"], category.id,
               tea.id, scarce.id, metadata)  # fmt: skip
    ctx.database.dispose()


def dump(engine: Engine, metadata: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


def refused(
    shop: Shop,
    name: str,
    call: Callable[[], object],
    may_return: Callable[[object], bool] = lambda _: False,
    audited: frozenset[str] = frozenset(),
    secret: object = None,
) -> None:
    """The call raises a PosError (or returns what ``may_return`` accepts); nothing changes
    but, for the actions in ``audited``, new audit rows that do not repeat ``secret``."""
    RUNS[name] += 1
    before = dump(shop.ctx.database.engine, shop.metadata)
    try:
        result = call()
    except PosError as exc:
        assert str(exc).strip(), "an error without a message"
    else:
        assert may_return(result), f"{name} accepted hostile input and returned {result!r}"
    after = dump(shop.ctx.database.engine, shop.metadata)
    audit_before, audit_after = before.pop(AUDIT, []), after.pop(AUDIT, [])
    assert after == before
    added = audit_after[len(audit_before) :]
    assert audit_after[: len(audit_before)] == audit_before
    audit = shop.metadata.tables.get(AUDIT)
    if audit is not None and added:
        action = list(audit.columns.keys()).index("action")
        assert {row[action] for row in added} <= audited, added
        if isinstance(secret, str) and len(secret) >= 4:
            assert not any(secret in str(value) for row in added for value in row)


def one_bad_field(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[tuple[str, Any]]:
    return st.sampled_from(sorted(fields)).flatmap(lambda f: st.tuples(st.just(f), fields[f]))


PRODUCT_FIELDS = {
    "name": BLANK | CONTROL | TOO_LONG | NOT_AN_INT.filter(lambda v: not isinstance(v, str)),
    "category_id": BAD_ID | MISSING_ID,
    "sku": BLANK
    | SQL.filter(lambda s: " " in s)
    | TOO_LONG
    | st.just("TEA-1")
    | st.text(min_size=1).map(lambda s: s + " é"),
    "price_cents": NEGATIVE | HUGE | FLOATS | WRONG_TYPES | SQL | st.integers(10**11 + 1),
    "barcode": SQL
    | st.text(alphabet="٠١٢٣٤٥٦٧٨٩", min_size=12, max_size=13)
    | st.just("4006381333932")
    | st.just("4006381333931")
    | st.integers(),
    "initial_stock": NEGATIVE | HUGE | FLOATS | SQL | st.integers(min_value=10**9 + 1),
}


@hostile
@given(bad=one_bad_field(PRODUCT_FIELDS))
def test_create_product_refuses_hostile_fields(shop: Shop, bad: tuple[str, Any]) -> None:
    fields: dict[str, Any] = {
        "name": "Black tea", "category_id": shop.category_id, "sku": "TEA-NEW",
        "price_cents": 420, "barcode": None, "initial_stock": 3,
    }  # fmt: skip
    fields[bad[0]] = bad[1]
    refused(shop, "create_product", lambda: catalog.create_product(shop.ctx, shop.owner, **fields))


LIST_FIELDS = {
    "offset": NEGATIVE | HUGE.filter(lambda n: n < 0) | NOT_AN_INT,
    "limit": st.integers(max_value=0) | st.integers(min_value=1001) | NOT_AN_INT,
    "sort": (SQL | st.text(max_size=30) | WRONG_TYPES).filter(
        lambda s: not isinstance(s, str) or s not in catalog.PRODUCT_SORTS
    ),
    "descending": WRONG_TYPES.filter(lambda v: not isinstance(v, bool)) | SQL,
    "category_id": BAD_ID | MISSING_ID,
    "search": SQL | st.text(max_size=40) | TOO_LONG | CONTROL | st.integers(),
}


def listing_arguments(bad: tuple[str, Any]) -> dict[str, Any]:
    """A bad offset or size comes in a page that was not checked when made."""
    if bad[0] in {"offset", "limit"}:
        return {"page": forged_page(**{bad[0]: bad[1]})}
    return {bad[0]: bad[1]}


@hostile
@given(bad=one_bad_field(LIST_FIELDS))
def test_list_products_refuses_or_answers_hostile_arguments(
    shop: Shop, bad: tuple[str, Any]
) -> None:
    refused(
        shop,
        "list_products",
        lambda: catalog.list_products(shop.ctx, shop.cashier, **listing_arguments(bad)),
        may_return=lambda page: (
            bad[0] in {"search", "category_id"}
            and isinstance(page, Page)
            and all(item.id in {shop.product_id, shop.scarce_id} for item in page.items)
        ),
    )


@hostile
@given(code=SQL | st.text(max_size=60) | TOO_LONG | WRONG_TYPES | HUGE | st.just("TEA-1 "))
def test_find_product_refuses_codes_that_are_not_exactly_a_product(shop: Shop, code: Any) -> None:
    refused(
        shop,
        "find_product",
        lambda: product_lookup.find_product(shop.ctx, shop.cashier, code),
        may_return=lambda found: code == "TEA-1 " and getattr(found, "id", None) == shop.product_id,
    )


STOCK_FIELDS = {
    "product_id": BAD_ID | MISSING_ID,
    "quantity": st.integers(max_value=0)
    | HUGE
    | FLOATS
    | WRONG_TYPES
    | SQL
    | st.integers(min_value=inventory.MAX_CHANGE + 1),
    "note": CONTROL | TOO_LONG | st.integers() | st.sampled_from([[], b"x", 1.0]),
}


@hostile
@given(bad=one_bad_field(STOCK_FIELDS))
def test_add_stock_refuses_hostile_fields(shop: Shop, bad: tuple[str, Any]) -> None:
    fields: dict[str, Any] = {"product_id": shop.product_id, "quantity": 5, "note": "delivery"}
    fields[bad[0]] = bad[1]
    refused(shop, "add_stock", lambda: inventory.add_stock(shop.ctx, shop.manager, **fields))


@hostile
@given(
    bad=one_bad_field(
        {**STOCK_FIELDS, "quantity": st.just(0) | st.integers(max_value=-3) | HUGE | NOT_AN_INT,
         "note": BLANK | CONTROL | TOO_LONG | WRONG_TYPES}
    )
)  # fmt: skip
def test_adjust_stock_refuses_hostile_fields_and_never_goes_below_zero(
    shop: Shop, bad: tuple[str, Any]
) -> None:
    fields: dict[str, Any] = {"product_id": shop.scarce_id, "quantity": -1, "note": "broken"}
    fields[bad[0]] = bad[1]
    change = fields.pop("quantity")
    refused(
        shop,
        "adjust_stock",
        lambda: inventory.adjust_stock(shop.ctx, shop.manager, change=change, **fields),
    )


def purchase_lines(shop: Shop) -> st.SearchStrategy[Any]:
    good = st.just(checkout.PurchaseLine(shop.product_id, 1))
    bad_line = st.builds(
        checkout.PurchaseLine,
        product_id=BAD_ID | MISSING_ID | st.just(shop.scarce_id),
        quantity=st.integers(min_value=3) | st.integers(max_value=0) | HUGE | NOT_AN_INT,
    )
    return (
        st.lists(st.one_of(good, bad_line), max_size=5).map(lambda ls: [*ls, ls[0]] if ls else ls)
        .flatmap(lambda ls: st.permutations([*ls, checkout.PurchaseLine(shop.scarce_id, 3)]))
        | st.just([])
        | WRONG_TYPES
        | SQL
        | st.lists(st.tuples(st.integers(), st.integers()), min_size=1, max_size=3)
    )  # fmt: skip


@hostile
@given(data=st.data())
def test_purchase_of_a_hostile_cart_sells_nothing(shop: Shop, data: st.DataObject) -> None:
    lines = data.draw(purchase_lines(shop))
    key: Any = data.draw(st.none() | SQL | st.text(max_size=40) | TOO_LONG | st.integers())
    refused(
        shop,
        "purchase",
        lambda: checkout.purchase(shop.ctx, shop.cashier, lines, sale_uuid=key),
        may_return=lambda r: (
            isinstance(r, checkout.PurchaseResult)
            and not r.committed
            and bool(r.failed)
            and not r.sold
        ),
    )


DAY = date(2026, 3, 10)
QUERY_FIELDS = {
    "start": WRONG_TYPES | SQL | st.just(datetime(2026, 3, 1)) | st.just(DAY.replace(day=11)),
    "end": WRONG_TYPES
    | SQL
    | st.just("2026-03-10")
    | st.dates(max_value=DAY.replace(day=9))
    | st.dates(min_value=date(2077, 1, 1)),
    "bucket": SQL
    | st.text(max_size=10).filter(lambda s: s not in set(analytics.Bucket))
    | WRONG_TYPES,
    "product_ids": st.lists(BAD_ID, min_size=1, max_size=3).map(tuple) | SQL | st.just(None),
    "category_ids": st.lists(BAD_ID, min_size=1, max_size=3) | st.integers() | st.just({1: 2}),
    "include_lines": SQL | st.sampled_from([None, 1, 0, "yes"]),
}


@hostile
@given(bad=one_bad_field(QUERY_FIELDS))
def test_sales_data_refuses_hostile_queries(shop: Shop, bad: tuple[str, Any]) -> None:
    fields: dict[str, Any] = {"start": DAY.replace(day=10), "end": DAY, "bucket": "daily"}
    fields[bad[0]] = bad[1]
    refused(
        shop,
        "sales_data",
        lambda: analytics.sales_data(shop.ctx, shop.owner, analytics.SalesQuery(**fields)),
    )


USER_FIELDS = {
    "email": SQL | st.text(max_size=30).filter(lambda s: "@" not in s) | WRONG_TYPES
    | st.sampled_from(["owner@shop.test", "OWNER@SHOP.TEST "])
    | TOO_LONG.map(lambda s: s + "@x.io"),
    "password": st.text(max_size=7) | WRONG_TYPES | st.just("p" * 1025),
    "first_name": BLANK | TOO_LONG | WRONG_TYPES,
    "last_name": BLANK | TOO_LONG | WRONG_TYPES,
    "role": SQL | st.sampled_from(["admin", "root", "", None, 5, "Owner "]),
}  # fmt: skip


@hostile
@given(bad=one_bad_field(USER_FIELDS))
def test_register_user_refuses_hostile_fields(shop: Shop, bad: tuple[str, Any]) -> None:
    fields: dict[str, Any] = {
        "email": "new.person@shop.test", "password": "new-pass-123", "first_name": "New",
        "last_name": "Person", "role": Role.CASHIER,
    }  # fmt: skip
    fields[bad[0]] = bad[1]
    refused(shop, "register_user", lambda: auth.register_user(shop.ctx, shop.owner, **fields))


@hostile
@given(
    email=SQL | st.text(max_size=40) | WRONG_TYPES | TOO_LONG | st.just("nobody@shop.test"),
    password=SQL | st.text(max_size=40) | WRONG_TYPES,
)
def test_login_with_hostile_credentials_is_refused_and_changes_nothing(
    shop: Shop, email: Any, password: Any
) -> None:
    refused(
        shop,
        "login",
        lambda: auth.login(shop.ctx, email, password),
        audited=frozenset({"login_failed"}),
        secret=password,
    )


@hostile
@given(password=WRONG_TYPES.filter(lambda v: not isinstance(v, str)))
def test_login_with_a_password_that_is_not_text_changes_nothing(shop: Shop, password: Any) -> None:
    refused(
        shop,
        "login(type)",
        lambda: auth.login(shop.ctx, "cashier@shop.test", password),
        audited=frozenset({"login_failed"}),
    )


@hostile
@given(zone=SQL | TOO_LONG | st.sampled_from(["Mars/Olympus", "", "UTC+99"]))
def test_register_user_refuses_a_time_zone_that_does_not_exist(shop: Shop, zone: str) -> None:
    refused(
        shop,
        "register_user(timezone)",
        lambda: auth.register_user(
            shop.ctx,
            shop.owner,
            email="zone@shop.test",
            password="zone-pass-1",
            first_name="Zed",
            last_name="Zone",
            timezone=zone,
        ),
    )
