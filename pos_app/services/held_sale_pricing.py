"""What a held cart costs once recalled: its lines priced by the domain as a sale prices them,
at today's list prices with its changed prices, scale labels, discounts and today's promotions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from pos_app.db.sale_state import CartProduct
from pos_app.domain.cart import Cart, CartLine
from pos_app.domain.discounts import Discount
from pos_app.domain.pricing import PricedSale
from pos_app.domain.promotions import Promotion
from pos_app.domain.weights import LabelTotal
from pos_app.services.context import ServiceContext
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.till_promotions import promotions_for_sale


@dataclass(frozen=True)
class HeldLineInfo:
    product_id: int
    product_name: str
    sku: str
    quantity: int
    unit_price_cents: int
    price_override_cents: int | None
    discount: Discount | None = None
    override_approver_id: int | None = None
    sold_by: str = "piece"
    label_price_cents: int | None = None

    @property
    def items(self) -> int:
        """Pieces, or one for a weighed line."""
        return 1 if self.sold_by == "weight" else self.quantity

    def cart_line(self) -> CartLine:
        """The line as the domain's cart keeps it; its approver stays only with a changed price."""
        return CartLine(
            self.product_id,
            self.quantity,
            self.price_override_cents,
            self.override_approver_id if self.price_override_cents is not None else None,
            self.discount,
            weighed=self.sold_by == "weight",
            labels=None
            if self.label_price_cents is None
            else LabelTotal(self.label_price_cents, self.quantity),
        )


def held_line_info(line: HeldLine, product: CartProduct) -> HeldLineInfo:
    return HeldLineInfo(
        product_id=line.product_id,
        product_name=product.name,
        sku=product.sku,
        quantity=line.quantity,
        unit_price_cents=product.price_cents
        if line.price_override_cents is None
        else line.price_override_cents,
        price_override_cents=line.price_override_cents,
        discount=line.discount,
        override_approver_id=line.override_approver_id,
        sold_by=product.sold_by,
        label_price_cents=line.label_price_cents,
    )


def today_promotions(ctx: ServiceContext, session: Session) -> list[Promotion]:
    return promotions_for_sale(ctx, session, ctx.local_date(ctx.now()))


def price_held_cart(
    lines: Sequence[HeldLineInfo],
    cart_discount: Discount | None,
    products: dict[int, CartProduct],
    promotions: Sequence[Promotion],
) -> PricedSale:
    """The cart as the till will charge it once recalled."""
    cart = Cart([line.cart_line() for line in lines], cart_discount=cart_discount)
    prices = {product_id: product.pricing() for product_id, product in products.items()}
    return cart.price(prices, promotions)


__all__ = ["HeldLineInfo", "held_line_info", "price_held_cart", "today_promotions"]
