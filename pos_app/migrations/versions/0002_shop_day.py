"""shop day: tax rates, payments, shifts, refunds, held carts, audit log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 07:10:20.034112
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pos_app.db.types


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('created_at', pos_app.db.types.UTCDateTime(), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('till_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action_created_at', ['action', 'created_at'], unique=False)
        batch_op.create_index('ix_audit_log_created_at', ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)

    op.create_table('held_carts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('till_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('lines_json', sa.Text(), nullable=False),
    sa.Column('created_at', pos_app.db.types.UTCDateTime(), nullable=False),
    sa.Column('recalled_at', pos_app.db.types.UTCDateTime(), nullable=True),
    sa.Column('recalled_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('recalled_till', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['recalled_by'], ['users.id'], name=op.f('fk_held_carts_recalled_by_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_held_carts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_carts')),
    sa.UniqueConstraint('uuid', name=op.f('uq_held_carts_uuid'))
    )
    with op.batch_alter_table('held_carts', schema=None) as batch_op:
        batch_op.create_index('ix_held_carts_recalled_at_created_at', ['recalled_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_carts_recalled_by'), ['recalled_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_carts_user_id'), ['user_id'], unique=False)

    op.create_table('shifts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('till_id', sa.String(length=64), nullable=False),
    sa.Column('open_till_id', sa.String(length=64), nullable=True),
    sa.Column('opened_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('opened_at', pos_app.db.types.UTCDateTime(), nullable=False),
    sa.Column('float_cents', sa.BigInteger(), nullable=False),
    sa.Column('closed_by', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('closed_at', pos_app.db.types.UTCDateTime(), nullable=True),
    sa.Column('counted_cents', sa.BigInteger(), nullable=True),
    sa.Column('expected_cash_cents', sa.BigInteger(), nullable=True),
    sa.Column('difference_cents', sa.BigInteger(), nullable=True),
    sa.Column('void_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('void_cents', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('float_cents >= 0', name=op.f('ck_shifts_float_non_negative')),
    sa.CheckConstraint('void_count >= 0 AND void_cents >= 0', name=op.f('ck_shifts_voids_non_negative')),
    sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_shifts_closed_by_users')),
    sa.ForeignKeyConstraint(['opened_by'], ['users.id'], name=op.f('fk_shifts_opened_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shifts')),
    sa.UniqueConstraint('open_till_id', name=op.f('uq_shifts_open_till_id'))
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shifts_closed_by'), ['closed_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_shifts_opened_by'), ['opened_by'], unique=False)
        batch_op.create_index('ix_shifts_till_id_opened_at', ['till_id', 'opened_at'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sale_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tender', sa.String(length=8), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('tendered_cents', sa.BigInteger(), nullable=False),
    sa.Column('change_cents', sa.BigInteger(), nullable=False),
    sa.Column('created_at', pos_app.db.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint("tender IN ('cash', 'card')", name=op.f('ck_payments_tender_known')),
    sa.CheckConstraint('amount_cents > 0', name=op.f('ck_payments_amount_positive')),
    sa.CheckConstraint('change_cents >= 0', name=op.f('ck_payments_change_non_negative')),
    sa.CheckConstraint('tendered_cents = amount_cents + change_cents', name=op.f('ck_payments_change_balances')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_payments_sale_id_sales')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_sale_id'), ['sale_id'], unique=False)

    op.create_table('refunds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('sale_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('approved_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('till_id', sa.String(length=64), nullable=False),
    sa.Column('shift_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('tender', sa.String(length=8), nullable=False),
    sa.Column('created_at', pos_app.db.types.UTCDateTime(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('total_cents', sa.BigInteger(), nullable=False),
    sa.Column('tax_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint("tender IN ('cash', 'card')", name=op.f('ck_refunds_tender_known')),
    sa.CheckConstraint('tax_cents >= 0', name=op.f('ck_refunds_tax_non_negative')),
    sa.CheckConstraint('total_cents >= 0', name=op.f('ck_refunds_total_non_negative')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_refunds_approved_by_id_users')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_refunds_sale_id_sales')),
    sa.ForeignKeyConstraint(['shift_id'], ['shifts.id'], name=op.f('fk_refunds_shift_id_shifts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refunds_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('uuid', name=op.f('uq_refunds_uuid'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_approved_by_id'), ['approved_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_local_date'), ['local_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_shift_id'), ['shift_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_user_id'), ['user_id'], unique=False)

    op.create_table('refund_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('refund_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('sale_item_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('tax_cents', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_refund_items_amount_non_negative')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_refund_items_quantity_positive')),
    sa.CheckConstraint('tax_cents >= 0 AND tax_cents <= amount_cents', name=op.f('ck_refund_items_tax_in_range')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_refund_items_product_id_products')),
    sa.ForeignKeyConstraint(['refund_id'], ['refunds.id'], name=op.f('fk_refund_items_refund_id_refunds')),
    sa.ForeignKeyConstraint(['sale_item_id'], ['sale_items.id'], name=op.f('fk_refund_items_sale_item_id_sale_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refund_items'))
    )
    with op.batch_alter_table('refund_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refund_items_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_items_refund_id'), ['refund_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refund_items_sale_item_id'), ['sale_item_id'], unique=False)

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_rate_bp', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_categories_tax_rate_in_range'), 'tax_rate_bp >= 0 AND tax_rate_bp <= 10000')

    with op.batch_alter_table('sale_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_rate_bp', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('tax_cents', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('refunded_quantity', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_check_constraint(op.f('ck_sale_items_tax_in_range'), 'tax_cents >= 0 AND tax_cents <= revenue_cents')
        batch_op.create_check_constraint(op.f('ck_sale_items_refunded_in_range'), 'refunded_quantity >= 0 AND refunded_quantity <= quantity')

    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shift_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index(batch_op.f('ix_sales_shift_id'), ['shift_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_sales_shift_id_shifts'), 'shifts', ['shift_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_sales_shift_id_shifts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_sales_shift_id'))
        batch_op.drop_column('shift_id')

    with op.batch_alter_table('sale_items', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sale_items_refunded_in_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_sale_items_tax_in_range'), type_='check')

    with op.batch_alter_table('sale_items', schema=None) as batch_op:
        batch_op.drop_column('refunded_quantity')
        batch_op.drop_column('tax_cents')
        batch_op.drop_column('tax_rate_bp')

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_categories_tax_rate_in_range'), type_='check')

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('tax_rate_bp')

    op.drop_table('refund_items')
    op.drop_table('refunds')
    op.drop_table('payments')
    op.drop_table('shifts')
    op.drop_table('held_carts')
    op.drop_table('audit_log')
