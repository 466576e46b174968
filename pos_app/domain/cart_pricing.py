"""Pricing a cart again after every change without working out every line again.

A change of one line moves only that line's price, unless something ties lines together: a
promotion covering several lines (a multi-buy over a category, a bundle) or the cart's discount,
shared over all lines. :class:`CartPricer` prices the lines no promotion covers one by one and
keeps each until it changes, prices the covered lines together, and prices the whole cart at once
when it has a cart discount. The result is the same, line for line, as
:func:`pos_app.domain.sale_pricing.price_sale` over the whole cart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from pos_app.domain.cart import Cart, CartLine
from pos_app.domain.pricing import (
    DiscountSource,
    PricedLine,
    PricedSale,
    ProductPrice,
)
from pos_app.domain.promotions import Promotion
from pos_app.domain.sale_pricing import price_sale

_Key = tuple[CartLine, ProductPrice]


class CartPricer:
    def __init__(self) -> None:
        self._alone: dict[int, tuple[_Key, PricedSale]] = {}

    def price(
        self, cart: Cart, products: Mapping[int, ProductPrice], promotions: Iterable[Promotion]
    ) -> PricedSale:
        running = list(promotions)
        if cart.cart_discount is not None:
            return cart.price(products, running)
        lines = cart.lines
        covered = [line for line in lines if _covered(line, products, running)]
        together = _price_lines(covered, products, running) if covered else PricedSale(())
        by_product = {line.product_id: line for line in together.lines}
        share = together.manual_share_bp
        priced: list[PricedLine] = []
        for line in lines:
            found = by_product.get(line.product_id)
            if found is None:
                alone = self._alone_price(line, products[line.product_id])
                found, share = alone.lines[0], max(share, alone.manual_share_bp)
            priced.append(found)
        self._forget_all_but(lines)
        return PricedSale(tuple(priced), share)

    def _alone_price(self, line: CartLine, product: ProductPrice) -> PricedSale:
        key = (line, product)
        kept = self._alone.get(line.product_id)
        if kept is not None and kept[0] == key:
            return kept[1]
        priced = _price_lines([line], {line.product_id: product}, ())
        self._alone[line.product_id] = (key, priced)
        return priced

    def _forget_all_but(self, lines: Sequence[CartLine]) -> None:
        if len(self._alone) > len(lines):
            keep = {line.product_id for line in lines}
            for product_id in [known for known in self._alone if known not in keep]:
                del self._alone[product_id]


def before_line_discount(line: PricedLine) -> int:
    """What a line's own discount applies to: the line after its promotion."""
    return line.undiscounted_cents - _taken(line, DiscountSource.PROMOTION)


def before_cart_discount(sale: PricedSale) -> int:
    """What the cart's discount applies to: the cart after the lines' own discounts."""
    return sum(line.revenue_cents + _taken(line, DiscountSource.CART) for line in sale.lines)


def _taken(line: PricedLine, source: DiscountSource) -> int:
    return sum(discount.cents for discount in line.discounts if discount.source is source)


def _covered(
    line: CartLine, products: Mapping[int, ProductPrice], promotions: Sequence[Promotion]
) -> bool:
    category = products[line.product_id].category_id
    return any(promotion.covers(line.product_id, category) for promotion in promotions)


def _price_lines(
    lines: Sequence[CartLine], products: Mapping[int, ProductPrice], promotions: Iterable[Promotion]
) -> PricedSale:
    return price_sale(
        {line.product_id: line.quantity for line in lines},
        products,
        {
            line.product_id: line.price_override_cents
            for line in lines
            if line.price_override_cents is not None
        },
        {line.product_id: line.labels for line in lines if line.labels is not None},
        promotions=promotions,
        line_discounts={
            line.product_id: line.discount for line in lines if line.discount is not None
        },
    )


__all__ = ["CartPricer", "before_cart_discount", "before_line_discount"]
