"""daily category sets: sales per day and till by the set of categories each sale holds

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_category_sets",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("category_set", sa.String(length=255), nullable=False),
        sa.Column("till_id", sa.String(length=64), nullable=False),
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "local_date", "category_set", "till_id", name=op.f("pk_daily_category_sets")
        ),
    )
    _fill_category_sets()


# Frozen with this revision: its own SQL against the tables as they are here, so later changes to
# the application's models or services cannot change what upgrading an old database does.
INSERT_CHUNK = 2000
BATCH = 10_000
_LINES = sa.text(
    "SELECT i.sale_id, i.local_date, s.till_id, i.category_id "
    "FROM sale_items AS i JOIN sales AS s ON s.id = i.sale_id ORDER BY i.sale_id"
)
_INSERT = sa.text(
    "INSERT INTO daily_category_sets (local_date, category_set, till_id, sales_count) "
    "VALUES (:local_date, :category_set, :till_id, :sales_count)"
)


def _category_set(category_ids: set[int]) -> str:
    return ",".join(str(category_id) for category_id in sorted(category_ids))


def _fill_category_sets() -> None:
    """Existing sales: count each one under the set of its lines' categories (sorted distinct
    ids joined by commas), reading the lines in sale order a batch at a time."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM sale_items LIMIT 1")).first() is None:
        return
    totals: dict[tuple[object, str, str], int] = {}
    current: object = None
    day: object = None
    till = ""
    categories: set[int] = set()
    rows = bind.execute(_LINES.execution_options(yield_per=BATCH))
    for sale_id, line_day, line_till, category_id in rows:
        if sale_id != current:
            if current is not None:
                key = (day, _category_set(categories), till)
                totals[key] = totals.get(key, 0) + 1
            current, day, till, categories = sale_id, line_day, line_till, set()
        categories.add(int(category_id))
    if current is not None:
        key = (day, _category_set(categories), till)
        totals[key] = totals.get(key, 0) + 1
    values = [
        {"local_date": day, "category_set": text, "till_id": till, "sales_count": count}
        for (day, text, till), count in totals.items()
    ]
    for first in range(0, len(values), INSERT_CHUNK):
        bind.execute(_INSERT, values[first : first + INSERT_CHUNK])


def downgrade() -> None:
    op.drop_table("daily_category_sets")
