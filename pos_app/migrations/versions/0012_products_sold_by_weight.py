"""products sold by weight: how a product is counted, and the item code its scale labels carry

``sold_by`` is 'piece' for every product there is; a product sold by 'weight' has its price per
kilogram and its quantities (stock, sale lines) in grams. ``scale_code`` is the item code (PLU)
on the shop's scale labels.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SOLD_BY_KNOWN = "sold_by IN ('piece', 'weight')"
SCALE_CODE_IN_RANGE = "scale_code IS NULL OR (scale_code >= 1 AND scale_code <= 999999)"


def upgrade() -> None:
    # On SQLite a batch operation would copy and drop the products table, which the rows of
    # inventories and sale_items that point at it forbid; SQLite adds a column with its own
    # CHECK in place instead, and the unique scale code is a unique index on both backends.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE products ADD COLUMN sold_by VARCHAR(8) DEFAULT 'piece' NOT NULL "
            f"CONSTRAINT ck_products_sold_by_known CHECK ({SOLD_BY_KNOWN})"
        )
        op.execute(
            "ALTER TABLE products ADD COLUMN scale_code INTEGER "
            f"CONSTRAINT ck_products_scale_code_in_range CHECK ({SCALE_CODE_IN_RANGE})"
        )
    else:
        with op.batch_alter_table("products", schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("sold_by", sa.String(length=8), server_default="piece", nullable=False)
            )
            batch_op.add_column(sa.Column("scale_code", sa.Integer(), nullable=True))
            batch_op.create_check_constraint(op.f("ck_products_sold_by_known"), SOLD_BY_KNOWN)
            batch_op.create_check_constraint(
                op.f("ck_products_scale_code_in_range"), SCALE_CODE_IN_RANGE
            )
    op.create_index("ix_products_scale_code", "products", ["scale_code"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_products_scale_code", table_name="products")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE products DROP COLUMN scale_code")
        op.execute("ALTER TABLE products DROP COLUMN sold_by")
        return
    with op.batch_alter_table("products", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_products_scale_code_in_range"), type_="check")
        batch_op.drop_constraint(op.f("ck_products_sold_by_known"), type_="check")
        batch_op.drop_column("scale_code")
        batch_op.drop_column("sold_by")
