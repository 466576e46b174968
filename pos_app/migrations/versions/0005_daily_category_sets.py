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


def _fill_category_sets() -> None:
    """Existing sales: count each one under the set of its lines' categories."""
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM sale_items LIMIT 1")).first() is None:
        return
    from pos_app.config import load_settings
    from pos_app.db.models import DailyCategorySet
    from pos_app.services.rollups import rebuild_rollups

    with sa.orm.Session(bind=bind) as session:
        rebuild_rollups(session, load_settings().timezone, models=(DailyCategorySet,))
        session.flush()


def downgrade() -> None:
    op.drop_table("daily_category_sets")
