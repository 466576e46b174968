"""Prices of a sale: one shape of a line from the cart to the receipt.

A line is charged its unit price (the list price, or the changed price a manager approved) times
its quantity, less its promotion and discounts; its tax is what that tax-inclusive revenue
contains at the category's rate, rounded half up once per line. A line of a product sold by weight
has grams for its quantity and the price per kg for its unit price, and costs
:func:`pos_app.domain.weights.line_amount_cents` of them; the grams a scale's price labels cover
cost what the labels say instead. That amount is then reduced like any line's: promotions (by the
weighed-line rule of :mod:`pos_app.domain.promotions`), its own discount, its share of the cart's;
:mod:`pos_app.domain.sale_pricing` works those out for a whole cart.
A sale's total and tax are the sums of its lines, so the receipt, the stored sale and the reports
add up to the same cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from pos_app.domain.errors import ValidationError
from pos_app.domain.tax import TaxRateTotal, tax_contained, tax_summary
from pos_app.domain.weights import LabelTotal, SoldBy, line_amount_cents, weighed_amount_cents


@dataclass(frozen=True)
class ProductPrice:
    """What pricing needs to know of a product: its category, list price and tax rate."""

    product_id: int
    category_id: int
    list_price_cents: int
    tax_rate_bp: int
    sold_by: str = SoldBy.PIECE


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
    the line brings in after every discount. ``weighed`` lines count grams, charge a unit price
    per kg, and cost ``weighed_cents`` (grams at the price per kg, or their labels' prices)
    before discounts.
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
    weighed: bool = False
    weighed_cents: int = 0

    @property
    def items(self) -> int:
        """How many things the line is: its pieces, or one for a weighed line."""
        return 1 if self.weighed else self.quantity

    @property
    def gross_cents(self) -> int:
        """The revenue, tax included (the name tax summaries know it by)."""
        return self.revenue_cents

    @property
    def net_cents(self) -> int:
        return self.revenue_cents - self.tax_cents

    @property
    def undiscounted_cents(self) -> int:
        if self.weighed:
            return self.weighed_cents
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
        return max(self._at_list_price_cents() - self.revenue_cents, 0)

    def _at_list_price_cents(self) -> int:
        if not self.weighed:
            return self.quantity * self.original_unit_price_cents
        if self.original_unit_price_cents == self.unit_price_cents:
            return self.weighed_cents  # keeps what its scale labels say
        return line_amount_cents(self.original_unit_price_cents, self.quantity)


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
        return sum(line.items for line in self.lines)

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


def weighed_line(
    product_id: int,
    category_id: int,
    grams: int,
    price_per_kg_cents: int,
    tax_rate_bp: int,
    labels: LabelTotal | None = None,
) -> PricedLine:
    """A line of a product sold by weight; ``labels`` are its scale labels, if any."""
    if labels is not None and not 0 <= labels.grams <= grams:
        raise ValidationError("The scale labels weigh more than the line.", field="lines")
    revenue = weighed_amount_cents(price_per_kg_cents, grams, labels)
    return PricedLine(
        product_id,
        category_id,
        grams,
        price_per_kg_cents,
        revenue,
        tax_rate_bp,
        tax_contained(revenue, tax_rate_bp),
        price_per_kg_cents,
        weighed=True,
        weighed_cents=revenue,
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


__all__ = [
    "DiscountSource",
    "LineDiscount",
    "PricedLine",
    "PricedSale",
    "ProductPrice",
    "changed_prices",
    "priced_line",
    "unit_price",
    "weighed_line",
]
