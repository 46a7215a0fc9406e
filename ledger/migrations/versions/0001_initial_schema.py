"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel
import ledger.models


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agreement',
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('recorded_in', sa.Integer(), nullable=False),
    sa.Column('superseded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('superseded_in', sa.Integer(), nullable=True),
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('parties', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('date_agreed', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('classification', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id', 'version')
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_id'), ['id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_recorded_in'), ['recorded_in'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_superseded_at'), ['superseded_at'], unique=False)

    op.create_table('allocation_line',
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('recorded_in', sa.Integer(), nullable=False),
    sa.Column('superseded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('superseded_in', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('year_from', sa.Integer(), nullable=False),
    sa.Column('year_to', sa.Integer(), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('amount', ledger.models.ExactDecimal(precision=18, scale=6), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('price_level', sa.Integer(), nullable=True),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('classification', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id', 'version')
    )
    with op.batch_alter_table('allocation_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_line_id'), ['id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_line_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_line_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_line_recorded_in'), ['recorded_in'], unique=False)
        batch_op.create_index(batch_op.f('ix_allocation_line_superseded_at'), ['superseded_at'], unique=False)

    op.create_table('distribution_key',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('as_of', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('distribution_weight',
    sa.Column('key_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('weight', ledger.models.ExactDecimal(precision=18, scale=6), nullable=False),
    sa.PrimaryKeyConstraint('key_id', 'region')
    )
    op.create_table('initiative',
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('recorded_in', sa.Integer(), nullable=False),
    sa.Column('superseded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('superseded_in', sa.Integer(), nullable=True),
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agreement_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('parent_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id', 'version')
    )
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_id'), ['id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_recorded_in'), ['recorded_in'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_superseded_at'), ['superseded_at'], unique=False)

    op.create_table('journal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_at'), ['at'], unique=False)

    op.create_table('price_index',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('rise_pct', ledger.models.ExactDecimal(precision=18, scale=6), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )
    op.create_table('region',
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('valid_from', sa.Integer(), nullable=True),
    sa.Column('valid_to', sa.Integer(), nullable=True),
    sa.Column('successor', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('source',
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('recorded_in', sa.Integer(), nullable=False),
    sa.Column('superseded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('superseded_in', sa.Integer(), nullable=True),
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('document', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('case_no', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('date', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id', 'version')
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_id'), ['id'], unique=False)
        batch_op.create_index(batch_op.f('ix_source_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_source_recorded_in'), ['recorded_in'], unique=False)
        batch_op.create_index(batch_op.f('ix_source_superseded_at'), ['superseded_at'], unique=False)

    op.create_table('stated_total',
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('recorded_in', sa.Integer(), nullable=False),
    sa.Column('superseded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('superseded_in', sa.Integer(), nullable=True),
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('agreement_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('initiative_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('year_from', sa.Integer(), nullable=True),
    sa.Column('year_to', sa.Integer(), nullable=True),
    sa.Column('per_year', sa.Boolean(), nullable=False),
    sa.Column('amount', ledger.models.ExactDecimal(precision=18, scale=6), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('classification', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('row_id'),
    sa.UniqueConstraint('id', 'version')
    )
    with op.batch_alter_table('stated_total', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stated_total_id'), ['id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stated_total_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stated_total_recorded_in'), ['recorded_in'], unique=False)
        batch_op.create_index(batch_op.f('ix_stated_total_superseded_at'), ['superseded_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stated_total', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stated_total_superseded_at'))
        batch_op.drop_index(batch_op.f('ix_stated_total_recorded_in'))
        batch_op.drop_index(batch_op.f('ix_stated_total_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_stated_total_id'))

    op.drop_table('stated_total')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_superseded_at'))
        batch_op.drop_index(batch_op.f('ix_source_recorded_in'))
        batch_op.drop_index(batch_op.f('ix_source_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_source_id'))

    op.drop_table('source')
    op.drop_table('region')
    op.drop_table('price_index')
    with op.batch_alter_table('journal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_journal_at'))

    op.drop_table('journal')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_superseded_at'))
        batch_op.drop_index(batch_op.f('ix_initiative_recorded_in'))
        batch_op.drop_index(batch_op.f('ix_initiative_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_agreement_id'))

    op.drop_table('initiative')
    op.drop_table('distribution_weight')
    op.drop_table('distribution_key')
    with op.batch_alter_table('allocation_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_line_superseded_at'))
        batch_op.drop_index(batch_op.f('ix_allocation_line_recorded_in'))
        batch_op.drop_index(batch_op.f('ix_allocation_line_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_allocation_line_initiative_id'))
        batch_op.drop_index(batch_op.f('ix_allocation_line_id'))

    op.drop_table('allocation_line')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_superseded_at'))
        batch_op.drop_index(batch_op.f('ix_agreement_recorded_in'))
        batch_op.drop_index(batch_op.f('ix_agreement_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_agreement_id'))

    op.drop_table('agreement')
