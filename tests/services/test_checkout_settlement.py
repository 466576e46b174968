from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos_app.db.models import Inventory, Payment, Sale
from pos_app.services import audit, checkout, receipts, shifts
from pos_app.services.access import PRICE_APPROVAL
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.payments import PaymentIn
from pos_app.services.tax import tax_contained
from tests.factories import approval_of
from tests.services.shop_day import DRINKS_BP, FOOD_BP, make_shop


def count(ctx: ServiceContext, model: type[Sale] | type[Payment]) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def wine_stock(ctx: ServiceContext, product_id: int) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return (
            session.scalar(select(Inventory.quantity).where(Inventory.product_id == product_id))
            or 0
        )


def test_a_purchase_records_tax_payments_change_and_its_shift(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, open_shift=False)
    shift = shifts.open_shift(ctx, shop.cashier, 5_000)
    result = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.bread.id, 2), PurchaseLine(shop.wine.id, 1)],
        payments=[PaymentIn("card", 1000), PaymentIn("cash", 748, 1000)],
    )
    assert result.committed and result.total_cents == 1748
    assert result.change_cents == 252
    assert result.tax_cents == tax_contained(498, FOOD_BP) + tax_contained(1250, DRINKS_BP)
    with ctx.unit_of_work(readonly=True) as session:
        sale = session.get(Sale, result.sale_id)
        assert sale is not None and sale.shift_id == shift.id
    report = shifts.z_report(ctx, shop.cashier, shift.id)
    assert report.expected_cash_cents == 5_000 + 748
    again = checkout.purchase(
        ctx, shop.cashier, [PurchaseLine(shop.bread.id, 2)], sale_uuid=result.sale_uuid
    )
    assert (again.sale_id, again.change_cents, again.tax_cents) == (
        result.sale_id,
        252,
        result.tax_cents,
    )


def test_a_purchase_without_payments_is_paid_in_exact_cash(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    result = checkout.purchase(ctx, shop.cashier, [PurchaseLine(shop.wine.id, 1)])
    assert result.sale_id is not None
    receipt = receipts.get_receipt(ctx, shop.cashier, result.sale_id)
    assert [(p.tender, p.amount_cents, p.change_cents) for p in receipt.payments] == [
        ("cash", 1250, 0)
    ]


def test_too_little_cash_sells_nothing(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, stock=5)
    with pytest.raises(ValidationError) as error:
        checkout.purchase(
            ctx,
            shop.cashier,
            [PurchaseLine(shop.wine.id, 2)],
            payments=[PaymentIn("cash", 2500, 2000)],
        )
    assert error.value.field == "tendered"
    assert (count(ctx, Sale), count(ctx, Payment)) == (0, 0)
    assert wine_stock(ctx, shop.wine.id) == 5


def test_payments_that_do_not_match_a_partial_sale_sell_nothing(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, stock=1)
    with pytest.raises(ValidationError):
        checkout.purchase(
            ctx,
            shop.cashier,
            [PurchaseLine(shop.wine.id, 1), PurchaseLine(shop.bread.id, 3)],
            partial=True,
            payments=[PaymentIn("card", 1250 + 3 * 249)],
        )
    assert count(ctx, Sale) == 0 and wine_stock(ctx, shop.wine.id) == 1


def test_an_overridden_price_is_charged_taxed_and_audited(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    result = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.wine.id, 2), PurchaseLine(shop.bread.id, 1)],
        price_overrides={shop.wine.id: 999, shop.bread.id: 249},
        payments=[PaymentIn("cash", 2 * 999 + 249)],
        override_approver=approval_of(ctx, shop.cashier, shop.manager, PRICE_APPROVAL),
    )
    assert result.total_cents == 2 * 999 + 249
    wine = next(line for line in result.sold if line.product_id == shop.wine.id)
    assert (wine.unit_price_cents, wine.revenue_cents) == (999, 1998)
    assert result.sale_id is not None
    receipt = receipts.get_receipt(ctx, shop.cashier, result.sale_id)
    taxed = next(line for line in receipt.lines if line.product_id == shop.wine.id)
    assert taxed.tax_cents == tax_contained(1998, DRINKS_BP)
    entries = audit.list_audit(ctx, shop.owner, action="price_override").items
    assert len(entries) == 1  # bread kept its list price: nothing to record
    assert entries[0].user_id == shop.cashier.id and entries[0].subject == "Wine"
    assert entries[0].detail == {
        "sale_id": result.sale_id,
        "receipt": receipts.receipt_number(result.sale_id),
        "product_id": shop.wine.id,
        "quantity": 2,
        "old_price_cents": 1250,
        "new_price_cents": 999,
        "approved_by_id": shop.manager.id,
        "approved_by": "Mona Manager",
    }


def test_an_override_of_a_sale_that_fails_leaves_no_audit_entry(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, stock=1)
    result = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.wine.id, 2)],
        price_overrides={shop.wine.id: 1},
        override_approver=approval_of(ctx, shop.cashier, shop.manager, PRICE_APPROVAL),
    )
    assert not result.committed
    assert audit.list_audit(ctx, shop.owner, action="price_override").total == 0


@pytest.mark.parametrize(
    "overrides",
    [
        {"1": 100},
        {1: -1},
        {1: 1.5},
        {1: 10**15},
        [(1, 100)],
        {999_999: 100},
    ],
)
def test_malformed_price_overrides_are_validation_errors(
    ctx: ServiceContext, overrides: object
) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError) as error:
        checkout.purchase(
            ctx,
            shop.cashier,
            [PurchaseLine(shop.bread.id, 1)],
            price_overrides=overrides,  # type: ignore[arg-type]
        )
    assert error.value.field == "price_overrides"
    assert count(ctx, Sale) == 0
