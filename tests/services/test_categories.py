from __future__ import annotations

from dataclasses import replace

import pytest

from pos_app.services import audit, catalog, checkout, users
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    SessionEndedError,
    ValidationError,
)
from pos_app.services.paging import PageRequest
from tests.factories import Staff, forged_page, make_category, make_product, make_staff


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    return make_staff(ctx)


def test_the_slug_is_lowercase_ascii_derived_from_the_name(
    ctx: ServiceContext, staff: Staff
) -> None:
    category = catalog.create_category(ctx, staff.manager, name="  Crème Brûlée & Co. ")
    assert category.name == "Crème Brûlée & Co."
    assert category.slug == "creme-brulee-co"
    assert category.description == ""
    assert category.is_active
    assert category.product_count == 0


def test_a_name_without_latin_letters_still_gets_a_stable_slug(
    ctx: ServiceContext, staff: Staff
) -> None:
    category = catalog.create_category(ctx, staff.manager, name="日本茶")
    assert category.slug.startswith("category-")
    with pytest.raises(ConflictError):
        catalog.create_category(ctx, staff.manager, name="日本茶")


def test_an_explicit_slug_is_normalised(ctx: ServiceContext, staff: Staff) -> None:
    category = catalog.create_category(ctx, staff.manager, name="Drinks", slug="Cold Drinks!")
    assert category.slug == "cold-drinks"


def test_a_taken_slug_is_a_conflict_on_the_slug_field(ctx: ServiceContext, staff: Staff) -> None:
    catalog.create_category(ctx, staff.manager, name="Drinks")
    with pytest.raises(ConflictError) as same_name:
        catalog.create_category(ctx, staff.manager, name="DRINKS")
    with pytest.raises(ConflictError) as same_slug:
        catalog.create_category(ctx, staff.manager, name="Beverages", slug="drinks")
    assert same_name.value.field == same_slug.value.field == "slug"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 42}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "bad\x00name"}, "name"),
        ({"name": "Drinks", "slug": "---"}, "slug"),
        ({"name": "Drinks", "slug": 7}, "slug"),
        ({"name": "Drinks", "description": None}, "description"),
        ({"name": "Drinks", "description": "x" * 5001}, "description"),
    ],
)
def test_bad_category_input_names_the_field(
    ctx: ServiceContext, staff: Staff, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        catalog.create_category(ctx, staff.manager, **kwargs)  # type: ignore[arg-type]
    assert error.value.field == field
    assert catalog.list_categories(ctx, staff.manager).total == 0


def test_a_description_may_span_lines(ctx: ServiceContext, staff: Staff) -> None:
    category = catalog.create_category(ctx, staff.manager, name="Tea", description="Green\nBlack")
    assert category.description == "Green\nBlack"


def test_update_changes_only_the_given_fields(ctx: ServiceContext, staff: Staff) -> None:
    category = catalog.create_category(ctx, staff.manager, name="Drinks", description="Cold")
    renamed = catalog.update_category(ctx, staff.manager, category.id, name="Beverages")
    assert (renamed.name, renamed.slug, renamed.description) == ("Beverages", "drinks", "Cold")
    moved = catalog.update_category(ctx, staff.manager, category.id, slug="beverages")
    assert moved.slug == "beverages"
    assert catalog.update_category(ctx, staff.manager, category.id, slug="beverages").slug == (
        "beverages"
    )


def test_update_refuses_a_slug_another_category_has(ctx: ServiceContext, staff: Staff) -> None:
    make_category(ctx, staff.manager, "Drinks")
    food = make_category(ctx, staff.manager, "Food")
    with pytest.raises(ConflictError) as error:
        catalog.update_category(ctx, staff.manager, food.id, slug="drinks")
    assert error.value.field == "slug"
    assert catalog.get_category(ctx, staff.cashier, food.id).slug == "food"


def test_unknown_or_malformed_category_ids(ctx: ServiceContext, staff: Staff) -> None:
    with pytest.raises(NotFoundError) as missing:
        catalog.get_category(ctx, staff.cashier, 999)
    assert missing.value.field == "category_id"
    with pytest.raises(NotFoundError):
        catalog.update_category(ctx, staff.manager, 999, name="X")
    with pytest.raises(NotFoundError):
        catalog.set_category_active(ctx, staff.manager, 999, False)
    for bad in ("1", True, 0, -1, 2**64, None, 1.0):
        with pytest.raises(ValidationError) as error:
            catalog.get_category(ctx, staff.cashier, bad)  # type: ignore[arg-type]
        assert error.value.field == "category_id"


def test_deactivated_categories_can_be_hidden_from_the_list(
    ctx: ServiceContext, staff: Staff
) -> None:
    drinks = make_category(ctx, staff.manager, "Drinks")
    make_category(ctx, staff.manager, "Food")
    assert not catalog.set_category_active(ctx, staff.manager, drinks.id, False).is_active
    assert catalog.list_categories(ctx, staff.cashier).total == 2
    active = catalog.list_categories(ctx, staff.cashier, include_inactive=False)
    assert [c.name for c in active.items] == ["Food"]
    assert catalog.set_category_active(ctx, staff.manager, drinks.id, True).is_active
    with pytest.raises(ValidationError) as error:
        catalog.set_category_active(ctx, staff.manager, drinks.id, "no")  # type: ignore[arg-type]
    assert error.value.field == "active"


def test_list_counts_products_sorts_pages_and_searches(ctx: ServiceContext, staff: Staff) -> None:
    names = ["Drinks", "Food", "Snacks", "Tea 100%", "Toys"]
    categories = {name: make_category(ctx, staff.manager, name) for name in names}
    for _ in range(3):
        make_product(ctx, staff.manager, categories["Snacks"].id)
    make_product(ctx, staff.manager, categories["Food"].id)

    by_count = catalog.list_categories(ctx, staff.cashier, sort="products", descending=True)
    assert [(c.name, c.product_count) for c in by_count.items[:2]] == [("Snacks", 3), ("Food", 1)]
    page = catalog.list_categories(ctx, staff.cashier, page=PageRequest(2, 2), sort="slug")
    assert [c.name for c in page.items] == ["Snacks", "Tea 100%"]
    assert (page.total, page.has_more) == (5, True)
    assert catalog.list_categories(ctx, staff.cashier, sort="id").items[0].name == "Drinks"
    search = catalog.list_categories(ctx, staff.cashier, search="t", sort="name")
    assert [c.name for c in search.items] == ["Tea 100%", "Toys"]
    assert search.total == 2
    literal = catalog.list_categories(ctx, staff.cashier, search="0%")
    assert [c.name for c in literal.items] == ["Tea 100%"]
    assert catalog.list_categories(ctx, staff.cashier, search="_").total == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sort": "name; DROP TABLE categories"}, "sort"),
        ({"sort": None}, "sort"),
        ({"page": forged_page(offset=-1)}, "offset"),
        ({"page": forged_page(limit=0)}, "limit"),
        ({"page": forged_page(limit=10**6)}, "limit"),
        ({"descending": "yes"}, "descending"),
        ({"search": 5}, "search"),
        ({"search": "\ud800"}, "search"),
        ({"include_inactive": None}, "include_inactive"),
    ],
)
def test_list_rejects_bad_arguments(
    ctx: ServiceContext, staff: Staff, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        catalog.list_categories(ctx, staff.cashier, **kwargs)  # type: ignore[arg-type]
    assert error.value.field == field


def test_only_managers_and_owners_change_categories(ctx: ServiceContext, staff: Staff) -> None:
    drinks = catalog.create_category(ctx, staff.owner, name="Drinks")
    with pytest.raises(PermissionDeniedError):
        catalog.create_category(ctx, staff.cashier, name="Food")
    with pytest.raises(PermissionDeniedError):
        catalog.update_category(ctx, staff.cashier, drinks.id, name="Food")
    with pytest.raises(PermissionDeniedError):
        catalog.set_category_active(ctx, staff.cashier, drinks.id, False)
    assert catalog.get_category(ctx, staff.cashier, drinks.id).name == "Drinks"
    assert catalog.list_categories(ctx, staff.cashier).total == 1


def test_a_deactivated_account_cannot_even_read_categories(
    ctx: ServiceContext, staff: Staff
) -> None:
    drinks = make_category(ctx, staff.manager)
    users.set_user_active(ctx, staff.owner, staff.manager.id, False)
    gone = staff.manager
    with pytest.raises(SessionEndedError, match="deactivated"):
        catalog.get_category(ctx, gone, drinks.id)
    with pytest.raises(SessionEndedError, match="deactivated"):
        catalog.list_categories(ctx, gone)


def test_a_category_rate_set_at_creation_and_changed_later_applies_from_then_on(
    ctx: ServiceContext, staff: Staff
) -> None:
    assert make_category(ctx, staff.manager).tax_rate_bp == 0  # the shop's default
    shop = replace(ctx, default_tax_bp=1900)
    assert catalog.create_category(shop, staff.manager, name="Wine").tax_rate_bp == 1900
    food = catalog.create_category(ctx, staff.manager, name="Food", tax_rate_bp=700)
    bread = make_product(ctx, staff.manager, food.id, price_cents=107, stock=5)
    before = checkout.purchase(ctx, staff.cashier, [checkout.PurchaseLine(bread.id, 1)])
    changed = catalog.update_category(ctx, staff.manager, food.id, tax_rate_bp=1000)
    after = checkout.purchase(ctx, staff.cashier, [checkout.PurchaseLine(bread.id, 1)])
    assert changed.tax_rate_bp == 1000
    assert before.tax_cents == 7 and after.tax_cents == 10
    entries = audit.list_audit(ctx, staff.owner, action=audit.TAX_RATE_CHANGED).items
    assert [(e.subject, e.detail["old_rate_bp"], e.detail["new_rate_bp"]) for e in entries] == [
        ("Food", 700, 1000)
    ]
    with pytest.raises(ValidationError):
        catalog.create_category(ctx, staff.manager, name="Bad", tax_rate_bp=10_001)
