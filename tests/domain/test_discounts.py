"""Manual discounts: what they take off, how a cart discount is shared, who may give them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos_app.domain.approvals import DiscountLimits, Staff, discount_approver
from pos_app.domain.discounts import (
    Discount,
    DiscountKind,
    allocate,
    make_discount,
    parse_percent,
)
from pos_app.domain.errors import PermissionDeniedError, ValidationError
from pos_app.domain.roles import Role

TEN_PERCENT = Discount(DiscountKind.PERCENT, 1000, "Damaged box")
LIMITS = DiscountLimits(cashier_bp=1000, manager_bp=5000)
CASHIER = Staff(1, Role.CASHIER)
MANAGER = Staff(2, Role.MANAGER)
OWNER = Staff(3, Role.OWNER)


def test_a_percentage_is_rounded_half_up_to_the_cent() -> None:
    assert TEN_PERCENT.off(1005) == 101
    assert TEN_PERCENT.off(1004) == 100
    assert Discount(DiscountKind.PERCENT, 10_000, "Free").off(999) == 999


def test_an_amount_never_takes_more_than_the_line() -> None:
    discount = Discount(DiscountKind.AMOUNT, 500, "Loyal customer")
    assert discount.off(1200) == 500
    assert discount.off(300) == 300


def test_the_share_of_an_amount_is_rounded_up() -> None:
    assert Discount(DiscountKind.AMOUNT, 100, "x").share_bp(300) == 3334
    assert Discount(DiscountKind.AMOUNT, 500, "x").share_bp(300) == 10_000
    assert TEN_PERCENT.share_bp(5) == 1000


def test_make_discount_names_the_field_a_person_must_fix() -> None:
    assert make_discount("amount", 250, "  Scratched ") == Discount(
        DiscountKind.AMOUNT, 250, "Scratched"
    )
    cases = [
        (("coupon", 10, "x"), "kind"),
        (("percent", 0, "x"), "value"),
        (("percent", 10_001, "x"), "value"),
        (("amount", True, "x"), "value"),
        (("amount", 100, "  "), "reason"),
    ]
    for args, field in cases:
        with pytest.raises(ValidationError) as raised:
            make_discount(*args)
        assert raised.value.field == field


def test_percentages_are_typed_as_people_write_them() -> None:
    assert parse_percent("10") == 1000
    assert parse_percent(" 12,5 % ") == 1250
    for text in ("0", "100.01", "ten", "1.234", "nan"):
        with pytest.raises(ValidationError):
            parse_percent(text)


def test_a_shared_amount_goes_by_largest_remainder_and_ties_to_the_earlier_line() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(10, [300, 100]) == [8, 2]
    assert allocate(0, [0, 0]) == [0, 0]


@given(
    st.lists(st.integers(0, 10**7), min_size=1, max_size=40).flatmap(
        lambda weights: st.tuples(st.just(weights), st.integers(0, sum(weights)))
    )
)
def test_shares_add_up_and_stay_within_their_weight(picked: tuple[list[int], int]) -> None:
    weights, total = picked
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(0 <= share <= weight for share, weight in zip(shares, weights, strict=True))
    assert shares == allocate(total, weights)


def test_a_cashier_gives_up_to_the_limit_alone() -> None:
    assert discount_approver(CASHIER, None, share_bp=1000, limits=LIMITS) is None


def test_above_the_cashiers_limit_a_manager_approves() -> None:
    with pytest.raises(PermissionDeniedError, match="a manager or the owner"):
        discount_approver(CASHIER, None, share_bp=1001, limits=LIMITS)
    assert discount_approver(CASHIER, MANAGER, share_bp=5000, limits=LIMITS) == MANAGER.id


def test_above_the_managers_limit_only_the_owner_approves() -> None:
    with pytest.raises(PermissionDeniedError, match="Only the owner"):
        discount_approver(CASHIER, MANAGER, share_bp=5001, limits=LIMITS)
    assert discount_approver(MANAGER, OWNER, share_bp=10_000, limits=LIMITS) == OWNER.id


def test_a_manager_approves_their_own_discount_within_their_limit() -> None:
    assert discount_approver(MANAGER, None, share_bp=3000, limits=LIMITS) == MANAGER.id


def test_a_deactivated_approver_or_a_cashier_cannot_approve() -> None:
    with pytest.raises(PermissionDeniedError, match="deactivated"):
        discount_approver(CASHIER, Staff(2, None), share_bp=2000, limits=LIMITS)
    with pytest.raises(PermissionDeniedError, match="Only a manager or the owner"):
        discount_approver(CASHIER, Staff(4, Role.CASHIER), share_bp=2000, limits=LIMITS)
