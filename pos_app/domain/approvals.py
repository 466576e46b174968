"""What needs a manager: a changed price, a discount above one's limit, a large refund.

A manager or the owner approves their own changes; a cashier names one, who must still hold
that role and be active when the sale or refund is written. The services look up the approver's
current role (None when the account is gone or deactivated) and ask these rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pos_app.domain.checks import check_id
from pos_app.domain.discount_limits import (
    DEFAULT_CASHIER_DISCOUNT_LIMIT_BP,
    DEFAULT_MANAGER_DISCOUNT_LIMIT_BP,
    DiscountLimits,
)
from pos_app.domain.discounts import format_percent
from pos_app.domain.errors import PermissionDeniedError
from pos_app.domain.pricing import changed_prices
from pos_app.domain.roles import Role
from pos_app.domain.shop_format import DEFAULT_FORMAT, ShopFormat

APPROVER_ROLE = Role.MANAGER
REFUND_NEEDS_A_MANAGER = "a manager must approve the refund"


@dataclass(frozen=True)
class Staff:
    """A person acting or approving, with the role the database holds for them now."""

    id: int
    role: Role | None


def can_approve(role: Role | None) -> bool:
    return role is not None and role.allows(APPROVER_ROLE)


def prices_need_approval(overrides: Mapping[int, int], list_prices: Mapping[int, int]) -> bool:

    return bool(changed_prices(overrides, list_prices))


def price_approver(
    actor: Staff,
    approver: Staff | None,
    *,
    overrides: Mapping[int, int],
    list_prices: Mapping[int, int],
) -> int | None:
    """The id of whoever approves the cart's changed prices; None when no price changed.

    ``approver.role`` is None when that account does not exist or has been deactivated.
    """
    if not prices_need_approval(overrides, list_prices):
        return None
    if approver is None:
        if can_approve(actor.role):
            return actor.id
        raise PermissionDeniedError("A manager or the owner must approve a changed price.")
    if approver.id == actor.id and not can_approve(actor.role):
        raise PermissionDeniedError(
            "You cannot approve your own changed price; ask a manager or the owner."
        )
    if approver.role is None:
        raise PermissionDeniedError(
            "The approving account has been deactivated; "
            "a manager or the owner must approve a changed price."
        )
    if not can_approve(approver.role):
        raise PermissionDeniedError("Only a manager or the owner can approve a changed price.")
    return approver.id


def refund_needs_approval(total_cents: int, threshold_cents: int) -> bool:
    return total_cents > threshold_cents


def refund_approver(
    actor: Staff,
    approver: Staff | None,
    *,
    total_cents: int,
    threshold_cents: int,
    shop: ShopFormat = DEFAULT_FORMAT,
) -> int | None:
    """The id of whoever approves a refund; None when it is within the threshold.

    A named approver is always checked and recorded, whatever the amount: active, a manager or
    the owner, and not the cashier asking. ``approver.role`` is None when that account does not
    exist or has been deactivated. ``shop`` writes the threshold in the refusal.
    """
    if approver is not None:
        if approver.role is None:
            raise PermissionDeniedError(
                f"The approving account has been deactivated; {REFUND_NEEDS_A_MANAGER}."
            )
        if approver.id == actor.id and not can_approve(actor.role):
            raise PermissionDeniedError("You cannot approve your own request; ask a manager.")
        if not can_approve(approver.role):
            raise PermissionDeniedError(
                f"Only a manager or the owner can approve; {REFUND_NEEDS_A_MANAGER}."
            )
        return approver.id
    if not refund_needs_approval(total_cents, threshold_cents):
        return None
    if can_approve(actor.role):
        return actor.id
    raise PermissionDeniedError(
        f"Refunds over {shop.money(threshold_cents)} need a manager's approval."
    )


def discount_approver(
    actor: Staff, approver: Staff | None, *, share_bp: int, limits: DiscountLimits
) -> int | None:
    """The id of whoever approves a discount of ``share_bp``; None when the actor may give it.

    ``approver.role`` is None when that account does not exist or has been deactivated.
    """
    if approver is None or approver.id == actor.id:
        if limits.can_give(actor.role, share_bp):
            return None if actor.role is Role.CASHIER else actor.id
        raise PermissionDeniedError(
            f"A discount of {format_percent(share_bp)} needs {limits.who_can_give(share_bp)} "
            "to approve it."
        )
    check_id(approver.id, "discount_approver", "approver")
    if approver.role is None:
        raise PermissionDeniedError(
            "The approving account has been deactivated; "
            f"{limits.who_can_give(share_bp)} must approve the discount."
        )
    if not limits.can_give(approver.role, share_bp):
        raise PermissionDeniedError(
            f"Only {limits.who_can_give(share_bp)} can approve a discount of "
            f"{format_percent(share_bp)}."
        )
    return approver.id


__all__ = [
    "APPROVER_ROLE",
    "DEFAULT_CASHIER_DISCOUNT_LIMIT_BP",
    "DEFAULT_MANAGER_DISCOUNT_LIMIT_BP",
    "DiscountLimits",
    "Staff",
    "can_approve",
    "discount_approver",
    "price_approver",
    "prices_need_approval",
    "refund_approver",
    "refund_needs_approval",
]
