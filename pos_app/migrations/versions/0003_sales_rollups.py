"""sales rollups: per day/hour, product and category totals; covering indexes on sale lines

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _measures() -> list[sa.Column[int]]:
    return [
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "hourly_sales",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("local_hour", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("till_id", sa.String(length=64), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint(
            "local_date", "local_hour", "till_id", name=op.f("pk_hourly_sales")
        ),
    )
    op.create_table(
        "daily_product_sales",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("product_id", ID, autoincrement=False, nullable=False),
        sa.Column("category_id", ID, autoincrement=False, nullable=False),
        sa.Column("till_id", sa.String(length=64), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint(
            "local_date",
            "product_id",
            "category_id",
            "till_id",
            name=op.f("pk_daily_product_sales"),
        ),
    )
    op.create_table(
        "daily_category_sales",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("category_id", ID, autoincrement=False, nullable=False),
        sa.Column("till_id", sa.String(length=64), nullable=False),
        *_measures(),
        sa.PrimaryKeyConstraint(
            "local_date", "category_id", "till_id", name=op.f("pk_daily_category_sales")
        ),
    )
    with op.batch_alter_table("sale_items", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sale_items_product_day",
            ["product_id", "local_date", "category_id", "sale_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_sale_items_category_day", ["category_id", "local_date", "sale_id"], unique=False
        )
    _fill_rollups()


def _fill_rollups() -> None:
    """Existing sales: fill the rollups from their lines, the local hour from the shop's zone."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM sale_items LIMIT 1")).first() is None:
        return
    from pos_app.config import load_settings
    from pos_app.db.models import DailyCategorySales, DailyProductSales, HourlySales
    from pos_app.services.rollups import rebuild_rollups

    models = (HourlySales, DailyProductSales, DailyCategorySales)
    with sa.orm.Session(bind=bind) as session:
        rebuild_rollups(session, load_settings().timezone, models=models)
        session.flush()


def downgrade() -> None:
    with op.batch_alter_table("sale_items", schema=None) as batch_op:
        batch_op.drop_index("ix_sale_items_category_day")
        batch_op.drop_index("ix_sale_items_product_day")
    op.drop_table("daily_category_sales")
    op.drop_table("daily_product_sales")
    op.drop_table("hourly_sales")
