"""documents: text_truncated, set when the extracted text was cut at the text limit

Revision ID: 0005_document_text_limits
Revises: 0004_imports
Create Date: 2026-11-28 20:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op


revision: str = '0005_document_text_limits'
down_revision: str | None = '0004_imports'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_truncated', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('text_truncated')
