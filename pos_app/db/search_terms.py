"""Keeps ``product_search_terms`` in step with the products' names, SKUs and barcodes.

Products written through the ORM (the catalogue services, CSV and legacy imports) are kept by
``keep_search_terms``, run after every flush of a writing session. Products inserted in bulk
with Core statements (demo data) are added with ``add_search_terms``.

A search still tests every product the terms point to, so a term left behind costs a little time
and never shows a wrong row; a missing one would hide a product, so every write adds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, tuple_
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.attributes import get_history

from pos_app.db.models import Product, ProductSearchTerm, table_of
from pos_app.db.types import SEARCH_TERM_LENGTH, search_key

SEARCHED = ("name", "sku", "barcode")
CHUNK = 2000
_TERMS = table_of(ProductSearchTerm)


def product_terms(name: str, sku: str, barcode: str | None) -> set[str]:
    """Each place in the name a filter may start at (never a space), the SKU and the barcode,
    each cut to the term length."""
    key = search_key(name)
    terms = {
        key[start : start + SEARCH_TERM_LENGTH].rstrip()
        for start, char in enumerate(key)
        if not char.isspace()
    }
    terms.add(search_key(sku)[:SEARCH_TERM_LENGTH].rstrip())
    if barcode:
        terms.add(barcode[:SEARCH_TERM_LENGTH])
    terms.discard("")
    return terms


def _insert_ignoring_duplicates() -> Any:
    return (
        insert(_TERMS)
        .prefix_with("OR IGNORE", dialect="sqlite")
        .prefix_with("IGNORE", dialect="mysql")
        .prefix_with("IGNORE", dialect="mariadb")
    )


def _write(session: Session, rows: list[dict[str, object]]) -> None:
    rows.sort(key=lambda row: (row["term"], row["product_id"]))  # one lock order for every till
    for start in range(0, len(rows), CHUNK):
        session.execute(_insert_ignoring_duplicates(), rows[start : start + CHUNK])


def add_search_terms(
    session: Session, products: Iterable[tuple[int, str, str, str | None]]
) -> None:
    """Terms for new products given as (id, name, sku, barcode)."""
    rows = [
        {"term": term, "product_id": product_id}
        for product_id, name, sku, barcode in products
        for term in product_terms(name, sku, barcode)
    ]
    _write(session, rows)


def _earlier_value(product: Product, field: str) -> Any:
    history = get_history(product, field)
    if history.deleted:
        return history.deleted[0]
    return getattr(product, field)


def _changed_terms(product: Product) -> tuple[set[str], set[str]]:
    """(terms to drop, terms to add) for a product whose searched fields changed."""
    now = product_terms(product.name, product.sku, product.barcode)
    before = product_terms(*(_earlier_value(product, field) for field in SEARCHED))
    return before - now, now - before


def keep_search_terms(session: Session, _flush: UOWTransaction) -> None:
    """After a flush: terms for products just added, and for those whose searched fields changed."""
    added: list[dict[str, object]] = []
    for product in session.new:
        if isinstance(product, Product):
            terms = product_terms(product.name, product.sku, product.barcode)
            added += [{"term": term, "product_id": product.id} for term in terms]
    for product in session.dirty:
        if not isinstance(product, Product):
            continue
        if not any(get_history(product, field).has_changes() for field in SEARCHED):
            continue
        dropped, new = _changed_terms(product)
        if dropped:
            pairs = [(term, product.id) for term in sorted(dropped)]
            session.execute(
                delete(_TERMS).where(tuple_(_TERMS.c.term, _TERMS.c.product_id).in_(pairs))
            )
        added += [{"term": term, "product_id": product.id} for term in new]
    if added:
        _write(session, added)


__all__ = ["add_search_terms", "keep_search_terms", "product_terms"]
