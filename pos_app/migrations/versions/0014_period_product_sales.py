"""period product sales: the product rollup per whole week, month and year; covering indexes
on the hourly and daily product rollups and the category sets

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-05 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MEASURES = ("sales_count", "units", "revenue_cents", "discount_cents")


def upgrade() -> None:
    op.create_table(
        "period_product_sales",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("product_id", ID, autoincrement=False, nullable=False),
        sa.Column("category_id", ID, autoincrement=False, nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("till_id", sa.String(length=64), nullable=False),
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("revenue_cents", sa.BigInteger(), nullable=False),
        sa.Column("discount_cents", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint(
            "period",
            "local_date",
            "product_id",
            "category_id",
            "till_id",
            name=op.f("pk_period_product_sales"),
        ),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_period_product_sales_product",
        "period_product_sales",
        ["product_id", "period", "local_date", "category_id", "till_id", *MEASURES],
    )
    op.create_index(
        "ix_daily_product_sales_report",
        "daily_product_sales",
        ["local_date", "product_id", "category_id", "till_id", *MEASURES],
    )
    op.create_index(
        "ix_daily_product_sales_product",
        "daily_product_sales",
        ["product_id", "local_date", "category_id", "till_id", *MEASURES],
    )
    op.create_index(
        "ix_hourly_sales_report",
        "hourly_sales",
        ["local_date", "local_hour", "till_id", *MEASURES],
    )
    op.create_index(
        "ix_daily_category_sets_set",
        "daily_category_sets",
        ["category_set_key", "local_date", "till_id", "sales_count"],
    )
    _fill_periods()


# Frozen with this revision: its own SQL against the tables as they are here. Each period row is
# the sum of the daily rows of its week (from Monday), month or year; the days are shop-local
# already, so no time zone is needed.
_PERIOD_START = {
    "sqlite": {
        "weekly": "date(local_date, '-' || ((CAST(strftime('%w', local_date) AS INTEGER) + 6) % 7)"
        " || ' days')",
        "monthly": "date(local_date, 'start of month')",
        "yearly": "date(local_date, 'start of year')",
    },
    "mysql": {
        "weekly": "DATE_SUB(local_date, INTERVAL WEEKDAY(local_date) DAY)",
        "monthly": "DATE_SUB(local_date, INTERVAL DAYOFMONTH(local_date) - 1 DAY)",
        "yearly": "MAKEDATE(YEAR(local_date), 1)",
    },
}


def _fill_periods() -> None:
    bind = op.get_bind()
    starts = _PERIOD_START["sqlite" if bind.dialect.name == "sqlite" else "mysql"]
    sums = ", ".join(f"SUM({name})" for name in MEASURES)
    for period, start in starts.items():
        bind.execute(
            sa.text(
                "INSERT INTO period_product_sales (period, local_date, product_id, category_id, "
                f"till_id, {', '.join(MEASURES)}) "
                f"SELECT '{period}', {start}, product_id, category_id, till_id, {sums} "
                f"FROM daily_product_sales GROUP BY {start}, product_id, category_id, till_id"
            )
        )


def downgrade() -> None:
    op.drop_index("ix_daily_category_sets_set", table_name="daily_category_sets")
    op.drop_index("ix_hourly_sales_report", table_name="hourly_sales")
    op.drop_index("ix_daily_product_sales_product", table_name="daily_product_sales")
    op.drop_index("ix_daily_product_sales_report", table_name="daily_product_sales")
    op.drop_index("ix_period_product_sales_product", table_name="period_product_sales")
    op.drop_table("period_product_sales")
