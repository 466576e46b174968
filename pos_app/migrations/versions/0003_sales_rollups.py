"""sales rollups: per day/hour, product and category totals; covering indexes on sale lines

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

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


# The fill below is frozen with this revision: its own SQL against the tables as they are here,
# the shop's time zone handed in by whoever runs the upgrade (``config.attributes["timezone"]``,
# see pos_app.db.migrate). Later changes to the application's models or services cannot change
# what upgrading an old database does.
QUARTER_HOUR_S = 900
INSERT_CHUNK = 2000
_SALE_LINES = "FROM sale_items AS i JOIN sales AS s ON s.id = i.sale_id"
_DAILY_PRODUCT = f"""
INSERT INTO daily_product_sales
    (local_date, product_id, category_id, till_id, sales_count, units, revenue_cents)
SELECT i.local_date, i.product_id, i.category_id, s.till_id,
       COUNT(DISTINCT i.sale_id), SUM(i.quantity), SUM(i.revenue_cents)
{_SALE_LINES}
GROUP BY i.local_date, i.product_id, i.category_id, s.till_id
"""
_DAILY_CATEGORY = f"""
INSERT INTO daily_category_sales
    (local_date, category_id, till_id, sales_count, units, revenue_cents)
SELECT i.local_date, i.category_id, s.till_id,
       COUNT(DISTINCT i.sale_id), SUM(i.quantity), SUM(i.revenue_cents)
{_SALE_LINES}
GROUP BY i.local_date, i.category_id, s.till_id
"""
_QUARTER_HOUR = {
    "sqlite": "CAST(strftime('%s', s.created_at) AS INTEGER) / 900",
    "mysql": "TIMESTAMPDIFF(MINUTE, '1970-01-01 00:00:00', s.created_at) DIV 15",
}
_HOURLY = """
SELECT i.local_date, s.till_id, {quarter} AS quarter,
       COUNT(DISTINCT i.sale_id), SUM(i.quantity), SUM(i.revenue_cents)
{lines}
GROUP BY i.local_date, s.till_id, quarter
"""
_INSERT_HOURLY = sa.text(
    "INSERT INTO hourly_sales (local_date, local_hour, till_id, sales_count, units, revenue_cents)"
    " VALUES (:local_date, :local_hour, :till_id, :sales_count, :units, :revenue_cents)"
)


def _shop_timezone() -> ZoneInfo:
    zone = op.get_context().config.attributes.get("timezone")
    if zone is None:
        raise RuntimeError(
            "Filling the sales rollups needs the shop's time zone: pass it as "
            "config.attributes['timezone'] (pos_app.db.migrate does)."
        )
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(str(zone))


def _fill_rollups() -> None:
    """Existing sales: fill the rollups from their lines, the local hour from the shop's zone."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM sale_items LIMIT 1")).first() is None:
        return
    timezone = _shop_timezone()
    bind.execute(sa.text(_DAILY_PRODUCT))
    bind.execute(sa.text(_DAILY_CATEGORY))
    dialect = "sqlite" if bind.dialect.name == "sqlite" else "mysql"
    rows = bind.execute(
        sa.text(_HOURLY.format(quarter=_QUARTER_HOUR[dialect], lines=_SALE_LINES))
    ).all()
    hours: dict[int, int] = {}
    totals: dict[tuple[object, int, str], list[int]] = {}
    for day, till, quarter, count, units, revenue in rows:
        number = int(quarter)
        if number not in hours:
            moment = datetime.fromtimestamp(number * QUARTER_HOUR_S, UTC)
            hours[number] = moment.astimezone(timezone).hour
        counts = totals.setdefault((day, hours[number], till), [0, 0, 0])
        counts[0] += int(count)
        counts[1] += int(units)
        counts[2] += int(revenue)
    values = [
        {"local_date": day, "local_hour": hour, "till_id": till, "sales_count": count,
         "units": units, "revenue_cents": revenue}
        for (day, hour, till), (count, units, revenue) in totals.items()
    ]  # fmt: skip
    for first in range(0, len(values), INSERT_CHUNK):
        bind.execute(_INSERT_HOURLY, values[first : first + INSERT_CHUNK])


def downgrade() -> None:
    with op.batch_alter_table("sale_items", schema=None) as batch_op:
        batch_op.drop_index("ix_sale_items_category_day")
        batch_op.drop_index("ix_sale_items_product_day")
    op.drop_table("daily_category_sales")
    op.drop_table("daily_product_sales")
    op.drop_table("hourly_sales")
