"""Pricing a whole cart: each line's promotion, its own discount and its share of the cart's.

A line first costs its quantity at its unit price (or its grams at the price per kg, and what its
scale labels say); promotions then apply, then each line's own discount on what the line still
costs, then the cart discount on what the cart still costs, shared over the lines by largest
remainder. What comes off a line is kept on it as :class:`pos_app.domain.pricing.LineDiscount`
items, and the line is then priced as :mod:`pos_app.domain.pricing` prices any line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pos_app.domain.discounts import Discount, allocate
from pos_app.domain.errors import ValidationError
from pos_app.domain.pricing import (
    DiscountSource,
    LineDiscount,
    PricedLine,
    PricedSale,
    ProductPrice,
    priced_line,
    unit_price,
)
from pos_app.domain.promotions import PromotableLine, Promotion, apply_promotions
from pos_app.domain.tax import tax_contained
from pos_app.domain.weights import LabelTotal, SoldBy, weighed_amount_cents


def price_sale(
    quantities: Mapping[int, int],
    products: Mapping[int, ProductPrice],
    overrides: Mapping[int, int] | None = None,
    labels: Mapping[int, LabelTotal] | None = None,
    *,
    promotions: Iterable[Promotion] = (),
    line_discounts: Mapping[int, Discount] | None = None,
    cart_discount: Discount | None = None,
) -> PricedSale:
    """Price each (product, quantity) in cart order; every product must be known.

    A line first costs its quantity at its unit price, or for a weighed line its grams at the
    price per kg; ``labels`` are the scale labels' prices and grams, by product: the grams they
    cover cost what they say, whatever the price per kg. Promotions then apply (see
    :mod:`pos_app.domain.promotions`; a line with a changed price is in none), then each line's
    own discount on what the line still costs, then the cart discount on what the cart still
    costs, shared over the lines by largest remainder.
    """
    charged = overrides or {}
    fixed = labels or {}
    by_line = line_discounts or {}
    _check_in_cart("price override", "price_overrides", charged, quantities)
    _check_in_cart("discount", "line_discounts", by_line, quantities)
    bases = [
        _base(products, product_id, quantity, charged.get(product_id), fixed.get(product_id))
        for product_id, quantity in quantities.items()
    ]
    reductions: list[list[LineDiscount]] = [[] for _ in bases]
    _apply_promotions(bases, charged, promotions, reductions)
    share_bp = _apply_line_discounts(bases, by_line, reductions)
    if cart_discount is not None:
        share_bp = max(share_bp, _apply_cart_discount(bases, cart_discount, reductions))
    return PricedSale(
        tuple(
            _priced(products[base.product_id], base, tuple(reduction))
            for base, reduction in zip(bases, reductions, strict=True)
        ),
        share_bp,
    )


def _priced(
    product: ProductPrice, base: PromotableLine, discounts: tuple[LineDiscount, ...]
) -> PricedLine:
    if base.weighed:
        return _discounted_weighed_line(product, base, discounts)
    return priced_line(
        base.product_id,
        base.category_id,
        base.quantity,
        base.unit_price_cents,
        product.tax_rate_bp,
        original_unit_price_cents=product.list_price_cents,
        discounts=discounts,
    )


def _discounted_weighed_line(
    product: ProductPrice, base: PromotableLine, discounts: tuple[LineDiscount, ...]
) -> PricedLine:
    revenue = base.amount_cents - sum(discount.cents for discount in discounts)
    if revenue < 0:
        raise ValueError("discounts take more than the line")
    return PricedLine(
        base.product_id,
        base.category_id,
        base.quantity,
        base.unit_price_cents,
        revenue,
        product.tax_rate_bp,
        tax_contained(revenue, product.tax_rate_bp),
        product.list_price_cents,
        discounts,
        weighed=True,
        weighed_cents=base.amount_cents,
    )


def _check_in_cart(
    what: str, field: str, by_product: Mapping[int, object], quantities: Mapping[int, int]
) -> None:
    if stray := sorted(set(by_product) - set(quantities)):
        raise ValidationError(
            f"Product {stray[0]} has a {what} but is not in the cart.", field=field
        )


def _base(
    products: Mapping[int, ProductPrice],
    product_id: int,
    quantity: int,
    override: int | None,
    labels: LabelTotal | None,
) -> PromotableLine:
    product = products.get(product_id)
    if product is None:
        raise ValidationError(f"Product {product_id} has no price.", field="lines")
    price = unit_price(product, override)
    if product.sold_by == SoldBy.WEIGHT:
        if labels is not None and not 0 <= labels.grams <= quantity:
            raise ValidationError("The scale labels weigh more than the line.", field="lines")
        return PromotableLine(
            product_id,
            product.category_id,
            quantity,
            price,
            weighed_cents=weighed_amount_cents(price, quantity, labels),
        )
    if labels is not None:
        raise ValidationError(
            f"Product {product_id} is not sold by weight; a scale label cannot price it.",
            field="lines",
        )
    return PromotableLine(product_id, product.category_id, quantity, price)


def _left(base: PromotableLine, reductions: list[LineDiscount]) -> int:
    return base.amount_cents - sum(item.cents for item in reductions)


def _apply_promotions(
    bases: list[PromotableLine],
    overrides: Mapping[int, int],
    promotions: Iterable[Promotion],
    reductions: list[list[LineDiscount]],
) -> None:
    offered = list(promotions)
    if not offered:
        return
    open_indexes = [i for i, base in enumerate(bases) if base.product_id not in overrides]
    applied = apply_promotions([bases[i] for i in open_indexes], offered)
    for index, promotion in zip(open_indexes, applied, strict=True):
        if promotion is not None:
            reductions[index].append(
                LineDiscount(
                    DiscountSource.PROMOTION,
                    promotion.name,
                    promotion.saving_cents,
                    promotion.promotion_id,
                )
            )


def _apply_line_discounts(
    bases: list[PromotableLine],
    line_discounts: Mapping[int, Discount],
    reductions: list[list[LineDiscount]],
) -> int:
    largest_share = 0
    for base, reduction in zip(bases, reductions, strict=True):
        discount = line_discounts.get(base.product_id)
        if discount is None:
            continue
        left = _left(base, reduction)
        largest_share = max(largest_share, discount.share_bp(left))
        reduction.append(LineDiscount(DiscountSource.LINE, discount.reason, discount.off(left)))
    return largest_share


def _apply_cart_discount(
    bases: list[PromotableLine], discount: Discount, reductions: list[list[LineDiscount]]
) -> int:
    left = [_left(base, reduction) for base, reduction in zip(bases, reductions, strict=True)]
    cart_left = sum(left)
    shares = allocate(discount.off(cart_left), left)
    for reduction, share in zip(reductions, shares, strict=True):
        reduction.append(LineDiscount(DiscountSource.CART, discount.reason, share))
    return discount.share_bp(cart_left)


__all__ = ["price_sale"]
