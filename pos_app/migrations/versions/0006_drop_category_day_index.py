"""drop the sale-lines index by category and day, unused since daily_category_sets

Every sale line paid for keeping it current; reports under several categories now read
daily_category_sets instead.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:20:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sale_items", schema=None) as batch_op:
        batch_op.drop_index("ix_sale_items_category_day")


def downgrade() -> None:
    with op.batch_alter_table("sale_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sale_items_category_day", ["category_id", "local_date", "sale_id"], unique=False
        )
