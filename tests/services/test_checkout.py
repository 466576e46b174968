from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from pos_app.db.models import Category, Inventory, Product, Sale, SaleItem, StockMovement
from pos_app.services import auth, checkout, sale_outcome
from pos_app.services.access import UserSession
from pos_app.services.checkout import PurchaseLine, PurchaseResult
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    AuthenticationError,
    NotFoundError,
    SessionEndedError,
    ValidationError,
)
from pos_app.services.roles import Role
from tests.conftest import FakeClock
from tests.factories import open_till, signed_in

PASSWORD = "correct horse battery"


def make_owner(ctx: ServiceContext) -> UserSession:
    """The first account; it opens a shift on the till so it can sell."""
    owner = signed_in(
        ctx,
        auth.register_user(
            ctx,
            None,
            email="owner@shop.test",
            password=PASSWORD,
            first_name="Olga",
            last_name="Owner",
        ),
        PASSWORD,
    )
    open_till(ctx, owner)
    return owner


def make_cashier(ctx: ServiceContext, owner: UserSession) -> UserSession:
    return signed_in(
        ctx,
        auth.register_user(
            ctx,
            owner,
            email="cashier@shop.test",
            password=PASSWORD,
            first_name="Carl",
            last_name="Cashier",
            role=Role.CASHIER,
        ),
        PASSWORD,
    )


def seed_products(
    ctx: ServiceContext, specs: list[tuple[str, int, int]], *, active: bool = True
) -> list[int]:
    """Products (name, price in cents, stock) in one category; returns their ids."""
    now = ctx.now()
    with ctx.unit_of_work() as session:
        category = session.scalar(select(Category).where(Category.slug == "general"))
        if category is None:
            category = Category(name="General", slug="general", description="", created_at=now)
            session.add(category)
            session.flush()
        ids = []
        for name, price, stock in specs:
            product = Product(
                name=name,
                description="",
                category_id=category.id,
                sku=name.upper().replace(" ", "-"),
                price_cents=price,
                is_active=active,
                created_at=now,
                updated_at=now,
            )
            session.add(product)
            session.flush()
            session.add(Inventory(product_id=product.id, quantity=stock, updated_at=now))
            ids.append(product.id)
        session.commit()
        return ids


def stock_of(ctx: ServiceContext, product_id: int) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        quantity = session.scalar(
            select(Inventory.quantity).where(Inventory.product_id == product_id)
        )
        assert quantity is not None
        return quantity


def count_rows(
    ctx: ServiceContext, model: type[Sale] | type[SaleItem] | type[StockMovement]
) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_purchase_reduces_stock_writes_movements_and_totals_in_cents(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    coffee, cake = seed_products(ctx, [("Coffee", 199, 10), ("Cake", 333, 5)])
    result = checkout.purchase(ctx, owner, [PurchaseLine(coffee, 3), PurchaseLine(cake, 2)])
    assert result.committed and result.failed == []
    assert result.total_cents == 3 * 199 + 2 * 333 == 1263
    assert [(line.product_name, line.quantity, line.revenue_cents) for line in result.sold] == [
        ("Coffee", 3, 597),
        ("Cake", 2, 666),
    ]
    assert result.created_at == clock.now
    assert (stock_of(ctx, coffee), stock_of(ctx, cake)) == (7, 3)
    with ctx.unit_of_work(readonly=True) as session:
        moves = session.scalars(select(StockMovement).order_by(StockMovement.product_id)).all()
        assert [(m.product_id, m.quantity_change, m.reason) for m in moves] == [
            (coffee, -3, "sale"),
            (cake, -2, "sale"),
        ]
        assert all(m.sale_id == result.sale_id and m.user_id == owner.id for m in moves)
        items = session.scalars(select(SaleItem)).all()
        assert {item.local_date for item in items} == {date(2026, 3, 10)}
        sale = session.scalars(select(Sale)).one()
        assert sale.till_id == "till-1" and sale.total_cents == 1263
    info = checkout.get_sale(ctx, owner, result.sale_id or 0)
    assert info.cashier_name == "Olga Owner" and info.total_cents == 1263
    assert info.items == result.sold


def test_lines_of_the_same_product_are_merged(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    (tea,) = seed_products(ctx, [("Tea", 150, 10)])
    result = checkout.purchase(ctx, owner, [PurchaseLine(tea, 2), PurchaseLine(tea, 3)])
    assert [(line.quantity, line.revenue_cents) for line in result.sold] == [(5, 750)]
    assert stock_of(ctx, tea) == 5
    assert count_rows(ctx, SaleItem) == 1 and count_rows(ctx, StockMovement) == 1


def test_by_default_one_failed_line_sells_nothing(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    tea, milk = seed_products(ctx, [("Tea", 150, 10), ("Milk", 90, 1)])
    result = checkout.purchase(ctx, owner, [PurchaseLine(tea, 2), PurchaseLine(milk, 2)])
    assert not result.committed and result.sale_id is None
    assert result.sold == [] and result.total_cents == 0
    [failed] = result.failed
    assert (failed.product_id, failed.reason) == (milk, "out_of_stock")
    assert "Milk" in failed.message and "1" in failed.message
    assert (stock_of(ctx, tea), stock_of(ctx, milk)) == (10, 1)
    assert count_rows(ctx, Sale) == count_rows(ctx, StockMovement) == 0


def test_partial_sells_what_it_can_and_lists_the_rest(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    tea, milk = seed_products(ctx, [("Tea", 150, 10), ("Milk", 90, 0)])
    result = checkout.purchase(
        ctx,
        owner,
        [PurchaseLine(tea, 2), PurchaseLine(milk, 1), PurchaseLine(999, 1)],
        partial=True,
    )
    assert result.committed and result.total_cents == 300
    assert [line.product_id for line in result.sold] == [tea]
    assert {(line.product_id, line.reason) for line in result.failed} == {
        (milk, "out_of_stock"),
        (999, "unknown_product"),
    }
    assert stock_of(ctx, tea) == 8 and stock_of(ctx, milk) == 0
    assert count_rows(ctx, StockMovement) == 1


def test_partial_with_nothing_sellable_commits_nothing(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    (milk,) = seed_products(ctx, [("Milk", 90, 0)])
    result = checkout.purchase(ctx, owner, [PurchaseLine(milk, 1)], partial=True)
    assert not result.committed and result.sale_id is None
    assert count_rows(ctx, Sale) == 0


def test_an_inactive_product_is_not_sold(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    (old,) = seed_products(ctx, [("Old soap", 250, 4)], active=False)
    result = checkout.purchase(ctx, owner, [PurchaseLine(old, 1)])
    assert not result.committed
    assert [(f.reason, f.product_name) for f in result.failed] == [("inactive", "Old soap")]
    assert stock_of(ctx, old) == 4


def test_an_unknown_product_is_reported(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    for product_id in (12345, 0, -3, 2**70):
        result = checkout.purchase(ctx, owner, [PurchaseLine(product_id, 1)])
        assert [f.reason for f in result.failed] == ["unknown_product"]
        assert not result.committed


@pytest.mark.parametrize("quantity", [0, -1, 10_001, 2**64, 1.5, "2", True, None])
def test_a_bad_quantity_is_a_failed_line(ctx: ServiceContext, quantity: object) -> None:
    owner = make_owner(ctx)
    (tea,) = seed_products(ctx, [("Tea", 150, 10)])
    line = PurchaseLine(tea, quantity)  # type: ignore[arg-type]
    result = checkout.purchase(ctx, owner, [line])
    assert not result.committed
    assert [(f.reason, f.product_name) for f in result.failed] == [("bad_quantity", "Tea")]
    assert stock_of(ctx, tea) == 10


def test_merged_lines_above_the_limit_are_a_bad_quantity(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    (tea,) = seed_products(ctx, [("Tea", 150, 20_000)])
    result = checkout.purchase(ctx, owner, [PurchaseLine(tea, 6000), PurchaseLine(tea, 6000)])
    assert [(f.reason, f.quantity) for f in result.failed] == [("bad_quantity", 12_000)]


@pytest.mark.parametrize("lines", [[], (), "abc", None, [("1", 2)], [PurchaseLine("1", 1)]])  # type: ignore[arg-type]
def test_an_empty_or_malformed_cart_is_a_validation_error(
    ctx: ServiceContext, lines: object
) -> None:
    owner = make_owner(ctx)
    with pytest.raises(ValidationError):
        checkout.purchase(ctx, owner, lines)  # type: ignore[arg-type]


def test_a_malformed_sale_uuid_is_a_validation_error(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    (tea,) = seed_products(ctx, [("Tea", 150, 10)])
    for bad in ("'; DROP TABLE sales; --", "x" * 100, 42):
        with pytest.raises(ValidationError) as error:
            checkout.purchase(ctx, owner, [PurchaseLine(tea, 1)], sale_uuid=bad)  # type: ignore[arg-type]
        assert error.value.field == "sale_uuid"


def test_a_cashier_may_sell_but_a_deactivated_user_may_not(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    cashier = make_cashier(ctx, owner)
    (tea,) = seed_products(ctx, [("Tea", 150, 10)])
    assert checkout.purchase(ctx, cashier, [PurchaseLine(tea, 1)]).committed
    with pytest.raises(AuthenticationError):
        checkout.purchase(ctx, cashier.user, [PurchaseLine(tea, 1)])  # type: ignore[arg-type]
    from pos_app.db.models import User

    with ctx.unit_of_work() as session:
        stored = session.get(User, cashier.id)
        assert stored is not None
        stored.is_active = False
        session.commit()
    with pytest.raises(SessionEndedError, match="deactivated"):
        checkout.purchase(ctx, cashier, [PurchaseLine(tea, 1)])
    assert stock_of(ctx, tea) == 9


def test_a_retry_with_the_same_uuid_returns_the_same_sale_and_sells_nothing_twice(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    (tea,) = seed_products(ctx, [("Tea", 150, 10)])
    key = checkout.new_sale_uuid()
    first = checkout.purchase(ctx, owner, [PurchaseLine(tea, 2)], sale_uuid=key)
    clock.advance(minutes=1)
    again = checkout.purchase(ctx, owner, [PurchaseLine(tea, 2)], sale_uuid=key.upper())
    assert again == first
    assert stock_of(ctx, tea) == 8
    assert count_rows(ctx, Sale) == 1 and count_rows(ctx, StockMovement) == 1


def test_a_concurrent_retry_caught_at_insert_returns_the_stored_sale(
    ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_owner(ctx)
    (tea,) = seed_products(ctx, [("Tea", 150, 10)])
    key = checkout.new_sale_uuid()
    first = checkout.purchase(ctx, owner, [PurchaseLine(tea, 2)], sale_uuid=key)
    real_find = sale_outcome.find_sale
    calls: list[str] = []

    def find_misses_once(session: object, wanted: str) -> PurchaseResult | None:
        calls.append(wanted)
        return None if len(calls) == 1 else real_find(session, wanted)  # type: ignore[arg-type]

    monkeypatch.setattr(sale_outcome, "find_sale", find_misses_once)
    again = checkout.purchase(ctx, owner, [PurchaseLine(tea, 2)], sale_uuid=key)
    assert len(calls) == 2 and again == first
    assert stock_of(ctx, tea) == 8 and count_rows(ctx, Sale) == 1


def test_two_purchases_of_the_last_units_never_oversell(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    (cake,) = seed_products(ctx, [("Cake", 333, 3)])
    first = checkout.purchase(ctx, owner, [PurchaseLine(cake, 2)])
    second = checkout.purchase(ctx, owner, [PurchaseLine(cake, 2)])
    assert first.committed and not second.committed
    assert "Only 1 of Cake" in second.failed[0].message
    assert stock_of(ctx, cake) == 1


def test_concurrent_tills_never_sell_more_than_the_stock(ctx: ServiceContext) -> None:
    owner = make_owner(ctx)
    (cake,) = seed_products(ctx, [("Cake", 333, 5)])
    start = threading.Barrier(8)
    results: list[PurchaseResult] = []

    def sell() -> None:
        start.wait()
        results.append(checkout.purchase(ctx, owner, [PurchaseLine(cake, 1)]))

    threads = [threading.Thread(target=sell) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result.committed for result in results) == 5
    assert stock_of(ctx, cake) == 0
    assert count_rows(ctx, Sale) == 5 == count_rows(ctx, StockMovement)


def test_recent_sales_are_newest_first_and_get_sale_checks_the_id(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    owner = make_owner(ctx)
    cashier = make_cashier(ctx, owner)
    (tea,) = seed_products(ctx, [("Tea", 150, 10)])
    ids = []
    for quantity in (1, 2, 3):
        ids.append(checkout.purchase(ctx, cashier, [PurchaseLine(tea, quantity)]).sale_id)
        clock.advance(minutes=5)
    recent = checkout.recent_sales(ctx, cashier, limit=2)
    assert [sale.id for sale in recent] == ids[:0:-1]
    assert [sale.total_cents for sale in recent] == [450, 300]
    assert recent[0].cashier_name == "Carl Cashier" and recent[0].local_date == date(2026, 3, 10)
    assert recent[0].created_at == datetime(2026, 3, 10, 14, 40, tzinfo=UTC)
    with pytest.raises(NotFoundError):
        checkout.get_sale(ctx, cashier, 999)
    with pytest.raises(NotFoundError):
        checkout.get_sale(ctx, cashier, "1")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        checkout.recent_sales(ctx, cashier, limit=0)
