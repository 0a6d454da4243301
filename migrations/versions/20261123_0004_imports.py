"""imports: provenance of every applied import (file hash, layout, encoding)

Revision ID: 0004_imports
Revises: 0003_sort_keys_unbounded
Create Date: 2026-11-23 17:21:09.837899
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.db
from alembic import op


revision: str = '0004_imports'
down_revision: str | None = '0003_sort_keys_unbounded'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('imports',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('attendance', 'protocol', 'folder', name='importkind', native_enum=False, length=20), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('layout', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('encoding', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('meeting_id', sa.Uuid(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_imports_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_imports'))
    )
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imports_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_imports_kind_sha256', ['kind', 'sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_imports_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_imports_updated_at'), ['updated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imports_updated_at'))
        batch_op.drop_index(batch_op.f('ix_imports_meeting_id'))
        batch_op.drop_index('ix_imports_kind_sha256')
        batch_op.drop_index(batch_op.f('ix_imports_created_at'))

    op.drop_table('imports')
