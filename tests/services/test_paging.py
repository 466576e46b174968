"""PageRequest: which rows of a list to return, refused when it is not a sane page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pos_app.services import audit, catalog, inventory, shifts
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.paging import MAX_OFFSET, MAX_PAGE_SIZE, PageRequest, check_page
from tests.factories import Staff, forged_page, make_category, make_product, make_staff

BAD_NUMBERS = [2**20000, 2**64, -1, True, "5", 1.0, None]
NAMES = ["2**20000", "2**64", "-1", "True", "'5'", "1.0", "None"]


@pytest.mark.parametrize("bad", BAD_NUMBERS, ids=NAMES)
def test_a_page_refuses_an_offset_that_is_not_a_sane_whole_number(bad: object) -> None:
    with pytest.raises(ValidationError) as refused:
        PageRequest(offset=bad, limit=10)  # type: ignore[arg-type]
    assert refused.value.field == "offset"
    assert refused.value.message == f"The page offset must be between 0 and {MAX_OFFSET:,}."


@pytest.mark.parametrize("bad", [*BAD_NUMBERS, 0, 1001], ids=[*NAMES, "0", "1001"])
def test_a_page_refuses_a_size_that_is_not_a_sane_whole_number(bad: object) -> None:
    with pytest.raises(ValidationError) as refused:
        PageRequest(offset=0, limit=bad)  # type: ignore[arg-type]
    assert refused.value.field == "limit" and MAX_PAGE_SIZE == 1000
    assert refused.value.message == f"The page size must be between 1 and {MAX_PAGE_SIZE}."


def test_a_page_at_the_bounds_is_accepted_and_cannot_be_changed() -> None:
    page = PageRequest(MAX_OFFSET, MAX_PAGE_SIZE)
    assert check_page(page) == (MAX_OFFSET, MAX_PAGE_SIZE)
    assert check_page(PageRequest()) == (0, 100)
    with pytest.raises(AttributeError):
        page.offset = 5  # type: ignore[misc]


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    return make_staff(ctx)


def paged_lists(ctx: ServiceContext, staff: Staff) -> dict[str, Callable[[Any], object]]:
    drinks = make_category(ctx, staff.manager, "Drinks")
    cola = make_product(ctx, staff.manager, drinks.id, name="Cola", stock=1)
    return {
        "list_products": lambda p: catalog.list_products(ctx, staff.manager, page=p),
        "refine_products": lambda p: catalog.refine_products(ctx, staff.manager, [cola.id], page=p),
        "list_categories": lambda p: catalog.list_categories(ctx, staff.manager, page=p),
        "list_stock": lambda p: inventory.list_stock(ctx, staff.manager, page=p),
        "low_stock": lambda p: inventory.low_stock(ctx, staff.manager, 5, page=p),
        "movement_history": lambda p: inventory.movement_history(
            ctx, staff.manager, cola.id, page=p
        ),
        "list_shifts": lambda p: shifts.list_shifts(ctx, staff.manager, page=p),
        "unshifted_entries": lambda p: shifts.unshifted_entries(ctx, staff.owner, page=p),
        "list_audit": lambda p: audit.list_audit(ctx, staff.owner, page=p),
    }


def test_every_paged_list_takes_a_page_request_and_refuses_anything_else(
    ctx: ServiceContext, staff: Staff
) -> None:
    for name, call in paged_lists(ctx, staff).items():
        listed = call(PageRequest(0, 1))
        assert (listed.offset, listed.limit) == (0, 1), name  # type: ignore[attr-defined]
        for bad in (
            (0, 10),
            {"offset": 0},
            None,
            forged_page(-1),
            forged_page(2**64),
            forged_page("5"),
        ):
            with pytest.raises(ValidationError) as refused:
                call(bad)
            assert refused.value.field in {"page", "offset", "limit"}, name
