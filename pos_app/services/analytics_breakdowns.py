"""A sales report's breakdowns by category and product: units and revenue per id, in order.

The whole range's breakdowns are summed from its product totals; a bucket's own are unpacked from
the rollup rows the database packed for it, only when first read. Rows come highest revenue
first, then by name and id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from operator import itemgetter
from typing import NamedTuple

from pos_app.services.analytics_queries import ProductTotal


class Breakdown(NamedTuple):
    """Units and revenue of one category or product; a daily report makes tens of thousands.

    The units of a ``weighed`` product are grams; a category's or a bucket's units count each
    line of a weighed product as one, like the receipt does.
    """

    id: int
    name: str
    units: int
    revenue_cents: int
    weighed: bool = False


class Figures:
    """Units and revenue per id, kept in two dicts of plain ints."""

    __slots__ = ("revenue", "units")

    def __init__(self) -> None:
        self.units: dict[int, int] = {}
        self.revenue: dict[int, int] = {}

    def add(self, key: int, units: int, revenue: int) -> None:
        self.units[key] = self.units.get(key, 0) + units
        self.revenue[key] = self.revenue.get(key, 0) + revenue


class PackedGroups:
    """A bucket's rollup rows as the database packed them, unpacked into breakdowns on demand.

    A weighed product's units are its grams on its own row; a category counts its lines, one
    per sale holding it (a sale has one line per product).
    """

    __slots__ = ("categories", "packed", "products", "weighed")

    def __init__(
        self, packed: list[str], categories: Names, products: Names, weighed: frozenset[int]
    ) -> None:
        self.packed, self.categories, self.products = packed, categories, products
        self.weighed = weighed

    def by_category(self) -> list[Breakdown]:
        return breakdown(self._figures(product=False), self.categories)

    def by_product(self) -> list[Breakdown]:
        return breakdown(self._figures(product=True), self.products, self.weighed)

    def _figures(self, *, product: bool) -> Figures:
        figures, weighed = Figures(), self.weighed
        for text in self.packed:
            for category_id, product_id, sales, units, revenue, _ in json.loads(text):
                if product:
                    figures.add(product_id, units, revenue)
                else:
                    figures.add(category_id, sales if product_id in weighed else units, revenue)
        return figures


def overall_figures(
    rows: Iterable[ProductTotal], weighed: frozenset[int]
) -> tuple[Figures, Figures]:
    """Units and revenue of the whole range by category and by product."""
    categories, products = Figures(), Figures()
    for row in rows:
        items = row.sales if row.product_id in weighed else row.units
        categories.add(row.category_id, items, row.revenue)
        products.add(row.product_id, row.units, row.revenue)
    return categories, products


class Names(NamedTuple):
    """Names per id, and each id's place when sorted by case-folded name, then id."""

    name: dict[int, str]
    rank: dict[int, int]


def report_names(rows: Iterable[ProductTotal]) -> tuple[Names, Names]:
    """The names of the categories and of the products; an id without a row is shown as '#id'."""
    categories: dict[int, str] = {}
    products: dict[int, str] = {}
    for row in rows:
        category, product = row.category_name, row.product_name
        categories[row.category_id] = f"#{row.category_id}" if category is None else category
        products[row.product_id] = f"#{row.product_id}" if product is None else product
    return _ranked(categories), _ranked(products)


def _ranked(name: dict[int, str]) -> Names:
    ordered = sorted(name, key=lambda key: (name[key].casefold(), key))
    return Names(name, {key: place for place, key in enumerate(ordered)})


def breakdown(
    figures: Figures, names: Names, weighed: frozenset[int] = frozenset()
) -> list[Breakdown]:
    """Rows by revenue (highest first), then name and id.

    A daily report makes tens of thousands of rows, so both sorts use keys the interpreter
    runs in C: by name first, then a stable sort by revenue, highest first.
    """
    units, revenue, name = figures.units, figures.revenue, names.name
    rows = [
        Breakdown(key, name[key], units[key], revenue[key], key in weighed)
        for key in sorted(revenue, key=names.rank.__getitem__)
    ]
    rows.sort(key=_REVENUE, reverse=True)
    return rows


_REVENUE = itemgetter(3)


__all__ = [
    "Breakdown",
    "Figures",
    "Names",
    "PackedGroups",
    "breakdown",
    "overall_figures",
    "report_names",
]
