from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from pos_app.db.models import StockMovement
from pos_app.services import audit, catalog, inventory, stock_count
from pos_app.services.access import STOCK_COUNT_APPROVAL
from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    NotFoundError,
    OutOfStockError,
    PermissionDeniedError,
    PosError,
    ValidationError,
)
from pos_app.services.paging import PageRequest
from tests.conftest import FakeClock
from tests.factories import Staff, approval_of, make_category, make_product, make_staff


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    return make_staff(ctx)


@pytest.fixture
def drinks(ctx: ServiceContext, staff: Staff) -> CategoryInfo:
    return make_category(ctx, staff.manager, "Drinks")


@pytest.fixture
def cola(ctx: ServiceContext, staff: Staff, drinks: CategoryInfo) -> ProductInfo:
    return make_product(ctx, staff.manager, drinks.id, name="Cola", sku="COLA", stock=3)


def movement_count(ctx: ServiceContext) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(StockMovement)) or 0


def test_restocking_adds_units_and_records_who_did_it(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo, clock: FakeClock
) -> None:
    clock.advance(hours=1)
    level = inventory.add_stock(ctx, staff.manager, cola.id, 10, note="Delivery 42")
    assert (level.product_id, level.product_name, level.sku, level.quantity) == (
        cola.id,
        "Cola",
        "COLA",
        13,
    )
    assert level.updated_at == clock.now
    assert level.category_name == "Drinks" and level.is_active
    latest = inventory.movement_history(ctx, staff.owner, cola.id).items[0]
    assert (latest.quantity_change, latest.reason, latest.note) == (10, "restock", "Delivery 42")
    assert latest.user_name == staff.manager.full_name and latest.sale_id is None
    assert catalog.get_product(ctx, staff.cashier, cola.id).quantity == 13


@pytest.mark.parametrize(
    ("quantity", "note", "field"),
    [
        (0, "", "quantity"),
        (-4, "", "quantity"),
        (True, "", "quantity"),
        ("5", "", "quantity"),
        (2.0, "", "quantity"),
        (10**7, "", "quantity"),
        (1, "x" * 256, "note"),
        (1, None, "note"),
    ],
)
def test_restocking_rejects_bad_quantities_and_notes(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo, quantity: object, note: object, field: str
) -> None:
    before = movement_count(ctx)
    with pytest.raises(ValidationError) as error:
        inventory.add_stock(ctx, staff.manager, cola.id, quantity, note)  # type: ignore[arg-type]
    assert error.value.field == field
    assert movement_count(ctx) == before
    assert catalog.get_product(ctx, staff.manager, cola.id).quantity == 3


def test_unknown_products_are_not_found(ctx: ServiceContext, staff: Staff) -> None:
    for call in (
        lambda: inventory.add_stock(ctx, staff.manager, 999, 1),
        lambda: inventory.adjust_stock(ctx, staff.manager, 999, -1, "broken"),
        lambda: inventory.movement_history(ctx, staff.manager, 999),
    ):
        with pytest.raises(NotFoundError) as error:
            call()
        assert error.value.field == "product_id"
    with pytest.raises(ValidationError) as malformed:
        inventory.add_stock(ctx, staff.manager, 2**70, 1)
    assert malformed.value.field == "product_id"


def test_adjusting_within_stock_records_an_adjustment(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo
) -> None:
    assert inventory.adjust_stock(ctx, staff.manager, cola.id, -3, "Broken crate").quantity == 0
    assert inventory.adjust_stock(ctx, staff.owner, cola.id, 2, "Found in back").quantity == 2
    history = inventory.movement_history(ctx, staff.manager, cola.id)
    assert [(m.quantity_change, m.reason) for m in history.items] == [
        (2, "adjustment"),
        (-3, "adjustment"),
        (3, "restock"),
    ]


def test_adjusting_below_zero_says_how_many_are_left_and_changes_nothing(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo
) -> None:
    before = movement_count(ctx)
    with pytest.raises(OutOfStockError) as error:
        inventory.adjust_stock(ctx, staff.manager, cola.id, -4, "Count")
    assert "only 3 in stock" in error.value.message
    assert "Cola" in error.value.message
    assert error.value.field == "change"
    assert catalog.get_product(ctx, staff.manager, cola.id).quantity == 3
    assert movement_count(ctx) == before


@pytest.mark.parametrize(
    ("change", "note", "field"),
    [
        (0, "Count", "change"),
        ("-1", "Count", "change"),
        (-(10**7), "Count", "change"),
        (-1, "", "note"),
        (-1, "   ", "note"),
        (-1, 5, "note"),
    ],
)
def test_adjusting_needs_a_change_and_a_reason(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo, change: object, note: object, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        inventory.adjust_stock(ctx, staff.manager, cola.id, change, note)  # type: ignore[arg-type]
    assert error.value.field == field


def test_stock_never_exceeds_the_ceiling(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    full = make_product(ctx, staff.manager, drinks.id, stock=catalog.MAX_STOCK)
    with pytest.raises(ValidationError) as error:
        inventory.add_stock(ctx, staff.manager, full.id, 1)
    assert error.value.field == "quantity"
    assert catalog.get_product(ctx, staff.manager, full.id).quantity == catalog.MAX_STOCK


def test_concurrent_removals_never_oversell(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo
) -> None:
    def take_one(_: int) -> bool:
        try:
            inventory.adjust_stock(ctx, staff.manager, cola.id, -1, "Shrinkage")
        except OutOfStockError:
            return False
        return True

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(take_one, range(12)))
    assert results.count(True) == 3
    assert catalog.get_product(ctx, staff.manager, cola.id).quantity == 0
    assert inventory.movement_history(ctx, staff.manager, cola.id).total == 4


def test_list_stock_sorts_filters_and_pages(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, clock: FakeClock
) -> None:
    food = make_category(ctx, staff.manager, "Food")
    make_product(ctx, staff.manager, drinks.id, name="Cola", sku="COLA", stock=8)
    make_product(ctx, staff.manager, food.id, name="Bread", sku="BREAD", stock=2)
    clock.advance(minutes=5)
    water = make_product(ctx, staff.manager, drinks.id, name="Water", sku="H2O", stock=0)
    by_quantity = inventory.list_stock(ctx, staff.manager, sort="quantity")
    assert [s.quantity for s in by_quantity.items] == [0, 2, 8]
    assert [s.product_name for s in inventory.list_stock(ctx, staff.manager).items] == [
        "Bread",
        "Cola",
        "Water",
    ]
    newest = inventory.list_stock(
        ctx, staff.manager, sort="updated", descending=True, page=PageRequest(limit=1)
    )
    assert newest.items[0].product_id == water.id and newest.has_more
    assert inventory.list_stock(ctx, staff.manager, category_id=drinks.id).total == 2
    assert inventory.list_stock(ctx, staff.manager, below=2).total == 2
    assert inventory.list_stock(ctx, staff.manager, search="h2").items[0].product_id == water.id
    assert inventory.list_stock(ctx, staff.manager, sort="category").items[0].category_name == (
        "Drinks"
    )
    assert inventory.list_stock(ctx, staff.manager, sort="sku").items[0].sku == "BREAD"
    for key, value in (("sort", "price"), ("below", -1), ("below", "3"), ("search", 3)):
        with pytest.raises(ValidationError) as error:
            inventory.list_stock(ctx, staff.manager, **{key: value})  # type: ignore[arg-type]
        assert error.value.field == key


@pytest.mark.parametrize("descending", [False, True])
def test_stock_pages_of_every_sort_add_up_to_the_whole_list(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, clock: FakeClock, descending: bool
) -> None:
    food = make_category(ctx, staff.manager, "Food")
    for n in range(7):
        clock.advance(seconds=n % 2)
        make_product(ctx, staff.manager, food.id if n % 3 else drinks.id, stock=n % 3)
    for key in inventory.STOCK_SORTS:
        whole = inventory.list_stock(ctx, staff.manager, sort=key, descending=descending).items
        pages = [
            inventory.list_stock(
                ctx, staff.manager, sort=key, descending=descending, page=PageRequest(start, 3)
            ).items
            for start in (0, 3, 6)
        ]
        assert [s for page in pages for s in page] == whole and len(whole) == 7, key


def test_low_stock_lists_active_products_emptiest_first(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    for name, stock in (("Cola", 4), ("Bread", 1), ("Water", 9), ("Old", 0)):
        product = make_product(ctx, staff.manager, drinks.id, name=name, stock=stock)
        if name == "Old":
            catalog.set_product_active(ctx, staff.manager, product.id, False)
    low = inventory.low_stock(ctx, staff.manager, 4)
    assert [(s.product_name, s.quantity) for s in low.items] == [("Bread", 1), ("Cola", 4)]
    assert low.total == 2
    assert inventory.low_stock(ctx, staff.manager, 4, page=PageRequest(1, 1)).items[0].quantity == 4
    for bad in (-1, "4", None, 10**12):
        with pytest.raises(ValidationError) as error:
            inventory.low_stock(ctx, staff.manager, bad)  # type: ignore[arg-type]
        assert error.value.field == "threshold"


def test_movement_history_is_newest_first_and_paged(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo, clock: FakeClock
) -> None:
    for n in range(1, 6):
        clock.advance(minutes=1)
        inventory.add_stock(ctx, staff.manager, cola.id, n)
    page = inventory.movement_history(ctx, staff.manager, cola.id, page=PageRequest(1, 2))
    assert [m.quantity_change for m in page.items] == [4, 3]
    assert (page.total, page.has_more) == (6, True)
    assert page.items[0].created_at - page.items[1].created_at == timedelta(minutes=1)
    with pytest.raises(ValidationError) as error:
        inventory.movement_history(ctx, staff.manager, cola.id, page=PageRequest(limit=0))
    assert error.value.field == "limit"


def test_cashiers_cannot_touch_or_see_stock_management(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo
) -> None:
    for call in (
        lambda: inventory.add_stock(ctx, staff.cashier, cola.id, 1),
        lambda: inventory.adjust_stock(ctx, staff.cashier, cola.id, -1, "Mine now"),
        lambda: inventory.list_stock(ctx, staff.cashier),
        lambda: inventory.low_stock(ctx, staff.cashier, 5),
        lambda: inventory.movement_history(ctx, staff.cashier, cola.id),
    ):
        with pytest.raises(PermissionDeniedError):
            call()
    assert catalog.get_product(ctx, staff.manager, cola.id).quantity == 3


@pytest.mark.parametrize("value", ["'; DELETE FROM inventories; --", "\ud800", "\x00", 1e9, [1]])
def test_hostile_values_never_crash_stock_calls(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo, value: object
) -> None:
    calls = (
        lambda: inventory.add_stock(ctx, staff.manager, cola.id, 1, value),  # type: ignore[arg-type]
        lambda: inventory.adjust_stock(ctx, staff.manager, cola.id, value, "n"),  # type: ignore[arg-type]
        lambda: inventory.list_stock(ctx, staff.manager, search=value),  # type: ignore[arg-type]
        lambda: inventory.movement_history(ctx, staff.manager, value),  # type: ignore[arg-type]
    )
    for call in calls:
        with contextlib.suppress(PosError):
            call()
    assert catalog.get_product(ctx, staff.manager, cola.id).quantity in (3, 4)


def test_a_count_sets_the_stock_records_the_difference_and_audits_who_approved(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo
) -> None:
    level = stock_count.count_stock(
        ctx,
        staff.cashier,
        cola.id,
        7,
        "delivery not booked in",
        approver=approval_of(ctx, staff.cashier, staff.manager, STOCK_COUNT_APPROVAL),
    )
    assert level.quantity == 7
    [movement] = [
        m
        for m in inventory.movement_history(ctx, staff.manager, cola.id).items
        if m.reason == "adjustment"
    ]
    assert movement.quantity_change == 4
    assert movement.note == "Counted 7 at till till-1: delivery not booked in"
    [entry] = audit.list_audit(ctx, staff.owner, action=audit.STOCK_COUNTED).items
    assert entry.user_id == staff.cashier.id and entry.till_id == "till-1"
    assert (entry.detail["before"], entry.detail["counted"], entry.detail["change"]) == (3, 7, 4)
    assert entry.detail["approved_by_id"] == staff.manager.id
    assert entry.detail["reason"] == "delivery not booked in"
    assert stock_count.count_stock(ctx, staff.manager, cola.id, 0, "broken").quantity == 0


def test_a_count_needs_a_manager_a_reason_and_a_figure_of_zero_or_more(
    ctx: ServiceContext, staff: Staff, cola: ProductInfo
) -> None:
    with pytest.raises(PermissionDeniedError, match="must approve"):
        stock_count.count_stock(ctx, staff.cashier, cola.id, 5, "recount")
    with pytest.raises(PermissionDeniedError):
        stock_count.count_stock(
            ctx,
            staff.cashier,
            cola.id,
            5,
            "recount",
            approver=staff.cashier,  # type: ignore[arg-type]
        )
    with pytest.raises(PermissionDeniedError):
        approval_of(ctx, staff.cashier, staff.cashier, STOCK_COUNT_APPROVAL)
    with pytest.raises(ValidationError) as negative:
        stock_count.count_stock(ctx, staff.manager, cola.id, -1, "recount")
    assert negative.value.field == "counted"
    with pytest.raises(ValidationError) as no_reason:
        stock_count.count_stock(ctx, staff.manager, cola.id, 5, "  ")
    assert no_reason.value.field == "reason"
    assert catalog.get_product(ctx, staff.manager, cola.id).quantity == 3


def test_low_stock_is_one_rule_inactive_products_are_never_low(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, cola: ProductInfo
) -> None:
    old = make_product(ctx, staff.manager, drinks.id, name="Old cola", sku="OLD", stock=1)
    catalog.set_product_active(ctx, staff.manager, old.id, False)
    low = inventory.low_stock(ctx, staff.manager, 5).items
    listed = inventory.list_stock(ctx, staff.manager, below=5).items
    assert [level.product_id for level in low] == [cola.id]
    assert [level.product_id for level in listed] == [cola.id]
    everything = inventory.list_stock(ctx, staff.manager).items
    assert [inventory.is_low_stock(level, 5) for level in everything] == [
        level.product_id == cola.id for level in everything
    ]


def test_a_count_that_confirms_the_stock_moves_nothing_and_is_still_audited(
    ctx: ServiceContext, staff: Staff
) -> None:
    drinks = make_category(ctx, staff.manager)
    cola = make_product(ctx, staff.manager, drinks.id, stock=4)
    assert stock_count.count_stock(ctx, staff.manager, cola.id, 4, "checked").quantity == 4
    assert inventory.movement_history(ctx, staff.manager, cola.id).total == 1  # the receipt
    [entry] = audit.list_audit(ctx, staff.owner, action=audit.STOCK_COUNTED).items
    assert (entry.detail["before"], entry.detail["counted"], entry.detail["change"]) == (4, 4, 0)
