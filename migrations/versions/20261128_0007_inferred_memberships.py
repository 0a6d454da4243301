"""inferred memberships and absence for single items

memberships.source: manual (every existing row) or inferred by a protocol import;
attendance.absent_items: the items a person was absent for while otherwise present.

Revision ID: 0007_inferred_memberships
Revises: 0006_import_merge
Create Date: 2026-11-28 20:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007_inferred_memberships'
down_revision: str | None = '0006_import_merge'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'source',
                sa.Enum('manual', 'inferred', name='membershipsource', native_enum=False, length=20),
                nullable=False,
                server_default='manual',
            )
        )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('absent_items', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_column('absent_items')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_column('source')
