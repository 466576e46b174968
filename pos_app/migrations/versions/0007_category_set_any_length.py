"""category sets of any length: a SHA-256 key in the primary key, the set as long text

A sale whose lines span about a hundred categories had a set longer than the 255 characters of
``daily_category_sets.category_set`` and failed on MariaDB (Data too long). The table is rebuilt
with ``category_set_key`` (the SHA-256 of the set, hex) in the primary key and ``category_set``
as text of any length, keeping its rows.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00.000000
"""

import hashlib
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
    kept = op.get_bind().execute(_OLD_ROWS).all()
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
    _refill(kept)


# Frozen with this revision: its own SQL against the table as it is here. The rows kept are those
# of 0005's table (no set there is longer than 255 characters: such sales could not be stored).
INSERT_CHUNK = 2000
_OLD_ROWS = sa.text(
    "SELECT local_date, category_set, till_id, sales_count FROM daily_category_sets"
)
_INSERT = sa.text(
    "INSERT INTO daily_category_sets "
    "(local_date, category_set_key, till_id, category_set, sales_count) "
    "VALUES (:local_date, :category_set_key, :till_id, :category_set, :sales_count)"
)


def _refill(rows: Sequence[sa.Row[tuple[object, str, str, int]]]) -> None:
    values = [
        {
            "local_date": day,
            "category_set_key": hashlib.sha256(text.encode("ascii")).hexdigest(),
            "till_id": till,
            "category_set": text,
            "sales_count": count,
        }
        for day, text, till, count in rows
    ]
    bind = op.get_bind()
    for first in range(0, len(values), INSERT_CHUNK):
        bind.execute(_INSERT, values[first : first + INSERT_CHUNK])


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
