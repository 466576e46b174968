"""Prices of a sale: one shape of a line from the cart to the receipt.

A line is charged its unit price (the list price, or the changed price a manager approved) times
its quantity, less its promotion and discounts; its tax is what that tax-inclusive revenue
contains at the category's rate, rounded half up once per line. A sale's total and tax are the
sums of its lines, so the receipt, the stored sale and the reports add up to the same cent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.discounts import Discount, allocate
from pos_app.domain.errors import ValidationError
from pos_app.domain.promotions import PromotableLine, Promotion, apply_promotions
from pos_app.domain.tax import TaxRateTotal, tax_contained, tax_summary


@dataclass(frozen=True)
class ProductPrice:
    """What pricing needs to know of a product: its category, list price and tax rate."""

    product_id: int
    category_id: int
    list_price_cents: int
    tax_rate_bp: int


class DiscountSource(StrEnum):
    PROMOTION = "promotion"
    LINE = "line"
    CART = "cart"


@dataclass(frozen=True)
class LineDiscount:
    """One reduction on a line: its promotion, its own discount or its share of the cart's."""

    source: DiscountSource
    name: str
    cents: int
    promotion_id: int | None = None


@dataclass(frozen=True)
class PricedLine:
    """A line as sold: the unit price charged, what came off it, and the tax its revenue contains.

    ``original_unit_price_cents`` is the list price; ``unit_price_cents`` the price charged per
    unit before discounts (a changed price when a manager approved one); ``revenue_cents`` what
    the line brings in after every discount.
    """

    product_id: int
    category_id: int
    quantity: int
    unit_price_cents: int
    revenue_cents: int
    tax_rate_bp: int
    tax_cents: int
    original_unit_price_cents: int
    discounts: tuple[LineDiscount, ...] = ()

    @property
    def gross_cents(self) -> int:
        """The revenue, tax included (the name tax summaries know it by)."""
        return self.revenue_cents

    @property
    def net_cents(self) -> int:
        return self.revenue_cents - self.tax_cents

    @property
    def undiscounted_cents(self) -> int:
        return self.quantity * self.unit_price_cents

    @property
    def discount_cents(self) -> int:
        if not self.discounts:  # most lines: every sale pays for these properties
            return 0
        return sum(discount.cents for discount in self.discounts)

    @property
    def discount_name(self) -> str:
        """The promotion's and discounts' names, '; ' between them ('' for none)."""
        if not self.discounts:
            return ""
        return "; ".join(discount.name for discount in self.discounts)

    @property
    def promotion_id(self) -> int | None:
        for discount in self.discounts:
            if discount.promotion_id is not None:
                return discount.promotion_id
        return None

    @property
    def saved_cents(self) -> int:
        """What the customer saves against the list price (a raised price saves nothing)."""
        return max(self.quantity * self.original_unit_price_cents - self.revenue_cents, 0)


@dataclass(frozen=True)
class PricedSale:
    """The priced lines; ``manual_share_bp`` is the largest part a manual discount gave away.

    In report words: gross is :attr:`undiscounted_cents`, discounts :attr:`discount_cents`,
    net (what the customer pays, tax included) :attr:`total_cents`.
    """

    lines: tuple[PricedLine, ...]
    manual_share_bp: int = 0

    @property
    def total_cents(self) -> int:
        return sum(line.revenue_cents for line in self.lines)

    @property
    def undiscounted_cents(self) -> int:
        return sum(line.undiscounted_cents for line in self.lines)

    @property
    def discount_cents(self) -> int:
        return sum(line.discount_cents for line in self.lines)

    @property
    def saved_cents(self) -> int:
        return sum(line.saved_cents for line in self.lines)

    @property
    def tax_cents(self) -> int:
        return sum(line.tax_cents for line in self.lines)

    @property
    def net_cents(self) -> int:
        """The total without its tax."""
        return self.total_cents - self.tax_cents

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def tax_by_rate(self) -> list[TaxRateTotal]:
        """Gross, tax and net per rate; they add up to the sale's total and tax exactly."""
        return tax_summary(self.lines)


def priced_line(
    product_id: int,
    category_id: int,
    quantity: int,
    unit_price_cents: int,
    tax_rate_bp: int,
    *,
    original_unit_price_cents: int | None = None,
    discounts: tuple[LineDiscount, ...] = (),
) -> PricedLine:
    """A line charged ``unit_price_cents`` per unit less its discounts (at most the line)."""
    undiscounted = quantity * unit_price_cents
    revenue = undiscounted - sum(discount.cents for discount in discounts)
    if revenue < 0:
        raise ValueError("discounts take more than the line")
    return PricedLine(
        product_id,
        category_id,
        quantity,
        unit_price_cents,
        revenue,
        tax_rate_bp,
        tax_contained(revenue, tax_rate_bp),
        unit_price_cents if original_unit_price_cents is None else original_unit_price_cents,
        discounts,
    )


def unit_price(product: ProductPrice, override_cents: int | None) -> int:
    return product.list_price_cents if override_cents is None else override_cents


def changed_prices(
    overrides: Mapping[int, int], list_prices: Mapping[int, int]
) -> dict[int, tuple[int, int]]:
    """(list price, charged price) of each product whose override differs from its list price."""
    return {
        product_id: (list_prices[product_id], price)
        for product_id, price in overrides.items()
        if product_id in list_prices and list_prices[product_id] != price
    }


def price_sale(
    quantities: Mapping[int, int],
    products: Mapping[int, ProductPrice],
    overrides: Mapping[int, int] | None = None,
    *,
    promotions: Iterable[Promotion] = (),
    line_discounts: Mapping[int, Discount] | None = None,
    cart_discount: Discount | None = None,
) -> PricedSale:
    """Price each (product, quantity) in cart order; every product must be known.

    Promotions apply first (see :mod:`pos_app.domain.promotions`; a line with a changed price is
    in none), then each line's own discount on what the line still costs, then the cart discount
    on what the cart still costs, shared over the lines by largest remainder.
    """
    charged = overrides or {}
    by_line = line_discounts or {}
    _check_in_cart("price override", "price_overrides", charged, quantities)
    _check_in_cart("discount", "line_discounts", by_line, quantities)
    bases = [
        _base(products, product_id, quantity, charged.get(product_id))
        for product_id, quantity in quantities.items()
    ]
    reductions: list[list[LineDiscount]] = [[] for _ in bases]
    _apply_promotions(bases, charged, promotions, reductions)
    share_bp = _apply_line_discounts(bases, by_line, reductions)
    if cart_discount is not None:
        share_bp = max(share_bp, _apply_cart_discount(bases, cart_discount, reductions))
    return PricedSale(
        tuple(
            priced_line(
                base.product_id,
                base.category_id,
                base.quantity,
                base.unit_price_cents,
                products[base.product_id].tax_rate_bp,
                original_unit_price_cents=products[base.product_id].list_price_cents,
                discounts=tuple(reduction),
            )
            for base, reduction in zip(bases, reductions, strict=True)
        ),
        share_bp,
    )


def _check_in_cart(
    what: str, field: str, by_product: Mapping[int, object], quantities: Mapping[int, int]
) -> None:
    if stray := sorted(set(by_product) - set(quantities)):
        raise ValidationError(
            f"Product {stray[0]} has a {what} but is not in the cart.", field=field
        )


def _base(
    products: Mapping[int, ProductPrice], product_id: int, quantity: int, override: int | None
) -> PromotableLine:
    product = products.get(product_id)
    if product is None:
        raise ValidationError(f"Product {product_id} has no price.", field="lines")
    return PromotableLine(product_id, product.category_id, quantity, unit_price(product, override))


def _left(base: PromotableLine, reductions: list[LineDiscount]) -> int:
    return base.quantity * base.unit_price_cents - sum(item.cents for item in reductions)


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


__all__ = [
    "DiscountSource",
    "LineDiscount",
    "PricedLine",
    "PricedSale",
    "ProductPrice",
    "changed_prices",
    "price_sale",
    "priced_line",
    "unit_price",
]
