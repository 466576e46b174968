"""Every refund says why the goods came back: kept with it, on its slip, in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pos_app.db.models import Refund, SaleItem
from pos_app.domain.refunds import MAX_REASON, check_reason
from pos_app.services import audit, receipts, refunds
from pos_app.services.context import ServiceContext
from pos_app.services.errors import ValidationError
from pos_app.services.receipt_text import SlipLayout, refund_slip
from tests.services.shop_day import Shop, make_shop, sell


def _refund_bread(ctx: ServiceContext, shop: Shop, reason: object) -> receipts.RefundInfo:
    sale_id = sell(ctx, shop.cashier, [(shop.bread, 1)])
    receipt = receipts.get_receipt(ctx, shop.cashier, sale_id)
    return refunds.refund(
        ctx,
        shop.cashier,
        sale_id,
        [(receipt.lines[0].sale_item_id, 1)],
        reason=reason,  # type: ignore[arg-type]
        refund_uuid=refunds.new_refund_uuid(),
    )


def test_the_reason_is_kept_with_the_refund_and_shown_on_its_slip_and_audit_entry(
    ctx: ServiceContext,
) -> None:
    shop = make_shop(ctx)
    done = _refund_bread(ctx, shop, "  Wrong item: customer wanted rye  ")
    assert done.reason == "Wrong item: customer wanted rye"
    found = receipts.get_refund(ctx, shop.cashier, done.number)
    assert found.reason == "Wrong item: customer wanted rye"
    slip = refund_slip(found, SlipLayout(columns=42)).plain_text()
    assert "Reason" in slip and "Wrong item: customer wanted rye" in slip
    entry = audit.list_audit(ctx, shop.owner, action="refund").items[0]
    assert entry.detail["reason"] == "Wrong item: customer wanted rye"


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Choose or type the reason for the refund."),
        ("   ", "Choose or type the reason for the refund."),
        (None, "The reason for the refund must be text."),
        (42, "The reason for the refund must be text."),
        ("x" * (MAX_REASON + 1), "The reason for the refund is too long (120 characters at most)."),
        ("Damaged\x1b@", "The reason for the refund contains characters that are not allowed."),
        ("Damaged\nwet", "The reason for the refund contains characters that are not allowed."),
        ("\u202egnorw", "The reason for the refund contains characters that are not allowed."),
        ("Damaged\u200b", "The reason for the refund contains characters that are not allowed."),
        ("\ud800", "The reason for the refund must be text."),
    ],
)
def test_a_missing_overlong_or_hostile_reason_refunds_nothing(
    ctx: ServiceContext, reason: object, message: str
) -> None:
    shop = make_shop(ctx)
    with pytest.raises(ValidationError) as raised:
        _refund_bread(ctx, shop, reason)
    assert raised.value.message == message and raised.value.field == "reason"
    with ctx.unit_of_work(readonly=True) as session:
        assert session.scalar(select(func.count()).select_from(Refund)) == 0
        assert session.scalar(select(func.sum(SaleItem.refunded_quantity))) == 0


def test_a_reason_of_exactly_the_longest_length_and_in_any_script_is_kept() -> None:
    assert check_reason("é" * MAX_REASON) == "é" * MAX_REASON
    assert check_reason("Beschädigt (Karton nass)") == "Beschädigt (Karton nass)"
    assert check_reason("破損") == "破損"
