"""import merge: provenance (`source`) of meetings, agenda items and decisions

Rows entered before this revision are taken as hand-entered (`manual`): an import then asks before it changes
any of their values, which is the safe reading of an unknown origin.

Revision ID: 0006_import_merge
Revises: 0005_document_text_limits
Create Date: 2026-11-28 20:45:00
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op


revision: str = '0006_import_merge'
down_revision: str | None = '0005_document_text_limits'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('meetings', 'agenda_items', 'decisions')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column(
                    'source',
                    sa.Enum('manual', 'protocol', name='recordsource', native_enum=False, length=20),
                    server_default='manual',
                    nullable=False,
                )
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source')
