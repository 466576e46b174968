"""Sales with promotions and discounts: what is charged, stored, approved, audited and reported."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from pos_app.db.models import Inventory, SaleItem
from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.domain.promotions import PromotionKind
from pos_app.services import (
    analytics,
    audit,
    auth,
    checkout,
    held_sales,
    promotions,
    receipts,
    refunds,
    shifts,
    till_promotions,
    voids,
)
from pos_app.services.access import PRICE_APPROVAL, ApprovalToken, UserSession
from pos_app.services.analytics import Bucket, SalesQuery
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import PermissionDeniedError, ValidationError
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.promotion_drafts import PromotionDraft
from pos_app.services.rollups import rebuild_rollups
from tests.services.shop_day import PASSWORD, Shop, make_shop

TODAY = date(2026, 3, 10)
TEN_PERCENT = Discount(DiscountKind.PERCENT, 1000, "Dented tin")


def approval(ctx: ServiceContext, actor: UserSession, approver: UserSession) -> ApprovalToken:
    """What the approval dialog gets when ``approver`` types their password at actor's till."""
    return auth.approve(ctx, actor, approver.email, PASSWORD, action=PRICE_APPROVAL)


@pytest.fixture
def shop(ctx: ServiceContext) -> Shop:
    till_promotions.forget_cached_promotions(ctx)
    return make_shop(ctx)


def wine_week(ctx: ServiceContext, shop: Shop) -> int:
    draft = PromotionDraft(
        "Wine week", PromotionKind.PRICE_CUT, TODAY, product_ids=frozenset({shop.wine.id}),
        percent_bp=2000,
    )  # fmt: skip
    return promotions.create_promotion(ctx, shop.manager, draft).id


def stored_lines(ctx: ServiceContext, sale_id: int) -> list[SaleItem]:
    with ctx.unit_of_work(readonly=True) as session:
        lines = list(
            session.scalars(
                select(SaleItem).where(SaleItem.sale_id == sale_id).order_by(SaleItem.id)
            )
        )
        session.expunge_all()
        return lines


def stock_of(ctx: ServiceContext, product_id: int) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        found = session.scalar(select(Inventory.quantity).where(Inventory.product_id == product_id))
        return -1 if found is None else found


def test_a_running_promotion_is_charged_stored_and_printed(ctx: ServiceContext, shop: Shop) -> None:
    promotion_id = wine_week(ctx, shop)
    result = checkout.purchase(
        ctx, shop.cashier, [PurchaseLine(shop.wine.id, 2), PurchaseLine(shop.bread.id, 1)]
    )
    assert result.committed and result.total_cents == 2 * 1000 + 249
    wine, bread = stored_lines(ctx, result.sale_id or 0)
    assert (wine.unit_price_cents, wine.original_unit_price_cents) == (1250, 1250)
    assert (wine.discount_cents, wine.discount_name, wine.promotion_id) == (
        500,
        "Wine week",
        promotion_id,
    )
    assert (wine.revenue_cents, wine.tax_cents) == (2000, 319)
    assert (bread.discount_cents, bread.discount_name, bread.promotion_id) == (0, "", None)
    receipt = receipts.get_receipt(ctx, shop.cashier, result.sale_id or 0)
    assert receipt.total_cents == 2249 and receipt.saved_cents == 500
    assert result.sold[0].discount_name == "Wine week"


def test_a_cashier_gives_a_line_discount_within_the_limit_and_it_is_audited(
    ctx: ServiceContext, shop: Shop
) -> None:
    result = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.cheese.id, 1)],
        line_discounts={shop.cheese.id: TEN_PERCENT},
    )
    assert result.total_cents == 599 - 60
    (entry,) = audit.list_audit(ctx, shop.owner, action="discount").items
    assert entry.subject == "Dented tin" and entry.user_id == shop.cashier.id
    assert entry.detail["amount_cents"] == 60 and "approved_by_id" not in entry.detail


def test_a_cart_discount_above_the_cashiers_limit_needs_a_manager(
    ctx: ServiceContext, shop: Shop
) -> None:
    quarter = Discount(DiscountKind.PERCENT, 2500, "Regular customer")
    lines = [PurchaseLine(shop.bread.id, 2), PurchaseLine(shop.water.id, 3)]
    with pytest.raises(PermissionDeniedError, match="needs a manager or the owner"):
        checkout.purchase(ctx, shop.cashier, lines, cart_discount=quarter)
    assert stock_of(ctx, shop.bread.id) == 50
    result = checkout.purchase(
        ctx,
        shop.cashier,
        lines,
        cart_discount=quarter,
        override_approver=approval(ctx, shop.cashier, shop.manager),
    )
    before = 2 * 249 + 3 * 99
    assert result.total_cents == before - (before * 2500 + 5000) // 10000
    bread, water = stored_lines(ctx, result.sale_id or 0)
    assert bread.discount_cents + water.discount_cents == before - result.total_cents
    assert bread.discount_name == water.discount_name == "Regular customer"
    (entry,) = audit.list_audit(ctx, shop.owner, action="discount").items
    assert entry.detail["cart"] is True and entry.detail["approved_by_id"] == shop.manager.id


def test_above_the_managers_limit_only_the_owner_approves(ctx: ServiceContext, shop: Shop) -> None:
    most = Discount(DiscountKind.AMOUNT, 1000, "Broken seal")
    line = [PurchaseLine(shop.wine.id, 1)]
    with pytest.raises(PermissionDeniedError, match="Only the owner"):
        checkout.purchase(
            ctx,
            shop.cashier,
            line,
            line_discounts={shop.wine.id: most},
            override_approver=approval(ctx, shop.cashier, shop.manager),
        )
    result = checkout.purchase(
        ctx,
        shop.cashier,
        line,
        line_discounts={shop.wine.id: most},
        override_approver=approval(ctx, shop.cashier, shop.owner),
    )
    assert result.total_cents == 250


def test_discounts_follow_the_promotion_and_a_partial_sale_shares_the_cart_discount_over_what_sells(
    ctx: ServiceContext, shop: Shop
) -> None:
    wine_week(ctx, shop)
    staff = Discount(DiscountKind.AMOUNT, 100, "Staff")
    result = checkout.purchase(
        ctx,
        shop.manager,
        [PurchaseLine(shop.wine.id, 1), PurchaseLine(shop.cheese.id, 60)],
        partial=True,
        line_discounts={shop.wine.id: TEN_PERCENT},
        cart_discount=staff,
    )
    assert [line.product_id for line in result.sold] == [shop.wine.id]
    (wine,) = stored_lines(ctx, result.sale_id or 0)
    # 12.50 less 20 % (2.50), less 10 % of 10.00 (1.00), less the cart's 1.00.
    assert (wine.discount_cents, wine.revenue_cents) == (450, 800)
    assert wine.discount_name == "Wine week; Dented tin; Staff"


def test_rollups_and_the_sales_report_count_discounts(ctx: ServiceContext, shop: Shop) -> None:
    wine_week(ctx, shop)
    checkout.purchase(ctx, shop.cashier, [PurchaseLine(shop.wine.id, 1)])
    checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.bread.id, 1)],
        line_discounts={shop.bread.id: TEN_PERCENT},
    )
    report = analytics.sales_data(ctx, shop.owner, SalesQuery(TODAY, TODAY, Bucket.DAILY))
    assert (report.gross_cents, report.discount_cents, report.revenue_cents) == (
        1250 + 249,
        250 + 25,
        1000 + 224,
    )
    kept = report
    with ctx.unit_of_work() as session:
        rebuild_rollups(session, ctx.timezone)
        session.commit()
    rebuilt = analytics.sales_data(ctx, shop.owner, SalesQuery(TODAY, TODAY, Bucket.DAILY))
    assert rebuilt.buckets == kept.buckets


def test_an_ended_promotion_no_longer_applies(ctx: ServiceContext, shop: Shop) -> None:
    promotion_id = wine_week(ctx, shop)
    promotions.end_promotion(ctx, shop.manager, promotion_id)
    result = checkout.purchase(ctx, shop.cashier, [PurchaseLine(shop.wine.id, 1)])
    assert result.total_cents == 1250


def test_a_refund_gives_back_what_was_paid_per_unit_after_discounts(
    ctx: ServiceContext, shop: Shop
) -> None:
    third_off = Discount(DiscountKind.AMOUNT, 100, "Scratched")
    sale = checkout.purchase(
        ctx,
        shop.manager,
        [PurchaseLine(shop.water.id, 3)],
        line_discounts={shop.water.id: third_off},
    )
    assert sale.total_cents == 3 * 99 - 100
    (line,) = stored_lines(ctx, sale.sale_id or 0)
    first = refunds.refund(
        ctx,
        shop.manager,
        sale.sale_id or 0,
        [(line.id, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    rest = refunds.refund(
        ctx,
        shop.manager,
        sale.sale_id or 0,
        [(line.id, 2)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    assert (first.total_cents, rest.total_cents) == (65, 132)
    assert first.total_cents + rest.total_cents == sale.total_cents


def test_the_z_report_shows_gross_discounts_and_net(ctx: ServiceContext, shop: Shop) -> None:
    wine_week(ctx, shop)
    checkout.purchase(ctx, shop.cashier, [PurchaseLine(shop.wine.id, 1)])
    checkout.purchase(ctx, shop.cashier, [PurchaseLine(shop.bread.id, 2)])
    shift = shifts.current_shift(ctx, shop.owner)
    assert shift is not None
    report = shifts.z_report(ctx, shop.owner, shift.id)
    assert (report.gross_cents, report.discount_cents, report.revenue_cents) == (
        1250 + 2 * 249,
        250,
        1000 + 2 * 249,
    )


def test_a_held_cart_is_listed_at_what_it_would_cost_with_promotions_and_discounts(
    ctx: ServiceContext, shop: Shop
) -> None:
    wine_week(ctx, shop)
    held_sales.hold_cart(
        ctx,
        shop.cashier,
        [HeldLine(shop.wine.id, 2), HeldLine(shop.bread.id, 2, discount=TEN_PERCENT)],
        cart_discount=Discount(DiscountKind.AMOUNT, 100, "Regular"),
    )
    [listed] = held_sales.list_held(ctx, shop.cashier)
    wine = 2 * 1250 - 500  # the wine week's 20 % off
    bread = 2 * 249 - 50  # ten per cent off the line, rounded
    assert listed.total_cents == wine + bread - 100


def test_a_voided_cart_counts_on_the_z_report_at_what_the_sale_would_have_charged(
    ctx: ServiceContext, shop: Shop
) -> None:
    wine_week(ctx, shop)
    staff = Discount(DiscountKind.AMOUNT, 100, "Staff")
    lines = [HeldLine(shop.wine.id, 1, discount=TEN_PERCENT), HeldLine(shop.water.id, 2)]
    amount = voids.void_cart(ctx, shop.cashier, lines, staff, reason="Customer left")
    # 12.50 less 20 % (2.50), less 10 % of 10.00 (1.00); 2 x 0.99; less the cart's 1.00.
    assert amount == 1250 - 250 - 100 + 198 - 100
    shift = shifts.current_shift(ctx, shop.cashier)
    assert shift is not None
    report = shifts.z_report(ctx, shop.manager, shift.id)
    assert (report.voids_count, report.voids_cents) == (1, amount)
    [entry] = audit.list_audit(ctx, shop.owner, action=audit.VOID_CART).items
    assert entry.detail["amount_cents"] == amount and entry.detail["discount_cents"] == 450
    assert entry.detail["quantity"] == 3 and entry.detail["reason"] == "Customer left"
    sold = checkout.purchase(
        ctx,
        shop.cashier,
        [PurchaseLine(shop.wine.id, 1), PurchaseLine(shop.water.id, 2)],
        line_discounts={shop.wine.id: TEN_PERCENT},
        cart_discount=staff,
    )
    assert sold.total_cents == amount


def test_an_empty_or_unknown_cart_is_not_voided(ctx: ServiceContext, shop: Shop) -> None:
    with pytest.raises(ValidationError, match="nothing to void"):
        voids.void_cart(ctx, shop.cashier, [])
    with pytest.raises(ValidationError, match="does not exist"):
        voids.void_cart(ctx, shop.cashier, [HeldLine(999_999, 1)])
    shift = shifts.current_shift(ctx, shop.cashier)
    assert shift is not None
    assert shifts.z_report(ctx, shop.manager, shift.id).voids_count == 0
