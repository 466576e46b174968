"""Selling by weight: grams from stock, the price per kg rule, scale labels' prices, receipts."""

from __future__ import annotations

import csv
import io

import pytest

from pos_app.domain.discounts import Discount, DiscountKind
from pos_app.domain.promotions import PromotionKind
from pos_app.services import (
    catalog,
    checkout,
    inventory,
    product_lookup,
    promotions,
    receipts,
    refunds,
    sale_line_csv,
)
from pos_app.services.catalog import CategoryInfo, ProductInfo
from pos_app.services.checkout import PurchaseLine
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ConflictError
from pos_app.services.payments import CASH, PaymentIn
from pos_app.services.promotion_drafts import PromotionDraft
from tests.factories import Staff, make_category, make_staff, open_till
from tests.services.test_rollups import rebuild, snapshot


@pytest.fixture
def staff(ctx: ServiceContext) -> Staff:
    made = make_staff(ctx)
    open_till(ctx, made.cashier)
    return made


@pytest.fixture
def deli(ctx: ServiceContext, staff: Staff) -> CategoryInfo:
    return make_category(ctx, staff.manager, "Deli")


@pytest.fixture
def cheese(ctx: ServiceContext, staff: Staff, deli: CategoryInfo) -> ProductInfo:
    return catalog.create_product(
        ctx, staff.manager, name="Gouda", category_id=deli.id, sku="GOUDA", price_cents=1290,
        sold_by="weight", scale_code=12345, initial_stock=5_250,
    )  # fmt: skip


@pytest.fixture
def roll(ctx: ServiceContext, staff: Staff, deli: CategoryInfo) -> ProductInfo:
    return catalog.create_product(
        ctx, staff.manager, name="Roll", category_id=deli.id, sku="ROLL", price_cents=45,
        initial_stock=20_000,
    )  # fmt: skip


def stock(ctx: ServiceContext, staff: Staff, product: ProductInfo) -> int:
    return catalog.get_product(ctx, staff.manager, product.id).quantity


def test_a_typed_weight_sells_its_grams_at_the_price_per_kg(
    ctx: ServiceContext, staff: Staff, cheese: ProductInfo, roll: ProductInfo
) -> None:
    result = checkout.purchase(
        ctx, staff.cashier, [PurchaseLine(cheese.id, 455), PurchaseLine(roll.id, 3)]
    )
    assert result.committed, result.failed
    assert result.total_cents == 587 + 135
    weighed = result.sold[0]
    assert (weighed.quantity, weighed.unit_price_cents, weighed.revenue_cents) == (455, 1290, 587)
    assert weighed.is_weighed and not result.sold[1].is_weighed
    assert stock(ctx, staff, cheese) == 5_250 - 455
    movements = inventory.movement_history(ctx, staff.manager, cheese.id).items
    assert (movements[0].quantity_change, movements[0].reason) == (-455, "sale")
    receipt = receipts.get_receipt(ctx, staff.cashier, result.sale_id or 0)
    assert [(line.quantity, line.is_weighed, line.gross_cents) for line in receipt.lines] == [
        (455, True, 587), (3, False, 135)
    ]  # fmt: skip


def test_a_price_label_is_charged_its_price_and_takes_the_weight_it_bought(
    ctx: ServiceContext, staff: Staff, cheese: ProductInfo
) -> None:
    rule = ctx.scale_label_layout.rule_for("21")
    assert rule is not None
    scan = product_lookup.scan_code(ctx, staff.cashier, rule.make("21", 12345, 590))
    assert (scan.grams, scan.label_price_cents) == (457, 590)
    line = PurchaseLine(cheese.id, scan.grams or 0, scan.label_price_cents)
    typed = PurchaseLine(cheese.id, 300)
    result = checkout.purchase(
        ctx, staff.cashier, [line, typed], payments=[PaymentIn(CASH, 977, 1000)]
    )
    assert result.committed, result.failed
    assert result.total_cents == 590 + 387  # the label, then 0.300 kg at 12.90
    assert (result.sold[0].quantity, result.sold[0].revenue_cents) == (757, 977)
    assert stock(ctx, staff, cheese) == 5_250 - 757


def test_not_enough_of_a_weighed_product_is_told_in_kilograms(
    ctx: ServiceContext, staff: Staff, cheese: ProductInfo
) -> None:
    result = checkout.purchase(ctx, staff.cashier, [PurchaseLine(cheese.id, 6_000)])
    assert not result.committed
    assert result.failed[0].message == "Only 5.250 kg of Gouda left in stock; 6.000 kg wanted."
    assert stock(ctx, staff, cheese) == 5_250


def test_pieces_keep_their_limit_and_labels_only_price_weighed_products(
    ctx: ServiceContext, staff: Staff, cheese: ProductInfo, roll: ProductInfo
) -> None:
    result = checkout.purchase(ctx, staff.cashier, [PurchaseLine(roll.id, 10_001)])
    assert [line.reason for line in result.failed] == ["bad_quantity"]
    labelled = checkout.purchase(ctx, staff.cashier, [PurchaseLine(roll.id, 1, 45)])
    assert [line.reason for line in labelled.failed] == ["bad_quantity"]
    heavy = checkout.purchase(ctx, staff.cashier, [PurchaseLine(cheese.id, 1_000_000)])
    assert [line.reason for line in heavy.failed] == ["bad_quantity"]
    assert stock(ctx, staff, roll) == 20_000 and stock(ctx, staff, cheese) == 5_250


def test_rollups_kept_by_weighed_sales_equal_a_rebuild(
    ctx: ServiceContext, staff: Staff, cheese: ProductInfo, roll: ProductInfo
) -> None:
    for grams in (455, 1_200):
        lines = [PurchaseLine(cheese.id, grams), PurchaseLine(roll.id, 2)]
        assert checkout.purchase(ctx, staff.cashier, lines).committed
    kept = snapshot(ctx)
    rebuild(ctx)
    assert snapshot(ctx) == kept


def test_part_of_a_weighed_line_goes_back_for_its_share_and_all_of_it_for_what_it_cost(
    ctx: ServiceContext, staff: Staff, cheese: ProductInfo
) -> None:
    rule = ctx.scale_label_layout.rule_for("21")
    assert rule is not None
    scan = product_lookup.scan_code(ctx, staff.cashier, rule.make("21", 12345, 590))
    sold = checkout.purchase(
        ctx, staff.cashier, [PurchaseLine(cheese.id, scan.grams or 0, scan.label_price_cents)]
    )
    assert sold.committed and sold.sale_id is not None
    line = receipts.get_receipt(ctx, staff.cashier, sold.sale_id).lines[0]
    first = refunds.refund(
        ctx, staff.cashier, sold.sale_id, [(line.sale_item_id, 200)],
        reason="Changed mind", refund_uuid=refunds.new_refund_uuid(),
    )  # fmt: skip
    assert first.total_cents == 258  # 5.90 * 200 / 457 = 2.582
    assert first.lines[0].is_weighed and first.lines[0].quantity == 200
    with pytest.raises(ConflictError, match=r"Only 0\.257 kg of Gouda .* 0\.300 kg asked"):
        refunds.refund(
            ctx, staff.cashier, sold.sale_id, [(line.sale_item_id, 300)],
            reason="Changed mind", refund_uuid=refunds.new_refund_uuid(),
        )  # fmt: skip
    rest = refunds.refund(
        ctx, staff.cashier, sold.sale_id, [(line.sale_item_id, 257)],
        reason="Changed mind", refund_uuid=refunds.new_refund_uuid(),
    )  # fmt: skip
    assert first.total_cents + rest.total_cents == 590
    assert stock(ctx, staff, cheese) == 5_250
    history = inventory.movement_history(ctx, staff.manager, cheese.id).items
    assert [(m.quantity_change, m.reason) for m in history[:2]] == [
        (257, "refund"),
        (200, "refund"),
    ]


def test_the_sale_lines_csv_gives_a_weighed_quantity_in_kg(
    ctx: ServiceContext, staff: Staff, cheese: ProductInfo, roll: ProductInfo
) -> None:
    lines = [PurchaseLine(cheese.id, 455), PurchaseLine(roll.id, 3)]
    assert checkout.purchase(ctx, staff.cashier, lines).committed
    stream = io.StringIO()
    day = ctx.local_date(ctx.now())
    sale_line_csv.export_sale_lines(ctx, staff.owner, day, day, stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert [row[-3:] for row in rows[1:]] == [["0.455", "12.90", "5.87"], ["3", "0.45", "1.35"]]


def _promotion(ctx: ServiceContext, staff: Staff, name: str, **deal: object) -> None:
    draft = PromotionDraft(name, starts_on=ctx.local_date(ctx.now()), **deal)  # type: ignore[arg-type]
    promotions.create_promotion(ctx, staff.manager, draft)


def test_a_price_cut_and_discounts_come_off_a_weighed_lines_amount_and_a_refund_its_share(
    ctx: ServiceContext, staff: Staff, deli: CategoryInfo, cheese: ProductInfo, roll: ProductInfo
) -> None:
    _promotion(
        ctx, staff, "Deli days", kind=PromotionKind.PRICE_CUT,
        category_ids=frozenset({deli.id}), percent_bp=2000,
    )  # fmt: skip
    _promotion(
        ctx, staff, "Cheese 3 for 2", kind=PromotionKind.MULTI_BUY,
        product_ids=frozenset({cheese.id}), buy_quantity=3, pay_quantity=2,
    )  # fmt: skip
    sold = checkout.purchase(
        ctx, staff.cashier, [PurchaseLine(cheese.id, 1000), PurchaseLine(roll.id, 3)],
        line_discounts={cheese.id: Discount(DiscountKind.PERCENT, 1000, "Cut end")},
    )  # fmt: skip
    assert sold.committed and sold.sale_id is not None, sold.failed
    gouda, rolls = sold.sold
    # 1 kg at 12.90, 20 % off (2.58) is 10.32, then 10 % of that (1.03) leaves 9.29; the
    # 3-for-2 counts pieces and leaves the grams alone.
    assert (gouda.quantity, gouda.discount_cents, gouda.revenue_cents) == (1000, 361, 929)
    assert gouda.discount_name == "Deli days; Cut end" and gouda.is_weighed
    assert rolls.revenue_cents == 108  # 3 x 0.45 less 20 % (0.27)
    line = receipts.get_receipt(ctx, staff.cashier, sold.sale_id).lines[0]
    assert (line.gross_cents, line.discount_cents, line.saved_cents) == (929, 361, 361)
    first = refunds.refund(
        ctx, staff.cashier, sold.sale_id, [(line.sale_item_id, 400)],
        reason="Changed mind", refund_uuid=refunds.new_refund_uuid(),
    )  # fmt: skip
    assert first.total_cents == 372  # 9.29 * 400 / 1000 = 3.716, what was paid, not 12.90/kg
    rest = refunds.refund(
        ctx, staff.cashier, sold.sale_id, [(line.sale_item_id, 600)],
        reason="Changed mind", refund_uuid=refunds.new_refund_uuid(),
    )  # fmt: skip
    assert first.total_cents + rest.total_cents == 929
    kept = snapshot(ctx)
    rebuild(ctx)
    assert snapshot(ctx) == kept
