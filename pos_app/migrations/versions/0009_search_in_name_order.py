"""search in name order: the product search index leads with the name sort key

Lists sort products by ``name_key`` then id (0008), but the search index led with ``name``, so a
search on MariaDB scanned the whole table and sorted every match before keeping the first page.
Leading with (name_key, id) and carrying name, SKU and barcode, one index serves the sorted,
paged list and the search alike: a search walks it in order and stops once it has enough rows,
without reading the table. It replaces ``ix_products_name_key``, which is its prefix.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH_COLUMNS = ["name_key", "id", "name", "sku", "barcode"]


def upgrade() -> None:
    op.drop_index("ix_products_search", table_name="products")
    op.drop_index("ix_products_name_key", table_name="products")
    op.create_index("ix_products_search", "products", SEARCH_COLUMNS, unique=False)


def downgrade() -> None:
    op.drop_index("ix_products_search", table_name="products")
    op.create_index("ix_products_name_key", "products", ["name_key", "id"], unique=False)
    op.create_index(
        "ix_products_search", "products", ["name", "id", "sku", "barcode"], unique=False
    )
