"""promotions and the products and categories they cover

A promotion runs between two of the shop's local days; its targets name either a product or a
category. Ending a promotion stamps ended_at; nothing is deleted, so past sales keep a name to
point at.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 11:09:28.902975
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pos_app.db.types


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('promotions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('percent_bp', sa.Integer(), nullable=True),
    sa.Column('amount_cents', sa.BigInteger(), nullable=True),
    sa.Column('buy_quantity', sa.Integer(), nullable=True),
    sa.Column('pay_quantity', sa.Integer(), nullable=True),
    sa.Column('price_cents', sa.BigInteger(), nullable=True),
    sa.Column('created_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', pos_app.db.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', pos_app.db.types.UTCDateTime(), nullable=False),
    sa.Column('ended_at', pos_app.db.types.UTCDateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('price_cut', 'multi_buy', 'bundle')", name=op.f('ck_promotions_kind_known')),
    sa.CheckConstraint('amount_cents IS NULL OR amount_cents > 0', name=op.f('ck_promotions_amount_positive')),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_promotions_window_ordered')),
    sa.CheckConstraint('percent_bp IS NULL OR (percent_bp > 0 AND percent_bp <= 10000)', name=op.f('ck_promotions_percent_in_range')),
    sa.CheckConstraint('price_cents IS NULL OR price_cents >= 0', name=op.f('ck_promotions_price_non_negative')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_promotions_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotions'))
    )
    with op.batch_alter_table('promotions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotions_created_by'), ['created_by'], unique=False)
        batch_op.create_index('ix_promotions_window', ['starts_on', 'ends_on'], unique=False)

    op.create_table('promotion_targets',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('promotion_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('category_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.CheckConstraint('(product_id IS NULL) <> (category_id IS NULL)', name=op.f('ck_promotion_targets_product_or_category')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_promotion_targets_category_id_categories')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_promotion_targets_product_id_products')),
    sa.ForeignKeyConstraint(['promotion_id'], ['promotions.id'], name=op.f('fk_promotion_targets_promotion_id_promotions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promotion_targets'))
    )
    with op.batch_alter_table('promotion_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotion_targets_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promotion_targets_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promotion_targets_promotion_id'), ['promotion_id'], unique=False)



def downgrade() -> None:
    # Dropping a table drops its indexes; MySQL refuses to drop one a foreign key still needs.
    op.drop_table('promotion_targets')
    op.drop_table('promotions')
