"""Prices of a sale: one shape of a line from the cart to the receipt.

A line is charged its unit price (the list price, or the changed price a manager approved) times
its quantity; its tax is what that tax-inclusive revenue contains at the category's rate, rounded
half up once per line. A sale's total and tax are the sums of its lines, so the receipt, the
stored sale and the reports add up to the same cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pos_app.domain.errors import ValidationError
from pos_app.domain.tax import TaxRateTotal, tax_contained, tax_summary


@dataclass(frozen=True)
class ProductPrice:
    """What pricing needs to know of a product: its category, list price and tax rate."""

    product_id: int
    category_id: int
    list_price_cents: int
    tax_rate_bp: int


@dataclass(frozen=True)
class PricedLine:
    """A line as sold: the unit price charged and the tax its revenue contains."""

    product_id: int
    category_id: int
    quantity: int
    unit_price_cents: int
    revenue_cents: int
    tax_rate_bp: int
    tax_cents: int

    @property
    def gross_cents(self) -> int:
        """The revenue, tax included (the name tax summaries know it by)."""
        return self.revenue_cents

    @property
    def net_cents(self) -> int:
        return self.revenue_cents - self.tax_cents


@dataclass(frozen=True)
class PricedSale:
    lines: tuple[PricedLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.revenue_cents for line in self.lines)

    @property
    def tax_cents(self) -> int:
        return sum(line.tax_cents for line in self.lines)

    @property
    def net_cents(self) -> int:
        return self.total_cents - self.tax_cents

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def tax_by_rate(self) -> list[TaxRateTotal]:
        """Gross, tax and net per rate; they add up to the sale's total and tax exactly."""
        return tax_summary(self.lines)


def priced_line(
    product_id: int, category_id: int, quantity: int, unit_price_cents: int, tax_rate_bp: int
) -> PricedLine:
    revenue = quantity * unit_price_cents
    return PricedLine(
        product_id,
        category_id,
        quantity,
        unit_price_cents,
        revenue,
        tax_rate_bp,
        tax_contained(revenue, tax_rate_bp),
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
) -> PricedSale:
    """Price each (product, quantity) in cart order; every product must be known."""
    charged = overrides or {}
    if stray := sorted(set(charged) - set(quantities)):
        raise ValidationError(
            f"Product {stray[0]} has a price override but is not in the cart.",
            field="price_overrides",
        )
    return PricedSale(
        tuple(
            _priced(products, product_id, quantity, charged.get(product_id))
            for product_id, quantity in quantities.items()
        )
    )


def _priced(
    products: Mapping[int, ProductPrice], product_id: int, quantity: int, override: int | None
) -> PricedLine:
    product = products.get(product_id)
    if product is None:
        raise ValidationError(f"Product {product_id} has no price.", field="lines")
    return priced_line(
        product_id,
        product.category_id,
        quantity,
        unit_price(product, override),
        product.tax_rate_bp,
    )


__all__ = [
    "PricedLine",
    "PricedSale",
    "ProductPrice",
    "changed_prices",
    "price_sale",
    "priced_line",
    "unit_price",
]
