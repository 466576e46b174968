"""A cart kept outside the till's memory and put back: parked (held sales) or written to the
crash journal. These turn the domain's cart lines into the services' records and back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from pos_app.domain.cart import Cart
from pos_app.domain.cart import CartLine as DomainLine
from pos_app.services.catalog import ProductInfo
from pos_app.services.held_sale_json import HeldLine
from pos_app.services.held_sale_pricing import HeldLineInfo
from pos_app.services.open_cart import OpenCartLine
from pos_app.ui.checkout.cart_line import MAX_QUANTITY, ProductFacts


def held_lines(cart: Cart) -> list[HeldLine]:
    """The cart as parked: a weighed line with scale labels in its labelled and weighed parts."""
    return [
        HeldLine(
            line.product_id,
            grams,
            line.price_override_cents,
            line.discount,  # the same on each part: a recall merges them into one line
            line.approver_id,
            label_price,
        )
        for line in cart.lines
        for grams, label_price in line.sold_parts()
    ]


def kept_lines(lines: Sequence[OpenCartLine]) -> list[HeldLine]:
    """The lines of a cart kept on disk as a held cart has them."""
    return [
        HeldLine(
            line.product_id,
            line.quantity,
            line.price_override_cents,
            line.discount,
            line.override_approver_id,
            line.label_price_cents,
        )
        for line in lines
    ]


def recalled_lines(lines: Sequence[HeldLineInfo]) -> list[DomainLine]:
    return [held.cart_line() for held in lines]


def recalled_facts(
    lines: Sequence[HeldLineInfo], products: Mapping[int, ProductInfo]
) -> dict[int, ProductFacts]:
    """What the till shows of each line: today's list price and stock where the product is
    known, else what the kept line says (and no stock problem)."""
    facts: dict[int, ProductFacts] = {}
    for held in lines:
        product = products.get(held.product_id)
        if product is not None:
            facts[held.product_id] = replace(
                ProductFacts.of(product), name=held.product_name, sku=held.sku
            )
        else:
            facts[held.product_id] = ProductFacts(
                held.product_name, held.sku, held.unit_price_cents, MAX_QUANTITY, 0, held.sold_by
            )
    return facts


__all__ = ["held_lines", "recalled_facts", "recalled_lines"]
