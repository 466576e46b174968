"""What needs a manager: a changed price, and a refund over the shop's threshold or named."""

from __future__ import annotations

import pytest

from pos_app.domain.approvals import (
    Staff,
    can_approve,
    price_approver,
    prices_need_approval,
    refund_approver,
    refund_needs_approval,
)
from pos_app.domain.errors import PermissionDeniedError
from pos_app.domain.roles import Role
from pos_app.domain.shop_format import ShopFormat

CASHIER = Staff(1, Role.CASHIER)
MANAGER = Staff(2, Role.MANAGER)
OWNER = Staff(3, Role.OWNER)
LIST = {10: 250, 11: 400}
CHANGED = {10: 199}


def test_only_managers_and_owners_approve() -> None:
    assert [can_approve(role) for role in Role] == [False, True, True]
    assert not can_approve(None)


def test_a_price_typed_equal_to_the_list_price_needs_nobody() -> None:
    assert not prices_need_approval({10: 250}, LIST)
    assert price_approver(CASHIER, None, overrides={10: 250}, list_prices=LIST) is None


def test_managers_and_owners_approve_their_own_changed_prices() -> None:
    assert price_approver(MANAGER, None, overrides=CHANGED, list_prices=LIST) == MANAGER.id
    assert price_approver(OWNER, OWNER, overrides=CHANGED, list_prices=LIST) == OWNER.id


def test_a_cashier_changing_a_price_names_an_active_manager() -> None:
    assert price_approver(CASHIER, MANAGER, overrides=CHANGED, list_prices=LIST) == MANAGER.id


@pytest.mark.parametrize(
    ("approver", "message"),
    [
        (None, "A manager or the owner must approve a changed price."),
        (CASHIER, "You cannot approve your own changed price"),
        (Staff(2, None), "has been deactivated"),
        (Staff(4, Role.CASHIER), "Only a manager or the owner can approve"),
    ],
)
def test_a_cashiers_changed_price_without_a_valid_approver_is_refused(
    approver: Staff | None, message: str
) -> None:
    with pytest.raises(PermissionDeniedError, match=message):
        price_approver(CASHIER, approver, overrides=CHANGED, list_prices=LIST)


def test_refunds_up_to_the_threshold_need_nobody() -> None:
    assert not refund_needs_approval(5000, 5000)
    assert refund_needs_approval(5001, 5000)
    assert refund_approver(CASHIER, None, total_cents=5000, threshold_cents=5000) is None


def test_a_refund_over_the_threshold_is_approved_by_a_manager() -> None:
    assert refund_approver(MANAGER, None, total_cents=9000, threshold_cents=5000) == MANAGER.id
    assert refund_approver(CASHIER, OWNER, total_cents=9000, threshold_cents=5000) == OWNER.id
    with pytest.raises(PermissionDeniedError, match=r"Refunds over €50\.00 need a manager"):
        refund_approver(CASHIER, None, total_cents=9000, threshold_cents=5000)


def test_a_named_refund_approver_is_checked_whatever_the_amount() -> None:
    with pytest.raises(PermissionDeniedError, match=r"^Only a manager or the owner can approve"):
        refund_approver(CASHIER, Staff(4, Role.CASHIER), total_cents=1, threshold_cents=5000)
    with pytest.raises(PermissionDeniedError, match="deactivated"):
        refund_approver(CASHIER, Staff(2, None), total_cents=1, threshold_cents=5000)
    assert refund_approver(CASHIER, MANAGER, total_cents=1, threshold_cents=5000) == MANAGER.id


def test_a_cashier_cannot_approve_their_own_refund() -> None:
    with pytest.raises(PermissionDeniedError, match=r"^You cannot approve your own request"):
        refund_approver(CASHIER, CASHIER, total_cents=9000, threshold_cents=5000)


def test_managers_and_owners_may_name_themselves_for_a_refund() -> None:
    assert refund_approver(MANAGER, MANAGER, total_cents=9000, threshold_cents=5000) == MANAGER.id
    assert refund_approver(OWNER, OWNER, total_cents=1, threshold_cents=5000) == OWNER.id


def test_a_deactivated_approver_is_refused_before_anything_else() -> None:
    with pytest.raises(PermissionDeniedError) as raised:
        refund_approver(CASHIER, Staff(CASHIER.id, None), total_cents=1, threshold_cents=5000)
    assert str(raised.value) == (
        "The approving account has been deactivated; a manager must approve the refund."
    )


def test_the_refund_threshold_is_written_in_the_shops_format() -> None:
    with pytest.raises(PermissionDeniedError, match=r"^Refunds over £1\.00 need a manager"):
        refund_approver(
            CASHIER, None, total_cents=101, threshold_cents=100, shop=ShopFormat("en_GB", "GBP")
        )
    assert refund_approver(CASHIER, None, total_cents=100, threshold_cents=100) is None


def test_a_price_typed_for_a_product_not_in_the_cart_needs_nobody() -> None:
    assert price_approver(CASHIER, None, overrides={99: 1}, list_prices=LIST) is None


def test_an_approver_named_for_unchanged_prices_is_not_asked() -> None:
    unchanged = {10: 250}
    assert price_approver(CASHIER, Staff(4, None), overrides=unchanged, list_prices=LIST) is None
