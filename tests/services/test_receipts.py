from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from pos_app.services import receipt_search, receipts, refunds
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError, ValidationError
from pos_app.services.payments import PaymentIn, PaymentLine
from pos_app.services.tax import TaxRateTotal, tax_contained
from tests.conftest import FakeClock
from tests.services.shop_day import DRINKS_BP, FOOD_BP, make_shop, sell


def test_receipt_numbers_come_from_the_sale_id() -> None:
    assert receipts.receipt_number(42) == "R00000042"
    assert receipts.receipt_number(123_456_789) == "R123456789"
    for text in ("R00000042", "r42", " 42 ", 42):
        assert receipts.parse_receipt_number(text) == 42
    for bad in ("", "R", "F00000042", "42x", "R-1", 0, -3, 4.2, None, True, "9" * 30):
        with pytest.raises(ValidationError):
            receipts.parse_receipt_number(bad)


def test_a_receipt_has_everything_to_print(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(
        ctx,
        shop.cashier,
        [(shop.bread, 2), (shop.wine, 1)],
        [PaymentIn("card", 1000), PaymentIn("cash", 748, 1000)],
    )
    receipt = receipts.get_receipt(
        ctx, shop.cashier, receipts.receipt_number(sale_id), shop_name="Corner", shop_address="1 St"
    )
    assert (receipt.number, receipt.sale_id) == (f"R{sale_id:08d}", sale_id)
    assert (receipt.shop_name, receipt.shop_address) == ("Corner", "1 St")
    assert receipt.cashier_name == "Carl Cashier" and receipt.till_id == "till-1"
    assert receipt.local_time.utcoffset() is not None
    assert (receipt.local_time.hour, receipt.local_time.minute) == (15, 30)  # 14:30 UTC in Berlin
    assert [(line.product_name, line.quantity, line.gross_cents) for line in receipt.lines] == [
        ("Bread", 2, 498),
        ("Wine", 1, 1250),
    ]
    bread_tax = tax_contained(498, FOOD_BP)
    wine_tax = tax_contained(1250, DRINKS_BP)
    assert receipt.tax == [
        TaxRateTotal(FOOD_BP, 498, bread_tax, 498 - bread_tax),
        TaxRateTotal(DRINKS_BP, 1250, wine_tax, 1250 - wine_tax),
    ]
    assert receipt.total_cents == 1748
    assert receipt.payments == [
        PaymentLine("card", 1000, 1000, 0),
        PaymentLine("cash", 748, 1000, 252),
    ]
    assert receipt.change_cents == 252
    assert receipt.refunds == [] and receipt.refunded_cents == 0


def test_a_receipt_lists_the_refunds_made_against_it(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 2)])
    item = receipts.get_receipt(ctx, shop.cashier, sale_id).lines[0].sale_item_id
    for _ in range(2):
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            [(item, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    receipt = receipts.get_receipt(ctx, shop.cashier, sale_id)
    assert [refund.total_cents for refund in receipt.refunds] == [249, 249]
    assert receipt.refunded_cents == 498 and receipt.lines[0].returnable_quantity == 0
    assert all(refund.cashier_name == "Carl Cashier" for refund in receipt.refunds)


def test_an_unknown_receipt_is_not_found(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    with pytest.raises(NotFoundError, match="R00000099"):
        receipts.get_receipt(ctx, shop.cashier, "R00000099")


def test_receipts_are_found_by_shop_day_or_number(ctx: ServiceContext, clock: FakeClock) -> None:
    shop = make_shop(ctx)
    clock.now = datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 on 10 March in Berlin
    late = sell(ctx, shop.cashier, [(shop.bread, 1)])
    clock.now = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 00:30 on 11 March in Berlin
    early = sell(ctx, shop.manager, [(shop.wine, 1)])
    clock.advance(hours=1)
    later = sell(ctx, shop.cashier, [(shop.water, 1)])
    tenth = receipt_search.find_receipts(ctx, shop.cashier, date=date(2026, 3, 10))
    assert [r.sale_id for r in tenth] == [late]
    eleventh = receipt_search.find_receipts(ctx, shop.cashier, date=date(2026, 3, 11))
    assert [r.sale_id for r in eleventh] == [later, early]
    assert eleventh[1].cashier_name == "Mona Manager" and eleventh[1].total_cents == 1250
    assert eleventh[1].local_time.hour == 0
    by_number = receipt_search.find_receipts(
        ctx, shop.cashier, number=receipts.receipt_number(early)
    )
    assert [r.number for r in by_number] == [receipts.receipt_number(early)]
    assert receipt_search.find_receipts(ctx, shop.cashier, number="R99999999") == []
    latest_two = receipt_search.find_receipts(ctx, shop.cashier, limit=2)
    assert [r.sale_id for r in latest_two] == [later, early]


@pytest.mark.parametrize(
    "arguments",
    [
        {"date": "2026-03-10"},
        {"date": datetime(2026, 3, 10, tzinfo=UTC)},
        {"number": "DROP TABLE sales"},
        {"limit": 0},
        {"limit": 10_000},
    ],
)
def test_bad_receipt_searches_are_validation_errors(
    ctx: ServiceContext, arguments: dict[str, object]
) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError):
        receipt_search.find_receipts(ctx, shop.cashier, **arguments)  # type: ignore[arg-type]


def test_refund_slips_are_found_by_number_and_receipts_say_what_was_paid_back(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 2)])
    untouched = sell(ctx, shop.cashier, [(shop.bread, 1)])
    item = receipts.get_receipt(ctx, shop.cashier, sale_id).lines[0].sale_item_id
    done = refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(item, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    assert receipts.is_refund_number(done.number) and receipts.is_refund_number(" f12 ")
    assert not receipts.is_refund_number(receipts.receipt_number(sale_id))
    slip = receipts.get_refund(ctx, shop.cashier, done.number.lower())
    assert (slip.id, slip.sale_id, slip.total_cents) == (done.id, sale_id, 249)
    assert slip.receipt_number == receipts.receipt_number(sale_id)
    with pytest.raises(NotFoundError, match="F00009999"):
        receipts.get_refund(ctx, shop.cashier, "F00009999")
    with pytest.raises(ValidationError):
        receipts.get_refund(ctx, shop.cashier, "R00000001")
    found = {
        row.sale_id: row.refunded_cents for row in receipt_search.find_receipts(ctx, shop.cashier)
    }
    assert found == {sale_id: 249, untouched: 0}
