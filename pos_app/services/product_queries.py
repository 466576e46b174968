"""Product listings: the row every screen shows, sort keys, search, and paged look-ups.

A search first reads, up to RARE_TERMS, the search terms starting with its text (one short
range of their key). A rare text then reads just the products those terms name. A common one
walks the ``ix_products_search`` index (name key, id, name, SKU, barcode) in name order rather
than the table, and stops once it has the page plus a margin. So nothing counts every match of a
broad search: the total is exact when the matches end inside that margin, and a floor
(``total_is_exact`` False, shown as "250+") when they do not.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Subquery,
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from pos_app.db.models import Category, Inventory, Product, ProductSearchTerm
from pos_app.db.types import SEARCH_TERM_LENGTH, search_key
from pos_app.services.access import UserSession, authorize
from pos_app.services.context import ServiceContext
from pos_app.services.errors import NotFoundError, ValidationError
from pos_app.services.paging import FIRST_PAGE, Page, PageRequest, check_page, check_sort
from pos_app.services.roles import Role
from pos_app.services.validation import check_bool, check_id, clean_search

RARE_TERMS = 1000
"""A text that starts fewer search terms than this finds its products through them; a commoner
one walks the name index in order, where its matches lie close together, and stops early.
Over N products the walk reads about COUNT_STEP x N / matches index entries, the other reads
each candidate by primary key (some 20 times the cost of an index entry) and sorts them; on
MariaDB over 100,000 products they cost about the same near 1,000 matches."""
COUNT_STEP = 250
"""A search counts its matches up to the next multiple of this beyond the page, no further: a
common text walks the name index until it has found that many, so this bounds its cost."""
MAX_WITHIN = 5000
BY_ID_HINT = "FORCE INDEX (PRIMARY)"
"""Refining and loading read a few rows by id; without statistics MariaDB may instead walk the
name index, or every product of the category the rows join to."""
SEARCH_HINT = "FORCE INDEX (ix_products_search)"
"""A search in name order walks this index and stops early; MariaDB may prefer a full table scan
and a sort of every match."""
MYSQL_DIALECTS = ("mysql", "mariadb")
ESCAPE = "/"


@dataclass(frozen=True)
class ProductInfo:
    id: int
    name: str
    description: str
    category_id: int
    category_name: str
    sku: str
    barcode: str | None
    price_cents: int
    is_active: bool
    quantity: int
    sold_by: str = "piece"
    scale_code: int | None = None

    @property
    def is_weighed(self) -> bool:
        """Sold by weight: the price is per kg, quantities are grams."""
        return self.sold_by == "weight"


@dataclass(frozen=True)
class ProductPage(Page[ProductInfo]):
    """A page of products; ``total_is_exact`` False means at least ``total`` match.

    ``matches`` holds the id of every match when a search from the first row found them all:
    a search for longer text (the same text typed further) can only match some of them, so
    ``refine_products`` looks at those rows alone instead of scanning the catalogue again.
    """

    total_is_exact: bool = True
    matches: tuple[int, ...] | None = None


STOCK = func.coalesce(Inventory.quantity, 0)
PRODUCT_SORTS: dict[str, SQLColumnExpression[Any]] = {
    "id": Product.id,
    "name": Product.name_key,
    "sku": Product.sku,
    "barcode": Product.barcode,
    "price": Product.price_cents,
    "category": Category.name_key,
    "stock": Inventory.quantity,
    "active": Product.is_active,
}


def product_query() -> Select[*tuple[Any, ...]]:
    """Every ProductInfo field: the product with its category name and current stock."""
    return (
        select(
            Product.id,
            Product.name,
            Product.description,
            Product.category_id,
            Category.name.label("category_name"),
            Product.sku,
            Product.barcode,
            Product.price_cents,
            Product.is_active,
            STOCK.label("quantity"),
            Product.sold_by,
            Product.scale_code,
        )
        .join(Category, Category.id == Product.category_id)
        .outerjoin(Inventory, Inventory.product_id == Product.id)
    )


def like_escaped(text: str) -> str:
    """``text`` with LIKE's wildcards (and the escape character) taken literally."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def name_contains(text: str) -> ColumnElement[bool]:
    """The name contains ``text`` in any case and with or without accents, the same on both
    backends.

    Both sides are folded by Python (the stored ``name_key`` and ``search_key(text)``), and
    ``name_key`` compares by code point on MariaDB: its LIKE tests bytes, much faster than a
    ``_ci`` collation's, and a collation would fold accents that SQLite keeps.
    """
    return Product.name_key.like(f"%{like_escaped(search_key(text))}%", escape=ESCAPE)


def _terms_starting_with(text: str) -> ColumnElement[bool]:
    """The search terms that start with ``text`` (its first SEARCH_TERM_LENGTH characters): a
    range of the terms' primary key on both backends, where LIKE would not use it on SQLite."""
    prefix = search_key(text)[:SEARCH_TERM_LENGTH].rstrip()
    term = ProductSearchTerm.term
    after = ord(prefix[-1]) + 1
    if after > sys.maxunicode:
        return term >= prefix
    return and_(term >= prefix, term < prefix[:-1] + chr(after))


def rare_candidates(session: Session, text: str) -> tuple[int, ...] | None:
    """The products with a search term starting with ``text`` when fewer than RARE_TERMS terms
    do (one index range read that stops there), else None: a common text.

    They include every product ``product_search`` accepts (and a few more when ``text`` is longer
    than a term, which it then refuses). Handed over as ids, the products are read by primary
    key: given the terms as a subquery, MariaDB may scan every product instead.
    """
    query = select(ProductSearchTerm.product_id).where(_terms_starting_with(text))
    counted = select(func.count()).select_from(query.limit(RARE_TERMS).subquery())
    if (session.scalar(counted) or 0) >= RARE_TERMS:
        return None  # counted in the server: a common text sends no ids
    return tuple(dict.fromkeys(session.scalars(query.limit(RARE_TERMS))))


def product_search(text: str) -> ColumnElement[bool]:
    """Name contains ``text`` (any case), or the SKU (any case) or barcode starts with it.

    Stored codes follow ``normalize_sku`` (printable ASCII, no spaces) and ``normalize_barcode``
    (digits): a code test that cannot match is left out rather than run on every row.
    """
    prefix = f"{like_escaped(text)}%"
    tests = [name_contains(text)]
    if all("!" <= char <= "~" for char in text):
        tests.append(Product.sku.like(prefix, escape=ESCAPE))
    if text.isascii() and text.isdigit():
        tests.append(Product.barcode.like(prefix, escape=ESCAPE))
    return or_(*tests)


def ordering(
    key: SQLColumnExpression[Any], tie: SQLColumnExpression[Any], descending: bool
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    if descending:
        return key.desc(), tie.desc()
    return key.asc(), tie.asc()


def page_of(
    keys: Select[*tuple[Any, ...]],
    key: SQLColumnExpression[Any],
    tie: SQLColumnExpression[Any],
    descending: bool,
    offset: int,
    limit: int,
) -> Subquery:
    """One page of ``keys`` (selecting an ``id``) as ``(id, sort_key, tie)`` rows to join to."""
    return (
        keys.add_columns(key.label("sort_key"), tie.label("tie"))
        .order_by(*ordering(key, tie, descending))
        .offset(offset)
        .limit(limit)
        .subquery("page")
    )


def count_ceiling(offset: int, limit: int) -> int:
    """How far a search counts: the first multiple of COUNT_STEP beyond the page."""
    return max(COUNT_STEP, math.ceil((offset + limit + 1) / COUNT_STEP) * COUNT_STEP)


def list_products(
    ctx: ServiceContext,
    actor: UserSession,
    *,
    page: PageRequest = FIRST_PAGE,
    sort: str = "name",
    descending: bool = False,
    category_id: int | None = None,
    search: str | None = None,
    include_inactive: bool = True,
) -> Page[ProductInfo]:
    return _listing(ctx, actor, None, page, sort, descending, category_id, search, include_inactive)


def refine_products(
    ctx: ServiceContext,
    actor: UserSession,
    within: Sequence[int],
    *,
    page: PageRequest = FIRST_PAGE,
    sort: str = "name",
    descending: bool = False,
    category_id: int | None = None,
    search: str | None = None,
    include_inactive: bool = True,
) -> Page[ProductInfo]:
    """``list_products`` among the products ``within`` only (the ``matches`` of an earlier page).

    For filter-as-you-type: when the new text starts with the text whose matches these were,
    every product it matches is among them (unless another till has just added one).
    """
    if isinstance(within, str | bytes) or not isinstance(within, Sequence):
        raise ValidationError("Choose the products to search among.", field="within")
    if len(within) > MAX_WITHIN:
        raise ValidationError(f"Search among {MAX_WITHIN:,} products at most.", field="within")
    ids = tuple(check_id(value, "within", "product") for value in within)
    return _listing(ctx, actor, ids, page, sort, descending, category_id, search, include_inactive)


def _listing(
    ctx: ServiceContext,
    actor: UserSession,
    within: tuple[int, ...] | None,
    page: object,
    sort: object,
    descending: object,
    category_id: object,
    search: object,
    include_inactive: object,
) -> ProductPage:
    offset, limit = check_page(page)
    column = PRODUCT_SORTS[check_sort(sort, PRODUCT_SORTS)]
    desc = check_bool(descending, "descending")
    text = clean_search(search)
    conditions: list[ColumnElement[bool]] = []
    if category_id is not None:
        conditions.append(Product.category_id == check_id(category_id, "category_id", "category"))
    if not check_bool(include_inactive, "include_inactive"):
        conditions.append(Product.is_active.is_(True))
    if text is not None:
        conditions.append(product_search(text))
    if within is not None:
        conditions.append(Product.id.in_(within))
    matches: tuple[int, ...] | None = None
    with ctx.unit_of_work(readonly=True) as session:
        authorize(session, ctx, actor, Role.CASHIER, "view products")
        if within is not None and not within:
            return ProductPage(items=[], total=0, offset=offset, limit=limit, matches=())
        by_id = within is not None
        candidates = None if text is None or by_id else rare_candidates(session, text)
        if candidates is not None:
            if not candidates:
                return ProductPage(items=[], total=0, offset=offset, limit=limit, matches=())
            conditions.append(Product.id.in_(candidates))
            by_id = True
        ids_query = _ids_in_order(column, desc, conditions, text, by_id, category_id)
        ids_query = ids_query.offset(offset)
        if text is None:
            ids = list(session.scalars(ids_query.limit(limit)))
            exact = True
            if len(ids) == limit or (offset and not ids):
                total = count_matches(session, conditions)
            else:
                total = offset + len(ids)
        else:
            ceiling = count_ceiling(offset, limit)
            found = list(session.scalars(ids_query.limit(ceiling - offset + 1)))
            ids, exact = found[:limit], len(found) <= ceiling - offset
            total = offset + len(found) if exact else ceiling
            if offset and not found:
                total = count_matches(session, conditions, up_to=offset)
            elif exact and not offset:
                matches = tuple(found)
        items = load_products(session, ids)
    return ProductPage(
        items=items,
        total=total,
        offset=offset,
        limit=limit,
        total_is_exact=exact,
        matches=matches,
    )


def _ids_in_order(
    column: SQLColumnExpression[Any],
    descending: bool,
    conditions: Sequence[ColumnElement[bool]],
    text: str | None,
    by_id: bool,
    category_id: object,
) -> Select[*tuple[Any, ...]]:
    """The ids meeting ``conditions`` in the order of ``column``, then id.

    The ids come from a narrow sorted query that an index can serve; only the page's rows are
    then joined to their category and stock, so deep pages stay fast on big catalogues.
    """
    key, tie = column, Product.id
    keys = select(Product.id.label("id"))
    if column is PRODUCT_SORTS["stock"]:
        key, tie = Inventory.quantity, Inventory.id
        keys = select(Inventory.product_id.label("id")).join(
            Product, Product.id == Inventory.product_id
        )
    elif column is PRODUCT_SORTS["category"]:
        keys = keys.join(Category, Category.id == Product.category_id)
    if by_id:
        keys = mysql_hint(keys, BY_ID_HINT)
    elif text is not None and column is PRODUCT_SORTS["name"] and category_id is None:
        # Within one category its own index may find fewer rows to sort: the planner chooses.
        keys = mysql_hint(keys, SEARCH_HINT)
    return keys.where(*conditions).order_by(*ordering(key, tie, descending))


def mysql_hint(query: Select[*tuple[Any, ...]], hint: str) -> Select[*tuple[Any, ...]]:
    """``query`` with an index hint on products for MySQL and MariaDB (SQLite plans well)."""
    for dialect in MYSQL_DIALECTS:
        query = query.with_hint(Product, hint, dialect)
    return query


def count_matches(
    session: Session, conditions: Sequence[ColumnElement[bool]], up_to: int | None = None
) -> int:
    """How many products meet ``conditions`` (stopping at ``up_to`` when given)."""
    if up_to is None:
        query = select(func.count()).select_from(Product).where(*conditions)
        return session.scalar(query) or 0
    matches = select(Product.id).where(*conditions).limit(up_to).subquery()
    return session.scalar(select(func.count()).select_from(matches)) or 0


def load_product(session: Session, product_id: int) -> ProductInfo:
    row = session.execute(product_query().where(Product.id == product_id)).first()
    if row is None:
        raise NotFoundError("No such product.", field="product_id")
    return ProductInfo(**row._asdict())


def load_products(session: Session, ids: Sequence[int]) -> list[ProductInfo]:
    """The products with these ids, in the order given."""
    if not ids:
        return []
    rows = session.execute(mysql_hint(product_query(), BY_ID_HINT).where(Product.id.in_(ids)))
    found = {row.id: ProductInfo(**row._asdict()) for row in rows}
    return [found[product_id] for product_id in ids if product_id in found]
