"""refund reasons: why the goods of each refund came back

Refunds made before this revision keep an empty reason.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds a column in place; a batch operation would copy and drop the refunds table,
    # which the refund lines that point at it forbid.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE refunds ADD COLUMN reason VARCHAR(120) DEFAULT '' NOT NULL")
        return
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason", sa.String(length=120), server_default="", nullable=False)
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE refunds DROP COLUMN reason")
        return
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_column("reason")
