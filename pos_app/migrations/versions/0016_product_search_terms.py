"""product search terms: where a typed filter can start in each product's name, SKU or barcode

A filter for a rare text ("juniper pesto") walked every row of the name index, which on MariaDB
took a few hundred milliseconds over 100,000 products. ``product_search_terms`` holds, for each
product, the case-folded name from every place that is not a space (cut to 12 characters), the
SKU and the barcode, keyed by (term, product_id): a search reads the terms that start with what
was typed. Filled here for the products there are.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERM_LENGTH = 12
TERM = sa.String(TERM_LENGTH).with_variant(
    mysql.VARCHAR(TERM_LENGTH, collation="utf8mb4_bin"), "mysql", "mariadb"
)
BATCH = 1000


def upgrade() -> None:
    terms = op.create_table(
        "product_search_terms",
        sa.Column("term", TERM, nullable=False),
        sa.Column("product_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("term", "product_id", name=op.f("pk_product_search_terms")),
        sqlite_with_rowid=False,
    )
    assert terms is not None
    _fill(terms)


def _terms(name: str, sku: str, barcode: str | None) -> set[str]:
    """The same terms as ``pos_app.db.search_terms.product_terms`` at this revision."""
    key = name.casefold()
    found = {
        key[start : start + TERM_LENGTH].rstrip()
        for start, char in enumerate(key)
        if not char.isspace()
    }
    found.add(sku.casefold()[:TERM_LENGTH].rstrip())
    if barcode:
        found.add(barcode[:TERM_LENGTH])
    found.discard("")
    return found


def _fill(terms: sa.Table) -> None:
    bind = op.get_bind()
    products = sa.table(
        "products", sa.column("id"), sa.column("name"), sa.column("sku"), sa.column("barcode")
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(products.c.id, products.c.name, products.c.sku, products.c.barcode)
            .where(products.c.id > last)
            .order_by(products.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            sa.insert(terms),
            [
                {"term": term, "product_id": product_id}
                for product_id, name, sku, barcode in rows
                for term in sorted(_terms(name, sku, barcode))
            ],
        )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_table("product_search_terms")
