from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest

from pos_app.domain.discounts import make_discount
from pos_app.services import audit, auth, catalog, inventory, product_csv, shifts, voids
from pos_app.services.access import PRICE_APPROVAL
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.paging import PageRequest
from tests.conftest import FakeClock
from tests.factories import forged_page
from tests.services.shop_day import PASSWORD, make_shop


def record_event(
    ctx: ServiceContext,
    *,
    action: str,
    user_id: int | None,
    subject: str = "",
    detail: dict[str, object] | None = None,
) -> None:
    """An entry written straight into the log, as a service does inside its own transaction."""
    with ctx.unit_of_work() as session:
        audit.record(session, ctx, action=action, user_id=user_id, subject=subject, detail=detail)
        session.commit()


def test_voids_are_logged_with_who_what_and_why(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    cart = [HeldLine(shop.wine.id, 2), HeldLine(shop.bread.id, 1)]
    voided = voids.void_line(ctx, shop.cashier, cart, shop.wine.id, reason="Changed their mind")
    voids.void_cart(ctx, shop.cashier, cart[1:])
    logged = audit.list_audit(ctx, shop.owner, user_id=shop.cashier.id).items
    entries = [e for e in logged if e.action != audit.LOGIN]  # the cashier's login is logged too
    assert [e.action for e in entries] == ["void_cart", "void_line"]
    line = entries[1]
    assert line.user_name == "Carl Cashier" and line.till_id == "till-1"
    assert voided == 2500
    assert line.detail == {
        "amount_cents": 2500,
        "product_id": shop.wine.id,
        "quantity": 2,
        "reason": "Changed their mind",
    }


def test_a_voided_line_counts_what_it_cost_in_its_cart_not_what_the_till_says(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx, open_shift=False)
    shift = shifts.open_shift(ctx, shop.cashier, 0)
    half_off = make_discount("percent", 5000, "Dented")
    cart = [HeldLine(shop.wine.id, 1, discount=half_off), HeldLine(shop.bread.id, 2)]
    ten_off = make_discount("amount", 100, "Regular")

    line = voids.void_line(ctx, shop.cashier, cart, shop.wine.id, ten_off)

    # 12.50 less half is 6.25; the cart's 1.00 off is shared over 6.25 and 4.98 by amount.
    assert line == 625 - 56
    report = shifts.z_report(ctx, shop.cashier, shift.id)
    assert (report.voids_count, report.voids_cents) == (1, line)


def test_voids_count_on_the_open_shift(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    voids.void_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)])  # no shift yet
    shift = shifts.open_shift(ctx, shop.cashier, 0)
    voids.void_line(ctx, shop.cashier, [HeldLine(shop.bread.id, 1)], shop.bread.id)
    report = shifts.z_report(ctx, shop.cashier, shift.id)
    assert (report.voids_count, report.voids_cents) == (1, 249)


@pytest.mark.parametrize(
    ("lines", "product_id", "reason"),
    [
        ([], 1, ""),
        ([(1, 1)], 1, ""),
        ([HeldLine(1, 0)], 1, ""),
        ([HeldLine(1, 1)], "1 OR 1=1", ""),
        ([HeldLine(1, 1)], 2, ""),
        ([HeldLine(1, 1)], 1, "x" * 201),
        ([HeldLine(1, 1)], 1, 7),
        ([HeldLine(999, 1)], 999, ""),
    ],
)
def test_malformed_voids_are_validation_errors(
    ctx: ServiceContext, lines: list[object], product_id: object, reason: object
) -> None:
    shop = make_shop(ctx, open_shift=False)
    with pytest.raises(ValidationError):
        voids.void_line(ctx, shop.cashier, lines, product_id, reason=reason)  # type: ignore[arg-type]
    assert audit.list_audit(ctx, shop.owner, action="void_line").total == 0


def test_drawer_counts_at_open_and_close_are_logged(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    shift = shifts.open_shift(ctx, shop.cashier, 10_000)
    shifts.close_shift(ctx, shop.cashier, 9_950)
    opened = audit.list_audit(ctx, shop.owner, action="shift_open").items[0]
    closed = audit.list_audit(ctx, shop.owner, action="shift_close").items[0]
    assert opened.detail == {"shift_id": shift.id, "float_cents": 10_000}
    assert closed.detail == {
        "shift_id": shift.id,
        "counted_cents": 9_950,
        "expected_cash_cents": 10_000,
        "difference_cents": -50,
    }


def test_only_owners_read_the_audit_log(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    for actor in (shop.cashier, shop.manager):
        with pytest.raises(PermissionDeniedError):
            audit.list_audit(ctx, actor)


def test_the_log_filters_by_shop_day_instant_action_and_user(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    shop = make_shop(ctx, open_shift=False)
    clock.now = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, 10 March
    record_event(ctx, action=audit.LOGIN, user_id=shop.cashier.id, subject="late")
    clock.now = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 in Berlin, 11 March
    record_event(ctx, action=audit.LOGIN_FAILED, user_id=None, subject="who@shop.test")
    tenth = audit.list_audit(ctx, shop.owner, start=date(2026, 3, 10), end=date(2026, 3, 10))
    assert [e.subject for e in tenth.items if e.subject == "late"] == ["late"]
    eleventh = audit.list_audit(ctx, shop.owner, start=date(2026, 3, 11))
    assert [e.subject for e in eleventh.items] == ["who@shop.test"]
    assert eleventh.items[0].user_name is None and eleventh.items[0].user_id is None
    instant = audit.list_audit(
        ctx, shop.owner, start=clock.now - timedelta(minutes=1), end=clock.now
    )
    assert [e.subject for e in instant.items] == ["who@shop.test"]
    mine = audit.list_audit(ctx, shop.owner, user_id=shop.cashier.id, action="login")
    assert [e.subject for e in mine.items] == ["late", shop.cashier.email]


def test_the_log_pages_newest_first(ctx: ServiceContext, clock: FakeClock) -> None:
    shop = make_shop(ctx, open_shift=False)
    for n in range(5):
        clock.advance(seconds=1)
        record_event(ctx, action=audit.LOGIN_FAILED, user_id=None, subject=f"s{n}")
    page = audit.list_audit(ctx, shop.owner, action=audit.LOGIN_FAILED, page=PageRequest(1, 2))
    assert [e.subject for e in page.items] == ["s3", "s2"]
    assert page.total == 5 and page.has_more


@pytest.mark.parametrize(
    "arguments",
    [
        {"action": "drop table"},
        {"user_id": "1"},
        {"start": "yesterday"},
        {"end": datetime(2026, 3, 10, 12, 0)},
        {"page": forged_page(limit=0)},
        {"page": forged_page(offset=-1)},
    ],
)
def test_bad_audit_filters_are_validation_errors(
    ctx: ServiceContext, arguments: dict[str, object]
) -> None:
    shop = make_shop(ctx, open_shift=False)
    with pytest.raises(ValidationError):
        audit.list_audit(ctx, shop.owner, **arguments)  # type: ignore[arg-type]


def test_details_keep_unicode_and_unknown_actions_are_a_programming_error(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx, open_shift=False)
    record_event(ctx, action=audit.USER_CREATED, user_id=shop.owner.id, detail={"name": "Zoë 😀"})
    assert audit.list_audit(ctx, shop.owner, action="user_created").items[0].detail == {
        "name": "Zoë 😀"
    }
    with pytest.raises(ValueError):
        record_event(ctx, action="made_up", user_id=None)


def test_a_voided_cart_keeps_every_line_in_the_audit_log(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    voids.void_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 2), HeldLine(shop.wine.id, 1)])
    entry = audit.list_audit(ctx, shop.owner, action=audit.VOID_CART).items[0]
    assert entry.detail["amount_cents"] == 1748
    assert entry.detail["lines"] == [
        {"product_id": shop.bread.id, "quantity": 2, "unit_price_cents": 249},
        {"product_id": shop.wine.id, "quantity": 1, "unit_price_cents": 1250},
    ]
    with pytest.raises(ValidationError):
        voids.void_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 0)])


def test_catalog_edits_creations_and_stock_changes_are_audited_with_before_and_after(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx, open_shift=False)
    tea = catalog.create_product(
        ctx, shop.manager, name="Tea", category_id=shop.drinks, sku="TEA", price_cents=349
    )
    catalog.update_product(ctx, shop.manager, tea.id, price_cents=399)
    catalog.update_product(ctx, shop.manager, tea.id, price_cents=399)  # no change, no entry
    catalog.set_product_active(ctx, shop.manager, tea.id, False)
    catalog.update_category(ctx, shop.manager, shop.food, name="Fresh food")
    inventory.add_stock(ctx, shop.manager, tea.id, 12, "delivery 4711")
    inventory.adjust_stock(ctx, shop.manager, tea.id, -2, "broken")

    def entries(action: str) -> list[audit.AuditEvent]:
        return audit.list_audit(ctx, shop.owner, action=action).items

    [created] = [e for e in entries(audit.PRODUCT_CREATED) if e.subject == "Tea"]
    assert created.detail["price_cents"] == 349 and created.detail["sku"] == "TEA"
    price, active = reversed(entries(audit.PRODUCT_CHANGED))
    assert price.user_id == shop.manager.id and price.till_id == "till-1"
    assert price.detail["changes"] == {"price_cents": [349, 399]}
    assert active.detail["changes"] == {"is_active": [True, False]}
    assert {e.subject for e in entries(audit.CATEGORY_CREATED)} == {"Food", "Drinks"}
    [renamed] = entries(audit.CATEGORY_CHANGED)
    assert renamed.detail["changes"] == {"name": ["Food", "Fresh food"]}
    adjusted, restocked = [e for e in entries(audit.STOCK_CHANGED) if e.subject == "Tea"]
    assert (restocked.detail["before"], restocked.detail["after"]) == (0, 12)
    assert restocked.detail["reason"] == "restock" and restocked.detail["note"] == "delivery 4711"
    assert (adjusted.detail["before"], adjusted.detail["after"], adjusted.detail["change"]) == (
        12,
        10,
        -2,
    )


def test_a_logout_and_a_managers_approval_are_recorded_as_what_they_are(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx, open_shift=False)
    session = auth.login(ctx, "carl@shop.test", PASSWORD)
    auth.logout(ctx, session.token)
    auth.logout(ctx, session.token)  # twice: recorded once
    [logout] = audit.list_audit(ctx, shop.owner, action=audit.LOGOUT).items
    assert logout.user_id == shop.cashier.id and logout.till_id == "till-1"

    logins_before = audit.list_audit(ctx, shop.owner, action=audit.LOGIN).total
    approval_given = auth.approve(
        ctx,
        shop.cashier,
        "mona@shop.test",
        PASSWORD,
        action=PRICE_APPROVAL,
        reason="A new price for Wine",
    )
    assert approval_given.id == shop.manager.id
    [approval] = audit.list_audit(ctx, shop.owner, action=audit.APPROVAL).items
    assert approval.user_id == shop.manager.id and approval.subject == "A new price for Wine"
    assert approval.detail == {
        "approved": "A new price for Wine",
        "action": PRICE_APPROVAL,
        "for_user_id": shop.cashier.id,
        "for_user": "Carl Cashier",
        "approved_by": "Mona Manager",
    }
    assert audit.list_audit(ctx, shop.owner, action=audit.LOGIN).total == logins_before
    assert audit.list_audit(ctx, shop.owner, action=audit.LOGOUT).total == 1


def test_a_csv_import_is_one_entry_with_its_counts_and_each_edit(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    text = (
        "category,sku,barcode,name,price,stock\n"
        "Food,BREAD,,Bread,2.99,7\n"
        "Snacks,NUTS,,Nuts,1.50,4\n"
    )
    assert product_csv.import_products(ctx, shop.manager, io.StringIO(text)).ok
    [entry] = audit.list_audit(ctx, shop.owner, action=audit.CSV_IMPORT).items
    assert (entry.detail["created"], entry.detail["updated"]) == (1, 1)
    assert entry.detail["categories_created"] == 1
    assert entry.detail["created_skus"] == ["NUTS"]
    assert entry.detail["changed"] == [{"sku": "BREAD", "changes": {"price_cents": [249, 299]}}]
    assert entry.detail["stock_set"] == [{"sku": "BREAD", "before": 50, "after": 7}]
