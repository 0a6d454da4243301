"""sort keys unbounded: a 200-character name makes a key of about 600

Revision ID: 0003_sort_keys_unbounded
Revises: 0002_council_record
Create Date: 2026-11-23 16:59:36.291593
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.db
from alembic import op


revision: str = '0003_sort_keys_unbounded'
down_revision: str | None = '0002_council_record'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.alter_column('person_sort',
               existing_type=sa.VARCHAR(length=400),
               type_=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               existing_nullable=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.alter_column('name_sort',
               existing_type=sa.VARCHAR(length=400),
               type_=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               existing_nullable=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('name_sort',
               existing_type=sa.VARCHAR(length=400),
               type_=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               existing_nullable=False)

    with op.batch_alter_table('strategies', schema=None) as batch_op:
        batch_op.alter_column('name_sort',
               existing_type=sa.VARCHAR(length=400),
               type_=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               existing_nullable=False)



def downgrade() -> None:
    with op.batch_alter_table('strategies', schema=None) as batch_op:
        batch_op.alter_column('name_sort',
               existing_type=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               type_=sa.VARCHAR(length=400),
               existing_nullable=False)

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.alter_column('name_sort',
               existing_type=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               type_=sa.VARCHAR(length=400),
               existing_nullable=False)

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.alter_column('name_sort',
               existing_type=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               type_=sa.VARCHAR(length=400),
               existing_nullable=False)

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.alter_column('person_sort',
               existing_type=sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'),
               type_=sa.VARCHAR(length=400),
               existing_nullable=False)

