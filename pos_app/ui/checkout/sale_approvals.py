"""Who approved what in the cart: the domain records the approver's id on each changed price and
discount; the till keeps the signed approvals (``ApprovalToken``) it was handed, by approver id,
to send with the sale. An id without a signed approval in hand (a recalled or restored cart
whose approval has run out) is asked for again at Pay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pos_app.domain.approvals import DiscountLimits
from pos_app.domain.cart import Cart
from pos_app.services.access import ApprovalToken
from pos_app.services.roles import Role


class SaleApprovals:
    def __init__(self, cart: Cart, changed: Callable[[], None], share: Callable[[], int]) -> None:
        self._cart = cart
        self._changed = changed
        self._share = share
        self._tokens: dict[int, ApprovalToken] = {}

    def token(self, approver_id: int | None) -> ApprovalToken | None:
        return None if approver_id is None else self._tokens.get(approver_id)

    def tokens(self) -> dict[int, ApprovalToken]:
        return dict(self._tokens)

    def keep(self, tokens: Mapping[int, ApprovalToken]) -> None:
        """Signed approvals still in hand (a cart put back): the lines show who approved."""
        self._tokens.update(tokens)
        self._changed()

    def clear(self) -> None:
        self._tokens.clear()

    def run_out(self) -> bool:
        """Whether someone approved a changed price or discount in this cart but the signed
        approval is no longer in hand (a cart put back after it ran out)."""
        cart = self._cart
        recorded = {
            line.approver_id for line in cart.lines if line.price_override_cents is not None
        }
        recorded |= {discount.approver_id for discount in cart.line_discounts().values()}
        if cart.cart_discount is not None:
            recorded.add(cart.cart_discount.approver_id)
        return any(approver_id not in self._tokens for approver_id in recorded - {None})

    def remember(self, approver: ApprovalToken | None) -> None:
        if approver is not None:
            self._tokens[approver.id] = approver

    # changed prices

    def override_approver(self) -> ApprovalToken | None:
        """The signed approval of the one person who approved every changed price, else None."""
        return self.token(self._cart.override_approver_id())

    def needs_override_approval(self) -> bool:
        """Whether the cart changes prices that no approval in hand covers."""
        return bool(self._cart.price_overrides()) and self.override_approver() is None

    def approve_overrides(self, approver: ApprovalToken) -> None:
        """Record ``approver`` as having approved every changed price in the cart."""
        self.remember(approver)
        self._cart.approve_overrides(approver.id)
        self._changed()

    def forget_override_approvals(self) -> None:
        self._cart.forget_override_approvals()
        self._changed()

    # discounts

    @property
    def discount_approver(self) -> ApprovalToken | None:
        return self.token(self._cart.discount_approver_id())

    def needs_discount_approval(self, limits: DiscountLimits, role: Role) -> bool:
        """Whether the cart's discounts go beyond ``role``'s limit with nobody covering them."""
        share = self._share()
        if limits.can_give(role, share):
            return False
        approver = self.discount_approver
        return approver is None or not limits.can_give(approver.role, share)

    def approve_discounts(self, approver: ApprovalToken | None) -> None:
        self.remember(approver)
        self._cart.approve_discounts(None if approver is None else approver.id)
        self._changed()

    def approver(self) -> ApprovalToken | None:
        """The one approver to send with the sale: the discounts' (a manager or the owner,
        so also good for changed prices), else the changed prices'."""
        if self.discount_approver is not None and self._share():
            return self.discount_approver
        return self.override_approver()


__all__ = ["SaleApprovals"]
