"""fold accents in name keys and search terms: "apfel" finds "Äpfel" on SQLite and MariaDB alike

The name keys (0008) and the search terms (0016) held the case-folded name only, compared by code
point (binary collation on MariaDB), so a filter without the accent missed the product on both
databases, where MariaDB's ``_ci`` collation had found it before 0016. Both are now folded by
Python without case and accents (NFKD, combining marks dropped); here the keys of the categories
and products there are, and every search term, are written again that way (and back to the
case-folded text on a downgrade).

Revision ID: 0018
Revises: 0016
Create Date: 2026-12-05 17:00:00.000000
"""

import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_LENGTH = 200
TERM_LENGTH = 12
BATCH = 1000
Fold = Callable[[str], str]


def _folded(text: str) -> str:
    """The same as ``pos_app.db.types.folded`` at this revision."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _case_folded(text: str) -> str:
    """The key before this revision: the case-folded text, accents kept."""
    return text.casefold()


def _terms(name: str, sku: str, barcode: str | None, fold: Fold) -> set[str]:
    """The same terms as ``pos_app.db.search_terms.product_terms`` at this revision."""
    key = fold(name)
    found = {
        key[start : start + TERM_LENGTH].rstrip()
        for start, char in enumerate(key)
        if not char.isspace()
    }
    found.add(fold(sku)[:TERM_LENGTH].rstrip())
    if barcode:
        found.add(barcode[:TERM_LENGTH])
    found.discard("")
    return found


def upgrade() -> None:
    _rewrite(_folded)


def downgrade() -> None:
    _rewrite(_case_folded)


def _rewrite(fold: Fold) -> None:
    for table in ("categories", "products"):
        _rewrite_name_keys(table, fold)
    _refill_terms(fold)


def _batches(table: sa.TableClause, *columns: str) -> Iterator[Sequence[sa.Row[Any]]]:
    """Every row of ``table`` (its id and ``columns``), a batch at a time, in id order."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, *(table.c[name] for name in columns))
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _rewrite_name_keys(table_name: str, fold: Fold) -> None:
    table = sa.table(table_name, sa.column("id"), sa.column("name"), sa.column("name_key"))
    for rows in _batches(table, "name"):
        op.get_bind().execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("row_id"))
            .values(name_key=sa.bindparam("key")),
            [{"row_id": row_id, "key": fold(name)[:KEY_LENGTH]} for row_id, name in rows],
        )


def _refill_terms(fold: Fold) -> None:
    bind = op.get_bind()
    terms = sa.table("product_search_terms", sa.column("term"), sa.column("product_id"))
    products = sa.table(
        "products", sa.column("id"), sa.column("name"), sa.column("sku"), sa.column("barcode")
    )
    bind.execute(sa.delete(terms))
    for rows in _batches(products, "name", "sku", "barcode"):
        bind.execute(
            sa.insert(terms),
            [
                {"term": term, "product_id": product_id}
                for product_id, name, sku, barcode in rows
                for term in sorted(_terms(name, sku, barcode, fold))
            ],
        )

