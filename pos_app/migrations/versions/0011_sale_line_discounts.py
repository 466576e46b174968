"""sale lines keep their list price, what came off them and the promotion's name; the rollups
count the discounts

original_unit_price_cents is NULL on lines sold before: their unit price was the list price
or an approved change. promotion_id has neither a foreign key nor an index on purpose (every
sale line would pay for them; promotions are never deleted).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 11:16:00.122699
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLLUPS = ('hourly_sales', 'daily_product_sales', 'daily_category_sales')


def upgrade() -> None:
    with op.batch_alter_table('sale_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_unit_price_cents', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('discount_cents', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('discount_name', sa.String(length=255), server_default='', nullable=False))
        batch_op.add_column(sa.Column('promotion_id', sa.BigInteger(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_sale_items_discount_non_negative'), 'discount_cents >= 0'
        )
    # Sales before this revision had no discounts: zero is their true figure, no rebuild needed.
    for table in ROLLUPS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('discount_cents', sa.BigInteger(), server_default='0', nullable=False)
            )


def downgrade() -> None:
    for table in ROLLUPS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('discount_cents')
    with op.batch_alter_table('sale_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sale_items_discount_non_negative'), type_='check')
        batch_op.drop_column('promotion_id')
        batch_op.drop_column('discount_name')
        batch_op.drop_column('discount_cents')
        batch_op.drop_column('original_unit_price_cents')
