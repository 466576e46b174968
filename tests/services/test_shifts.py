from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from sqlalchemy import update

from pos_app.db.models import Refund, Sale
from pos_app.services import receipts, refunds, shifts, voids
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    ConflictError,
    NoOpenShiftError,
    PermissionDeniedError,
    ValidationError,
)
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.paging import PageRequest
from pos_app.services.payments import PaymentIn
from pos_app.services.tax import tax_summary
from tests.conftest import FakeClock
from tests.services.shop_day import make_shop, sell


def test_a_till_opens_one_shift_with_its_float(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    assert shifts.current_shift(ctx, shop.cashier) is None
    opened = shifts.open_shift(ctx, shop.cashier, 10_000)
    assert opened.is_open and opened.float_cents == 10_000 and opened.till_id == "till-1"
    assert opened.opened_by_name == "Carl Cashier"
    assert shifts.current_shift(ctx, shop.cashier) == opened
    with pytest.raises(ConflictError):
        shifts.open_shift(ctx, shop.manager, 5_000)


def test_each_till_has_its_own_shift(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    first = shifts.open_shift(ctx, shop.cashier, 10_000)
    other = shifts.open_shift(replace(ctx, till_id="till-2"), shop.manager, 5_000)
    assert first.id != other.id
    assert shifts.current_shift(replace(ctx, till_id="till-2"), shop.cashier) == other


def test_two_screens_opening_a_shift_at_once_get_one_shift(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def open_one() -> None:
        barrier.wait()
        try:
            shifts.open_shift(ctx, shop.cashier, 1_000)
            outcomes.append("opened")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=open_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "opened"]


@pytest.mark.parametrize("bad", [-1, 1.5, "100", None, 10**15])
def test_a_float_must_be_whole_non_negative_cents(ctx: ServiceContext, bad: object) -> None:
    shop = make_shop(ctx, open_shift=False)
    with pytest.raises(ValidationError):
        shifts.open_shift(ctx, shop.cashier, bad)  # type: ignore[arg-type]


def test_closing_without_an_open_shift_is_a_conflict(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    with pytest.raises(ConflictError):
        shifts.close_shift(ctx, shop.cashier, 0)


def test_the_z_report_adds_up_the_shifts_sales_payments_refunds_and_voids(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    shop = make_shop(ctx, open_shift=False)
    shift = shifts.open_shift(ctx, shop.cashier, 10_000)
    sales = [
        sell(ctx, shop.cashier, [(shop.bread, 2), (shop.wine, 1)], [PaymentIn("cash", 1748, 2000)]),
        sell(ctx, shop.cashier, [(shop.cheese, 3)], [PaymentIn("card", 1797)]),
        sell(
            ctx,
            shop.cashier,
            [(shop.water, 4), (shop.wine, 2)],
            [PaymentIn("card", 1000), PaymentIn("cash", 1896, 1900)],
        ),
    ]
    lines = {
        line.product_id: line for line in receipts.get_receipt(ctx, shop.cashier, sales[0]).lines
    }
    refunds.refund(
        ctx,
        shop.cashier,
        sales[0],
        [(lines[shop.bread.id].sale_item_id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    card_line = receipts.get_receipt(ctx, shop.cashier, sales[1]).lines[0]
    refunds.refund(
        ctx,
        shop.cashier,
        sales[1],
        [(card_line.sale_item_id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
        tender="card",
    )
    voids.void_line(ctx, shop.cashier, [HeldLine(shop.wine.id, 1)], shop.wine.id)
    voids.void_cart(ctx, shop.cashier, [HeldLine(shop.bread.id, 2)])
    clock.advance(hours=8)
    report = shifts.close_shift(ctx, shop.cashier, 14_000)

    all_receipts = [receipts.get_receipt(ctx, shop.cashier, sale_id) for sale_id in sales]
    assert report.sales_count == 3
    assert report.revenue_cents == sum(r.total_cents for r in all_receipts) == 1748 + 1797 + 2896
    assert report.tax == tax_summary(line for r in all_receipts for line in r.lines)
    assert sum(row.gross_cents for row in report.tax) == report.revenue_cents
    tenders = {t.tender: (t.count, t.amount_cents) for t in report.tenders}
    assert tenders == {"cash": (2, 1748 + 1896), "card": (2, 1797 + 1000)}
    assert sum(t.amount_cents for t in report.tenders) == report.revenue_cents
    assert report.cash_tendered_cents == 2000 + 1900
    assert report.change_given_cents == 252 + 4
    assert (report.refunds_count, report.refunds_cents) == (2, 249 + 599)
    assert (report.cash_refunds_cents, report.card_refunds_cents) == (249, 599)
    assert (report.voids_count, report.voids_cents) == (2, 1250 + 498)
    expected = 10_000 + 1748 + 1896 - 249
    assert report.expected_cash_cents == expected
    assert report.counted_cents == 14_000
    assert report.difference_cents == 14_000 - expected
    assert report.shift.closed_by_name == "Carl Cashier" and not report.shift.is_open
    assert shifts.current_shift(ctx, shop.cashier) is None
    assert shifts.z_report(ctx, shop.manager, shift.id) == report


def test_a_sale_with_no_shift_open_is_refused_so_every_cent_is_on_a_z_report(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx, open_shift=False)
    with pytest.raises(NoOpenShiftError, match="Open a shift on this till before selling"):
        sell(ctx, shop.cashier, [(shop.cheese, 1)])
    shift = shifts.open_shift(ctx, shop.cashier, 5_000)
    sold = sell(
        ctx, shop.cashier, [(shop.wine, 1), (shop.water, 1)], [PaymentIn("cash", 1349, 2000)]
    )
    shifts.close_shift(ctx, shop.cashier, 1)  # closes: no refund on a closed till either
    item = receipts.get_receipt(ctx, shop.cashier, sold).lines[0].sale_item_id
    with pytest.raises(NoOpenShiftError, match="Open a shift on this till before refunding"):
        refunds.refund(
            ctx,
            shop.cashier,
            sold,
            [(item, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    report = shifts.z_report(ctx, shop.cashier, shift.id)
    assert (report.sales_count, report.revenue_cents, report.refunds_count) == (1, 1349, 0)


def test_a_shift_counted_with_float_and_sales_has_no_difference(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    with pytest.raises(NoOpenShiftError):
        sell(ctx, shop.cashier, [(shop.water, 10)], [PaymentIn("cash", 990)])
    shifts.open_shift(ctx, shop.cashier, 5_000)
    sell(ctx, shop.cashier, [(shop.wine, 1), (shop.water, 1)], [PaymentIn("cash", 1349)])
    report = shifts.close_shift(ctx, shop.cashier, 5_000 + 1349)
    assert (report.sales_count, report.revenue_cents, report.difference_cents) == (1, 1349, 0)


def test_an_open_shifts_report_runs_up_to_now(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    shift = shifts.open_shift(ctx, shop.cashier, 5_000)
    sell(ctx, shop.cashier, [(shop.wine, 1)])
    report = shifts.z_report(ctx, shop.cashier, shift.id)
    assert report.expected_cash_cents == 5_000 + 1250
    assert report.counted_cents is None and report.difference_cents is None
    assert report.shift.is_open


def test_after_closing_the_till_can_open_a_new_shift(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    first = shifts.open_shift(ctx, shop.cashier, 5_000)
    shifts.close_shift(ctx, shop.cashier, 5_000)
    second = shifts.open_shift(ctx, shop.cashier, 5_000)
    assert second.id != first.id
    with pytest.raises(ConflictError):
        shifts.close_shift(replace(ctx, till_id="till-2"), shop.cashier, 0)


def test_a_cashier_closes_and_reads_only_their_own_shift(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    shift = shifts.open_shift(ctx, shop.manager, 5_000)
    with pytest.raises(PermissionDeniedError):
        shifts.close_shift(ctx, shop.cashier, 5_000)
    with pytest.raises(PermissionDeniedError):
        shifts.z_report(ctx, shop.cashier, shift.id)
    shifts.close_shift(ctx, shop.owner, 5_000)


def test_managers_list_past_shifts_newest_first(ctx: ServiceContext, clock: FakeClock) -> None:
    shop = make_shop(ctx, open_shift=False)
    for counted in (100, 200):
        shifts.open_shift(ctx, shop.cashier, 100)
        clock.advance(hours=1)
        shifts.close_shift(ctx, shop.cashier, counted)
    shifts.open_shift(replace(ctx, till_id="till-2"), shop.cashier, 0)
    with pytest.raises(PermissionDeniedError):
        shifts.list_shifts(ctx, shop.cashier)
    page = shifts.list_shifts(ctx, shop.manager)
    assert page.total == 3
    assert [s.till_id for s in page.items] == ["till-2", "till-1", "till-1"]
    assert [s.counted_cents for s in page.items] == [None, 200, 100]
    only = shifts.list_shifts(ctx, shop.manager, till_id="till-1", page=PageRequest(limit=1))
    assert only.total == 2 and only.has_more and only.items[0].difference_cents == 100


def test_sales_and_refunds_stored_with_no_shift_are_listed_for_the_owner_untouched(
    ctx: ServiceContext, clock: FakeClock
) -> None:
    shop = make_shop(ctx)
    old_sale = sell(ctx, shop.cashier, [(shop.bread, 1)])
    sold_later = sell(ctx, shop.cashier, [(shop.wine, 1)])
    item = receipts.get_receipt(ctx, shop.cashier, sold_later).lines[0].sale_item_id
    clock.advance(minutes=5)
    refund = refunds.refund(
        ctx,
        shop.cashier,
        sold_later,
        [(item, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    legacy = sell(ctx, shop.cashier, [(shop.water, 1)])
    with ctx.unit_of_work() as session:  # as written before a shift was required
        session.execute(update(Sale).where(Sale.id == old_sale).values(shift_id=None))
        session.execute(update(Refund).where(Refund.id == refund.id).values(shift_id=None))
        session.execute(
            update(Sale).where(Sale.id == legacy).values(shift_id=None, till_id="legacy")
        )
        session.commit()

    page = shifts.unshifted_entries(ctx, shop.owner)
    assert page.total == 2
    assert [(e.kind, e.sale_id, e.total_cents) for e in page.items] == [
        ("refund", sold_later, 1250),
        ("sale", old_sale, 249),
    ]
    assert page.items[1].till_id == "till-1" and page.items[1].cashier_name == "Carl Cashier"
    with pytest.raises(PermissionDeniedError):
        shifts.unshifted_entries(ctx, shop.manager)
    assert shifts.unshifted_entries(ctx, shop.owner) == page  # listing changes nothing
