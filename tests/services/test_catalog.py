from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from pos_app.db.models import Category, Inventory, Product, StockMovement
from pos_app.services import catalog, inventory, product_lookup, users
from pos_app.services.catalog import CategoryInfo
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    PosError,
    SessionEndedError,
    ValidationError,
)
from pos_app.services.paging import PageRequest
from tests.factories import Staff, forged_page, make_category, make_product, make_staff

HOSTILE = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ANYTHING = st.one_of(
    st.text(),
    st.integers(),
    st.integers(min_value=2**63),
    st.integers(max_value=-1),
    st.none(),
    st.booleans(),
    st.floats(),
    st.binary(),
    st.lists(st.integers(), max_size=3),
    st.sampled_from(["'; DROP TABLE products; --", "%", "_", "\x00", "\ud800", "x" * 300]),
)


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    return make_staff(ctx)


@pytest.fixture
def drinks(ctx: ServiceContext, staff: Staff) -> CategoryInfo:
    return make_category(ctx, staff.manager, "Drinks")


def row_counts(ctx: ServiceContext) -> tuple[int, ...]:
    with ctx.unit_of_work(readonly=True) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Category, Product, Inventory, StockMovement)
        )


def test_create_product_stores_codes_and_opening_stock(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    cola = catalog.create_product(
        ctx,
        staff.manager,
        name=" Cola 33cl ",
        category_id=drinks.id,
        sku="COLA-33",
        price_cents=250,
        barcode="036000291452",
        description="Cold",
        initial_stock=24,
    )
    assert (cola.name, cola.sku, cola.barcode) == ("Cola 33cl", "COLA-33", "0036000291452")
    assert (cola.category_id, cola.category_name) == (drinks.id, "Drinks")
    assert (cola.price_cents, cola.quantity, cola.is_active) == (250, 24, True)
    history = inventory.movement_history(ctx, staff.manager, cola.id)
    assert [(m.quantity_change, m.reason) for m in history.items] == [(24, "restock")]
    assert history.items[0].user_name == staff.manager.full_name
    assert catalog.get_product(ctx, staff.cashier, cola.id) == cola


def test_a_product_without_opening_stock_has_no_movement(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    water = make_product(ctx, staff.manager, drinks.id)
    assert water.quantity == 0 and water.barcode is None
    assert inventory.movement_history(ctx, staff.manager, water.id).total == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"category_id": "1"}, "category_id"),
        ({"category_id": 0}, "category_id"),
        ({"sku": "has space"}, "sku"),
        ({"sku": ""}, "sku"),
        ({"price_cents": -1}, "price_cents"),
        ({"price_cents": 2.5}, "price_cents"),
        ({"price_cents": 10**12}, "price_cents"),
        ({"price_cents": True}, "price_cents"),
        ({"barcode": "4006381333932"}, "barcode"),
        ({"description": 5}, "description"),
        ({"initial_stock": -1}, "initial_stock"),
        ({"initial_stock": 10**10}, "initial_stock"),
    ],
)
def test_bad_product_input_names_the_field_and_stores_nothing(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, change: dict[str, Any], field: str
) -> None:
    before = row_counts(ctx)
    fields: dict[str, Any] = {"name": "Cola", "category_id": drinks.id, "sku": "C1"}
    fields["price_cents"] = 100
    with pytest.raises(ValidationError) as error:
        catalog.create_product(ctx, staff.manager, **(fields | change))
    assert error.value.field == field
    assert row_counts(ctx) == before


def test_unknown_category_is_not_found(ctx: ServiceContext, staff: Staff) -> None:
    with pytest.raises(NotFoundError) as error:
        catalog.create_product(
            ctx, staff.manager, name="Cola", category_id=999, sku="C1", price_cents=1
        )
    assert error.value.field == "category_id"


def test_sku_and_barcode_are_unique(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    make_product(ctx, staff.manager, drinks.id, sku="COLA-33", barcode="4006381333931")
    before = row_counts(ctx)
    with pytest.raises(ConflictError) as sku:
        make_product(ctx, staff.manager, drinks.id, sku="cola-33")
    with pytest.raises(ConflictError) as barcode:
        make_product(ctx, staff.manager, drinks.id, barcode="4006381333931")
    assert (sku.value.field, barcode.value.field) == ("sku", "barcode")
    assert row_counts(ctx) == before


def test_update_changes_given_fields_and_barcode_none_clears_it(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    food = make_category(ctx, staff.manager, "Food")
    cola = make_product(ctx, staff.manager, drinks.id, sku="C1", barcode="4006381333931", stock=3)
    kept = catalog.update_product(ctx, staff.manager, cola.id, name="Cola Zero", price_cents=300)
    assert (kept.name, kept.price_cents, kept.barcode, kept.quantity) == (
        "Cola Zero",
        300,
        "4006381333931",
        3,
    )
    moved = catalog.update_product(ctx, staff.manager, cola.id, category_id=food.id, sku="C1")
    assert (moved.category_name, moved.sku) == ("Food", "C1")
    cleared = catalog.update_product(ctx, staff.manager, cola.id, barcode=None, description="x")
    assert (cleared.barcode, cleared.description) == (None, "x")


def test_update_refuses_codes_of_another_product_and_unknown_ids(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    make_product(ctx, staff.manager, drinks.id, sku="C1", barcode="4006381333931")
    other = make_product(ctx, staff.manager, drinks.id, sku="C2")
    with pytest.raises(ConflictError) as sku:
        catalog.update_product(ctx, staff.manager, other.id, sku="c1")
    with pytest.raises(ConflictError) as barcode:
        catalog.update_product(ctx, staff.manager, other.id, barcode="4006381333931")
    assert (sku.value.field, barcode.value.field) == ("sku", "barcode")
    with pytest.raises(NotFoundError) as category:
        catalog.update_product(ctx, staff.manager, other.id, category_id=999)
    assert category.value.field == "category_id"
    with pytest.raises(NotFoundError) as product:
        catalog.update_product(ctx, staff.manager, 999, name="X")
    assert product.value.field == "product_id"
    with pytest.raises(ValidationError) as price:
        catalog.update_product(ctx, staff.manager, other.id, price_cents=-5)
    assert price.value.field == "price_cents"
    assert catalog.get_product(ctx, staff.manager, other.id) == other


def test_deactivated_products_can_be_hidden_and_are_not_suggested(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    cola = make_product(ctx, staff.manager, drinks.id, name="Cola")
    make_product(ctx, staff.manager, drinks.id, name="Cola Zero")
    assert not catalog.set_product_active(ctx, staff.manager, cola.id, False).is_active
    assert catalog.list_products(ctx, staff.cashier).total == 2
    visible = catalog.list_products(ctx, staff.cashier, include_inactive=False)
    assert [p.name for p in visible.items] == ["Cola Zero"]
    assert [p.name for p in product_lookup.suggest_products(ctx, staff.cashier, "cola")] == [
        "Cola Zero"
    ]
    with pytest.raises(NotFoundError):
        catalog.set_product_active(ctx, staff.manager, 999, True)


def test_list_products_pages_sorts_filters_and_searches(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    food = make_category(ctx, staff.manager, "Food")
    for n in range(12):
        category = drinks if n % 2 else food
        make_product(
            ctx, staff.manager, category.id, name=f"Item {n:02}", sku=f"S{n:02}", price_cents=n
        )
    make_product(ctx, staff.manager, food.id, name="Crème 50% off", barcode="4006381333931")
    page = catalog.list_products(ctx, staff.cashier, page=PageRequest(10, 5))
    assert [p.name for p in page.items] == ["Item 09", "Item 10", "Item 11"]
    assert (page.total, page.has_more) == (13, False)
    by_price = catalog.list_products(
        ctx, staff.cashier, sort="price", descending=True, page=PageRequest(limit=2)
    )
    assert [p.price_cents for p in by_price.items] == [199, 11]
    by_category = catalog.list_products(
        ctx, staff.cashier, sort="category", page=PageRequest(limit=1)
    )
    assert by_category.items[0].category_name == "Drinks"
    in_drinks = catalog.list_products(ctx, staff.cashier, category_id=drinks.id)
    assert in_drinks.total == 6 and {p.category_id for p in in_drinks.items} == {drinks.id}
    assert catalog.list_products(ctx, staff.cashier, search="ITEM 1").total == 2
    assert catalog.list_products(ctx, staff.cashier, search="s1").total == 2
    assert catalog.list_products(ctx, staff.cashier, search="400638").total == 1
    assert catalog.list_products(ctx, staff.cashier, search="0%").total == 1
    assert catalog.list_products(ctx, staff.cashier, search="00638").total == 0
    for key in catalog.PRODUCT_SORTS:
        listed = catalog.list_products(ctx, staff.cashier, sort=key, page=PageRequest(limit=1000))
        assert listed.total == len(listed.items) == 13


@pytest.mark.parametrize("descending", [False, True])
def test_pages_of_every_sort_add_up_to_the_whole_list(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, descending: bool
) -> None:
    food = make_category(ctx, staff.manager, "Food")
    for n in range(9):
        category = food if n % 3 else drinks
        make_product(ctx, staff.manager, category.id, price_cents=n % 4, stock=n % 2)
    for key in catalog.PRODUCT_SORTS:
        whole = catalog.list_products(ctx, staff.cashier, sort=key, descending=descending)
        pages = [
            catalog.list_products(
                ctx, staff.cashier, sort=key, descending=descending, page=PageRequest(start, 4)
            ).items
            for start in (0, 4, 8)
        ]
        assert [p for page in pages for p in page] == whole.items, key


def test_stock_sort_follows_quantities(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    for stock in (5, 0, 9):
        make_product(ctx, staff.manager, drinks.id, stock=stock)
    listed = catalog.list_products(ctx, staff.cashier, sort="stock")
    assert [p.quantity for p in listed.items] == [0, 5, 9]


def test_find_product_by_barcode_in_either_form_or_sku_in_any_case(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    cola = make_product(ctx, staff.manager, drinks.id, sku="Cola-33", barcode="036000291452")
    assert product_lookup.find_product(ctx, staff.cashier, "036000291452") == cola
    assert product_lookup.find_product(ctx, staff.cashier, "0036000291452") == cola
    assert product_lookup.find_product(ctx, staff.cashier, " COLA-33 ") == cola
    for unknown in ("4006381333931", "nope", "x" * 100):
        with pytest.raises(NotFoundError) as error:
            product_lookup.find_product(ctx, staff.cashier, unknown)
        assert error.value.field == "code"
    with pytest.raises(ValidationError):
        product_lookup.find_product(ctx, staff.cashier, "")


def test_a_typed_name_finds_the_one_product_it_matches_and_refuses_when_several_do(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    milk = make_product(ctx, staff.manager, drinks.id, name="Whole milk 1 l", sku="MILK-1")
    make_product(ctx, staff.manager, drinks.id, name="Apple juice")
    make_product(ctx, staff.manager, drinks.id, name="Pineapple juice")
    assert product_lookup.find_product_or_only_match(ctx, staff.cashier, "milk") == milk
    assert product_lookup.find_product_or_only_match(ctx, staff.cashier, "milk-1") == milk
    with pytest.raises(NotFoundError, match="Several products match 'apple'") as several:
        product_lookup.find_product_or_only_match(ctx, staff.cashier, " apple ")
    assert several.value.field == "code"
    with pytest.raises(NotFoundError, match="No product has the barcode or SKU 'cheese'"):
        product_lookup.find_product_or_only_match(ctx, staff.cashier, "cheese")


def test_suggestions_are_active_name_matches_by_name(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    for name in ("Apple juice", "Pineapple", "Banana", "APPLE pie"):
        make_product(ctx, staff.manager, drinks.id, name=name)
    names = [p.name for p in product_lookup.suggest_products(ctx, staff.cashier, "apple")]
    assert names == ["Apple juice", "APPLE pie", "Pineapple"] or names == [
        "APPLE pie",
        "Apple juice",
        "Pineapple",
    ]
    assert len(product_lookup.suggest_products(ctx, staff.cashier, "apple", limit=1)) == 1
    assert product_lookup.suggest_products(ctx, staff.cashier, "  ") == []
    with pytest.raises(ValidationError) as error:
        product_lookup.suggest_products(ctx, staff.cashier, "a", limit=0)
    assert error.value.field == "limit"


def test_only_managers_and_owners_change_products(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo
) -> None:
    cola = make_product(ctx, staff.owner, drinks.id, sku="C1")
    with pytest.raises(PermissionDeniedError):
        make_product(ctx, staff.cashier, drinks.id)
    with pytest.raises(PermissionDeniedError):
        catalog.update_product(ctx, staff.cashier, cola.id, price_cents=1)
    with pytest.raises(PermissionDeniedError):
        catalog.set_product_active(ctx, staff.cashier, cola.id, False)
    assert catalog.get_product(ctx, staff.cashier, cola.id) == cola
    assert product_lookup.find_product(ctx, staff.cashier, "C1") == cola
    assert catalog.list_products(ctx, staff.cashier).total == 1
    users.set_user_active(ctx, staff.owner, staff.cashier.id, False)
    gone = staff.cashier
    for read in (
        lambda: catalog.get_product(ctx, gone, cola.id),
        lambda: product_lookup.find_product(ctx, gone, "C1"),
        lambda: catalog.list_products(ctx, gone),
        lambda: product_lookup.suggest_products(ctx, gone, "C"),
    ):
        with pytest.raises(SessionEndedError, match="deactivated"):
            read()


@HOSTILE
@given(
    field=st.sampled_from(
        [
            "name",
            "category_id",
            "sku",
            "price_cents",
            "barcode",
            "initial_stock",
            "sold_by",
            "scale_code",
        ]
    ),
    value=ANYTHING,
)
def test_hostile_product_input_either_saves_a_product_or_changes_nothing(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, field: str, value: object
) -> None:
    before = row_counts(ctx)
    fields: dict[str, Any] = {"name": "Cola", "category_id": drinks.id, "price_cents": 100}
    fields["sku"] = f"H-{before[1]}"
    fields[field] = value
    try:
        created = catalog.create_product(ctx, staff.manager, **fields)
    except PosError as error:
        assert error.field == field
        assert row_counts(ctx) == before
    else:
        assert catalog.get_product(ctx, staff.manager, created.id) == created
        assert row_counts(ctx)[1] == before[1] + 1


@HOSTILE
@given(
    price=st.one_of(st.integers(max_value=-1), st.integers(min_value=10**11 + 1), st.floats()),
    name=st.one_of(st.just(""), st.text(min_size=201), st.integers(), st.none()),
)
def test_invalid_products_are_always_refused(
    ctx: ServiceContext, staff: Staff, drinks: CategoryInfo, price: object, name: object
) -> None:
    before = row_counts(ctx)
    with pytest.raises(ValidationError):
        catalog.create_product(
            ctx,
            staff.manager,
            name=name,  # type: ignore[arg-type]
            category_id=drinks.id,
            sku="SKU-1",
            price_cents=price,  # type: ignore[arg-type]
        )
    assert row_counts(ctx) == before


@HOSTILE
@given(
    search=ANYTHING,
    sort=st.one_of(st.sampled_from(sorted(catalog.PRODUCT_SORTS)), ANYTHING),
    offset=st.one_of(st.integers(min_value=0, max_value=50), ANYTHING),
    limit=st.one_of(st.integers(min_value=1, max_value=50), ANYTHING),
    category_id=st.one_of(st.none(), ANYTHING),
)
def test_hostile_list_arguments_give_a_page_or_a_validation_error(
    ctx: ServiceContext,
    staff: Staff,
    drinks: CategoryInfo,
    search: object,
    sort: object,
    offset: object,
    limit: object,
    category_id: object,
) -> None:
    if row_counts(ctx)[1] == 0:
        make_product(ctx, staff.manager, drinks.id, name="Cola", sku="COLA")
    before = row_counts(ctx)
    try:
        page = catalog.list_products(
            ctx,
            staff.cashier,
            search=search,  # type: ignore[arg-type]
            sort=sort,  # type: ignore[arg-type]
            page=forged_page(offset, limit),
            category_id=category_id,  # type: ignore[arg-type]
        )
    except ValidationError as error:
        assert error.field in {"search", "sort", "offset", "limit", "category_id"}
    else:
        assert 0 <= len(page.items) <= page.total <= 1
    assert row_counts(ctx) == before


def test_product_field_problems_lists_every_bad_field_at_once() -> None:
    problems = catalog.product_field_problems(" ", "has space", "4006381333932", "fine")
    assert [problem.field for problem in problems] == ["name", "sku", "barcode"]
    assert catalog.product_field_problems("Cola", "COLA-1", None) == []
