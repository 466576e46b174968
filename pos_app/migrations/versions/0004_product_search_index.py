"""product search index: name, id, SKU and barcode in one index a search can scan

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index("ix_products_search", ["name", "id", "sku", "barcode"], unique=False)
        batch_op.drop_index("ix_products_name")


def downgrade() -> None:
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.create_index("ix_products_name", ["name"], unique=False)
        batch_op.drop_index("ix_products_search")
