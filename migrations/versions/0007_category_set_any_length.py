"""category sets of any length: a SHA-256 key in the primary key, the set as long text

A sale whose lines span about a hundred categories had a set longer than the 255 characters of
``daily_category_sets.category_set`` and failed on MariaDB (Data too long). The table is rebuilt
with ``category_set_key`` (the SHA-256 of the set, hex) in the primary key and ``category_set``
as text of any length, then refilled from the sale lines.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SET_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def upgrade() -> None:
    op.drop_table("daily_category_sets")
    op.create_table(
        "daily_category_sets",
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("category_set_key", sa.String(length=64), nullable=False),
        sa.Column("till_id", sa.String(length=64), nullable=False),
        sa.Column("category_set", SET_TEXT, nullable=False),
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "local_date", "category_set_key", "till_id", name=op.f("pk_daily_category_sets")
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
    # Back to the 255-character set; sets longer than that cannot be kept and are left out
    # (an upgrade rebuilds them from the sale lines).
    op.drop_table("daily_category_sets")
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
