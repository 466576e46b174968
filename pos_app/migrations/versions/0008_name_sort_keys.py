"""name sort keys: products and categories sort by their case-folded name, then id

SQLite compared names case-sensitively ('iPhone' after 'Where') and MariaDB without case, so
lists sorted by name differed between the two. ``name_key`` holds the case-folded name (binary
collation on MariaDB), filled here for existing rows, with an index on (name_key, id) that
serves the sorted, paged lists.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_LENGTH = 200
NAME_KEY = sa.String(KEY_LENGTH).with_variant(
    mysql.VARCHAR(KEY_LENGTH, collation="utf8mb4_bin"), "mysql", "mariadb"
)
BATCH = 1000


def upgrade() -> None:
    # Added NOT NULL with an empty default, then filled: on SQLite a plain ADD COLUMN, with no
    # copy of the table (which the foreign keys pointing at it would refuse).
    for table in ("categories", "products"):
        op.add_column(table, sa.Column("name_key", NAME_KEY, nullable=False, server_default=""))
        _fill(table)
        op.create_index(f"ix_{table}_name_key", table, ["name_key", "id"], unique=False)


def _fill(table_name: str) -> None:
    """The same key as ``pos_app.db.types.name_key``: the case-folded name (Python's casefold,
    which SQL's LOWER does not match on SQLite for letters outside ASCII)."""
    bind = op.get_bind()
    table = sa.table(table_name, sa.column("id"), sa.column("name"), sa.column("name_key"))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(table.c.id, table.c.name)
            .where(table.c.id > last)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("row_id"))
            .values(name_key=sa.bindparam("key")),
            [{"row_id": row_id, "key": name.casefold()[:KEY_LENGTH]} for row_id, name in rows],
        )
        last = rows[-1][0]


def downgrade() -> None:
    for table in ("products", "categories"):
        op.drop_index(f"ix_{table}_name_key", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("name_key")
