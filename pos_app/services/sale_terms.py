"""A cart's lines that sell, priced and approved, with their payments checked: what a purchase
writes.

``checkout.purchase`` asks for the sale of every line it can sell before it takes any stock, so
the stock takes and the writes go to the database together; after a refused line it asks for
the sale of the lines whose stock it took. Prices come from :mod:`pos_app.domain.pricing`, who
may approve a discount from :mod:`pos_app.domain.approvals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from pos_app.db.sale_state import CartProduct, SaleState
from pos_app.db.sale_store import NewSale, StockTaken
from pos_app.domain.discounts import Discount
from pos_app.domain.errors import PosError
from pos_app.domain.pricing import PricedLine, PricedSale
from pos_app.domain.promotions import Promotion
from pos_app.domain.purchase_lines import out_of_stock, unsellable_quantity
from pos_app.domain.sale_pricing import price_sale
from pos_app.domain.tenders import PaymentLine
from pos_app.domain.weights import LabelTotal
from pos_app.services.cart_lines import FailedLine
from pos_app.services.context import ServiceContext
from pos_app.services.payments import PaymentIn
from pos_app.services.roles import UserInfo
from pos_app.services.sales import SoldLine
from pos_app.services.settlement import Approval, Override, approve_discounts, sale_tenders


@dataclass(frozen=True)
class SaleRequest:
    """The cart as a purchase was asked for it, its values checked."""

    wanted: dict[int, int]
    failed: list[FailedLine]
    overrides: dict[int, int]
    payments: Sequence[PaymentIn]
    labels: dict[int, LabelTotal] = field(default_factory=dict)
    line_discounts: dict[int, Discount] = field(default_factory=dict)
    cart_discount: Discount | None = None


@dataclass(frozen=True)
class SaleTerms:
    """What a sale is written under: who sells, the cart, what was read, when, the promotions."""

    ctx: ServiceContext
    actor: UserInfo
    key: str
    cart: SaleRequest
    state: SaleState
    approval: Approval | None
    approver_id: int | None
    now: datetime
    promotions: list[Promotion]


@dataclass(frozen=True)
class WrittenSale:
    """A priced sale with what it shows, audits and is paid with."""

    sale: NewSale
    sold: list[SoldLine]
    changed: list[Override]
    tenders: list[PaymentLine]
    discount_approval: Approval | None


def whole_sale(terms: SaleTerms, sellable: list[tuple[CartProduct, int]]) -> WrittenSale | None:
    """The sale of every sellable line, or None when it fails its own checks (an approval, the
    payments): the long way then takes the stock first, as a refused line answers before those."""
    if not sellable:
        return None
    try:
        return written_sale(terms, sellable)
    except PosError:
        return None


def written_sale(terms: SaleTerms, selling: list[tuple[CartProduct, int]]) -> WrittenSale:
    """The lines that sell, priced and approved, with their payments checked."""
    ctx, cart, products = terms.ctx, terms.cart, terms.state.products
    priced = _price(cart, selling, terms.promotions)
    discount_approval = approve_discounts(
        terms.actor,
        terms.approver_id,
        priced.manual_share_bp,
        terms.state.approver,
        ctx.discount_limits,
    )
    lines = list(priced.lines)
    sold = [_sold_line(product, line) for (product, _), line in zip(selling, lines, strict=True)]
    changed = [
        Override(
            line.product_id,
            line.product_name,
            line.quantity,
            products[line.product_id].price_cents,
            line.unit_price_cents,
        )
        for line in sold
        if line.product_id in cart.overrides
    ]
    sale = NewSale(
        terms.key, ctx.till_id, terms.now, ctx.local_date(terms.now), terms.state.shift_id, lines
    )
    tenders = sale_tenders(ctx, sale, cart.payments)
    return WrittenSale(sale, sold, changed, tenders, discount_approval)


def _price(
    cart: SaleRequest,
    selling: list[tuple[CartProduct, int]],
    promotions: list[Promotion],
) -> PricedSale:
    """The lines that sell, priced with today's promotions and the cart's discounts."""
    sold = {product.id for product, _ in selling}
    return price_sale(
        {product.id: quantity for product, quantity in selling},
        {product.id: product.pricing() for product, _ in selling},
        {pid: price for pid, price in cart.overrides.items() if pid in sold},
        {pid: total for pid, total in cart.labels.items() if pid in sold},
        promotions=promotions,
        line_discounts={pid: off for pid, off in cart.line_discounts.items() if pid in sold},
        cart_discount=cart.cart_discount,
    )


def _sold_line(product: CartProduct, line: PricedLine) -> SoldLine:
    return SoldLine(
        product_id=product.id,
        product_name=product.name,
        sku=product.sku,
        quantity=line.quantity,
        unit_price_cents=line.unit_price_cents,
        revenue_cents=line.revenue_cents,
        sold_by=product.sold_by,
        original_unit_price_cents=line.original_unit_price_cents,
        discount_cents=line.discount_cents,
        discount_name=line.discount_name,
    )


def sellable_lines(
    cart: SaleRequest, products: dict[int, CartProduct]
) -> tuple[list[tuple[CartProduct, int]], list[FailedLine]]:
    """The cart's lines that may sell (with their products), and those that may not, and why."""
    failed = [
        replace(line, product_name=_name_of(products, line.product_id)) for line in cart.failed
    ]
    sellable: list[tuple[CartProduct, int]] = []
    for product_id, quantity in cart.wanted.items():
        product = products.get(product_id)
        if product is None:
            message = "This product does not exist (any more)."
            failed.append(FailedLine(product_id, None, quantity, "unknown_product", message))
        elif not product.is_active:
            message = f"{product.name} is no longer sold."
            failed.append(FailedLine(product_id, product.name, quantity, "inactive", message))
        elif refused := unsellable_quantity(
            product_id, product.name, quantity, product.is_weighed, cart.labels.get(product_id)
        ):
            failed.append(refused)
        else:
            sellable.append((product, quantity))
    return sellable, failed


def out_of_stock_lines(
    sellable: list[tuple[CartProduct, int]], stock: StockTaken
) -> list[FailedLine]:
    """The lines whose stock was not there, in product order, each saying what is left."""
    return [
        out_of_stock(product.id, product.name, quantity, stock.left[product.id], product.sold_by)
        for product, quantity in sorted(sellable, key=lambda item: item[0].id)
        if product.id in stock.left
    ]


def _name_of(products: dict[int, CartProduct], product_id: int) -> str | None:
    product = products.get(product_id)
    return product.name if product is not None else None


__all__ = [
    "SaleRequest",
    "SaleTerms",
    "WrittenSale",
    "out_of_stock_lines",
    "sellable_lines",
    "whole_sale",
    "written_sale",
]
