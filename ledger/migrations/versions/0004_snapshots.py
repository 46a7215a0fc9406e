"""snapshots of the current ledger, and an index to find the ledger's revision

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VERSIONED = ("source", "agreement", "initiative", "allocation_line", "stated_total")


def upgrade() -> None:
    # the revision is the newest journal entry that wrote or closed a row: both columns indexed
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_superseded_in"), ["superseded_in"], unique=False)
    op.create_table(
        "snapshot",
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("part", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("made_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("revision", "part"),
    )


def downgrade() -> None:
    op.drop_table("snapshot")
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_superseded_in"))
