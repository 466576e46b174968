from __future__ import annotations

import threading
from dataclasses import replace

import jwt
import pytest
from sqlalchemy import func, select

from pos_app.db.models import Inventory, Sale, SaleItem, StockMovement
from pos_app.services import audit, receipts, refunds, shifts
from pos_app.services.access import REFUND_APPROVAL, ApprovalToken, UserSession
from pos_app.services.catalog import ProductInfo
from pos_app.services.context import ServiceContext
from pos_app.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from pos_app.services.payments import PaymentIn
from pos_app.services.roles import Role
from pos_app.services.tax import tax_contained
from tests.factories import approval_of
from tests.services.shop_day import DRINKS_BP, FOOD_BP, Shop, make_shop, sell


def line_of(ctx: ServiceContext, shop: Shop, sale_id: int, product: ProductInfo) -> int:
    receipt = receipts.get_receipt(ctx, shop.cashier, sale_id)
    return next(line.sale_item_id for line in receipt.lines if line.product_id == product.id)


def stock_of(ctx: ServiceContext, product: ProductInfo) -> int:
    with ctx.unit_of_work(readonly=True) as session:
        return (
            session.scalar(select(Inventory.quantity).where(Inventory.product_id == product.id))
            or 0
        )


def test_a_partial_refund_returns_stock_and_recomputes_tax(ctx: ServiceContext) -> None:
    shop = make_shop(ctx, stock=10)
    sale_id = sell(ctx, shop.cashier, [(shop.cheese, 3), (shop.wine, 1)])
    item = line_of(ctx, shop, sale_id, shop.cheese)
    done = refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(item, 2)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    assert done.total_cents == 2 * 599
    assert done.tax_cents == tax_contained(2 * 599, FOOD_BP)
    assert [(line.quantity, line.amount_cents) for line in done.lines] == [(2, 1198)]
    assert done.receipt_number == receipts.receipt_number(sale_id)
    assert done.number.startswith("F") and done.approved_by_name is None
    assert stock_of(ctx, shop.cheese) == 10 - 3 + 2
    with ctx.unit_of_work(readonly=True) as session:
        movement = session.scalars(
            select(StockMovement).where(
                StockMovement.product_id == shop.cheese.id, StockMovement.reason == "refund"
            )
        ).one()
        assert (movement.quantity_change, movement.sale_id) == (2, sale_id)
        sale = session.get(Sale, sale_id)
        assert sale is not None and sale.total_cents == 3 * 599 + 1250  # the sale is untouched
    receipt = receipts.get_receipt(ctx, shop.cashier, sale_id)
    cheese = next(line for line in receipt.lines if line.sale_item_id == item)
    assert (cheese.refunded_quantity, cheese.returnable_quantity) == (2, 1)
    assert receipt.refunds == [done] and receipt.refunded_cents == 1198


def test_never_more_than_sold_minus_already_returned(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 3)])
    item = line_of(ctx, shop, sale_id, shop.bread)
    refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(item, 2)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    with pytest.raises(ConflictError, match="Only 1"):
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            [(item, 2)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    with pytest.raises(ConflictError):
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            [(item, 1), (item, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(item, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    assert stock_of(ctx, shop.bread) == 50
    assert len(refunds.sale_refunds(ctx, shop.cashier, sale_id)) == 2


def test_two_tills_refunding_the_same_line_at_once_return_it_once(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 3)])
    item = line_of(ctx, shop, sale_id, shop.bread)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def refund_from(till: str) -> None:
        till_ctx = replace(ctx, till_id=till)
        barrier.wait()
        try:
            refunds.refund(
                till_ctx,
                shop.cashier,
                sale_id,
                [(item, 2)],
                reason="Changed mind",
                refund_uuid=refunds.new_refund_uuid(),
            )
            outcomes.append("refunded")
        except ConflictError:
            outcomes.append("refused")

    threads = [threading.Thread(target=refund_from, args=(f"till-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refunded", "refused"]
    with ctx.unit_of_work(readonly=True) as session:
        assert session.scalar(select(SaleItem.refunded_quantity).where(SaleItem.id == item)) == 2
    assert stock_of(ctx, shop.bread) == 50 - 3 + 2


def test_a_retried_refund_id_returns_the_first_refund(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 3)])
    other = sell(ctx, shop.cashier, [(shop.bread, 1)])
    item = line_of(ctx, shop, sale_id, shop.bread)
    key = refunds.new_refund_uuid()
    first = refunds.refund(
        ctx, shop.cashier, sale_id, [(item, 1)], reason="Changed mind", refund_uuid=key
    )
    again = refunds.refund(
        ctx, shop.cashier, sale_id, [(item, 1)], reason="Changed mind", refund_uuid=key
    )
    assert again == first
    assert stock_of(ctx, shop.bread) == 50 - 4 + 1
    with pytest.raises(ConflictError):
        refunds.refund(
            ctx, shop.cashier, other, [(item, 1)], reason="Changed mind", refund_uuid=key
        )


def test_big_refunds_need_a_managers_approval(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.wine, 6)])
    item = line_of(ctx, shop, sale_id, shop.wine)
    assert ctx.refund_approval_cents < 5 * 1250
    with pytest.raises(PermissionDeniedError, match="approval"):
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            [(item, 5)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    with pytest.raises(PermissionDeniedError):
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            [(item, 5)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
            approver=shop.cashier,  # type: ignore[arg-type]
        )
    with pytest.raises(PermissionDeniedError, match="Only a manager or the owner"):
        approval_of(ctx, shop.cashier, shop.cashier, REFUND_APPROVAL)
    approved = refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(item, 4)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
        approver=approval_of(ctx, shop.cashier, shop.manager, REFUND_APPROVAL),
    )
    assert approved.approved_by_name == "Mona Manager"
    by_manager = refunds.refund(
        ctx,
        shop.manager,
        sale_id,
        [(item, 2)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    assert by_manager.total_cents == 2500 and by_manager.approved_by_name is None


def test_a_refund_at_the_threshold_needs_no_approval(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.wine, 5)])
    item = line_of(ctx, shop, sale_id, shop.wine)
    strict = replace(ctx, refund_approval_cents=2500)
    refunds.refund(
        strict,
        shop.cashier,
        sale_id,
        [(item, 2)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    with pytest.raises(PermissionDeniedError):
        refunds.refund(
            strict,
            shop.cashier,
            sale_id,
            [(item, 3)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    big = refunds.refund(
        strict,
        shop.manager,
        sale_id,
        [(item, 3)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    assert big.approved_by_name == "Mona Manager"
    assert big.tax_cents == tax_contained(3750, DRINKS_BP)


def test_a_card_refund_cannot_exceed_what_the_card_paid(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(
        ctx, shop.cashier, [(shop.cheese, 2)], [PaymentIn("card", 500), PaymentIn("cash", 698)]
    )
    item = line_of(ctx, shop, sale_id, shop.cheese)
    with pytest.raises(ValidationError) as error:
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            [(item, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
            tender="card",
        )
    assert error.value.field == "tender"
    assert str(error.value) == "Only €5.00 can go back to the card; refund the rest in cash."
    cash = refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(item, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    assert cash.tender == "cash"


def test_refunds_go_on_the_open_shift_and_into_the_audit_log(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 1)])
    shifts.close_shift(ctx, shop.owner, 249)
    shift = shifts.open_shift(ctx, shop.cashier, 0)
    item = line_of(ctx, shop, sale_id, shop.bread)
    refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(item, 1)],
        reason="Changed mind",
        refund_uuid=refunds.new_refund_uuid(),
    )
    report = shifts.z_report(ctx, shop.cashier, shift.id)
    assert (report.refunds_count, report.cash_refunds_cents, report.sales_count) == (1, 249, 0)
    entry = audit.list_audit(ctx, shop.owner, action="refund").items[0]
    assert entry.subject == receipts.receipt_number(sale_id)
    assert entry.detail["lines"] == [[item, 1]] and entry.detail["total_cents"] == 249


def test_lines_must_belong_to_the_receipt(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 1)])
    other = sell(ctx, shop.cashier, [(shop.cheese, 1)])
    foreign = line_of(ctx, shop, other, shop.cheese)
    with pytest.raises(ValidationError):
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            [(foreign, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    with pytest.raises(NotFoundError):
        refunds.refund(
            ctx,
            shop.cashier,
            999_999,
            [(foreign, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )
    with ctx.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.sum(SaleItem.refunded_quantity))) == 0


@pytest.mark.parametrize(
    ("lines", "uuid", "tender"),
    [
        ([], None, "cash"),
        ("1,1", None, "cash"),
        ([(1,)], None, "cash"),
        ([(1, 0)], None, "cash"),
        ([(1, -2)], None, "cash"),
        ([(1, 1.5)], None, "cash"),
        ([("1 OR 1=1", 1)], None, "cash"),
        ([(1, 10**9)], None, "cash"),
        ([(1, 1)], "not-a-uuid", "cash"),
        ([(1, 1)], None, "voucher"),
    ],
)
def test_malformed_refunds_are_validation_errors(
    ctx: ServiceContext, lines: object, uuid: str | None, tender: str
) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 1)])
    with pytest.raises(ValidationError):
        refunds.refund(
            ctx,
            shop.cashier,
            sale_id,
            lines,  # type: ignore[arg-type]
            reason="Changed mind",
            refund_uuid=uuid or refunds.new_refund_uuid(),
            tender=tender,
        )


def test_refund_limits_are_told_in_the_shops_currency(ctx: ServiceContext) -> None:
    shop = make_shop(ctx)
    pounds = replace(ctx, currency="GBP", refund_approval_cents=100)
    sale_id = sell(
        pounds, shop.cashier, [(shop.cheese, 2)], [PaymentIn("card", 500), PaymentIn("cash", 698)]
    )
    item = line_of(pounds, shop, sale_id, shop.cheese)
    with pytest.raises(ValidationError, match=r"^Only £5\.00 can go back to the card"):
        refunds.refund(
            pounds,
            shop.manager,
            sale_id,
            [(item, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
            tender="card",
        )
    with pytest.raises(PermissionDeniedError, match=r"^Refunds over £1\.00 need a manager"):
        refunds.refund(
            pounds,
            shop.cashier,
            sale_id,
            [(item, 1)],
            reason="Changed mind",
            refund_uuid=refunds.new_refund_uuid(),
        )


def test_a_cashier_cannot_approve_their_own_refund_by_claiming_to_be_a_manager(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx)
    sale_id = sell(ctx, shop.cashier, [(shop.wine, 6)])
    item = line_of(ctx, shop, sale_id, shop.wine)
    dressed_up = replace(shop.cashier.user, role=Role.MANAGER)
    now = int(ctx.now().timestamp())
    claims = {
        "sub": str(shop.cashier.id),
        "role": "manager",
        "purpose": "approval",
        "action": REFUND_APPROVAL,
        "for": shop.cashier.id,
        "iat": now,
        "exp": now + 60,
    }
    forged = jwt.encode(claims, "another secret" * 4, "HS256")
    claimed = [
        dressed_up,  # an account description says nothing
        UserSession(token=shop.cashier.token, user=dressed_up),  # a session is not an approval
        # Signed with the shop's own secret (as if it leaked): the database still says cashier.
        ApprovalToken(jwt.encode(claims, ctx.jwt_secret, "HS256"), dressed_up, REFUND_APPROVAL),
        # Signed with another secret.
        ApprovalToken(forged, dressed_up, REFUND_APPROVAL),
    ]
    for approver in claimed:
        with pytest.raises(PermissionDeniedError):
            refunds.refund(
                ctx,
                shop.cashier,
                sale_id,
                [(item, 5)],
                reason="Changed mind",
                refund_uuid=refunds.new_refund_uuid(),
                approver=approver,  # type: ignore[arg-type]
            )
    with pytest.raises(PermissionDeniedError):
        approval_of(ctx, shop.cashier, shop.cashier, REFUND_APPROVAL)
    assert refunds.sale_refunds(ctx, shop.cashier, sale_id) == []
