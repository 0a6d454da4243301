"""fund applications, reviews, grants, payments and reports

Amounts are NUMERIC(14,2) on both databases (app.core.money.MoneyColumn in the models); fund_rounds gains the
counter of its application numbers.

Revision ID: 0010_fund_applications
Revises: 0009_funds
Create Date: 2026-11-29 01:41:26
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.db
from alembic import op


revision: str = '0010_fund_applications'
down_revision: str | None = '0009_funds'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('fund_applications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=True),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('status', sa.Enum('draft', 'submitted', 'in_review', 'more_info_requested', 'granted', 'partially_granted', 'rejected', 'withdrawn', 'in_progress', 'report_due', 'reported', 'closed', name='applicationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('applicant_id', sa.Uuid(), nullable=False),
    sa.Column('applicant_unit', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('contact_person_id', sa.Uuid(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('title_sort', sa.Text().with_variant(sa.Text(collation='C'), 'postgresql'), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('target_group', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('focus_area_id', sa.Uuid(), nullable=True),
    sa.Column('pot_id', sa.Uuid(), nullable=True),
    sa.Column('requested', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('submitted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['organisations.id'], name=op.f('fk_fund_applications_applicant_id_organisations')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_fund_applications_case_id_cases')),
    sa.ForeignKeyConstraint(['contact_person_id'], ['people.id'], name=op.f('fk_fund_applications_contact_person_id_people')),
    sa.ForeignKeyConstraint(['created_by_id'], ['principals.id'], name=op.f('fk_fund_applications_created_by_id_principals')),
    sa.ForeignKeyConstraint(['focus_area_id'], ['fund_focus_areas.id'], name=op.f('fk_fund_applications_focus_area_id_fund_focus_areas')),
    sa.ForeignKeyConstraint(['pot_id'], ['fund_pots.id'], name=op.f('fk_fund_applications_pot_id_fund_pots')),
    sa.ForeignKeyConstraint(['round_id'], ['fund_rounds.id'], name=op.f('fk_fund_applications_round_id_fund_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_applications'))
    )
    with op.batch_alter_table('fund_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_applications_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_contact_person_id'), ['contact_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_focus_area_id'), ['focus_area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_number'), ['number'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_pot_id'), ['pot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_round_id'), ['round_id'], unique=False)
        batch_op.create_index('ix_fund_applications_figures', ['round_id', 'pot_id', 'focus_area_id', 'status', 'requested'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_fund_applications_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_title_sort'), ['title_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_applications_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('uq_fund_applications_sequence', ['round_id', 'sequence'], unique=True, sqlite_where=sa.text('deleted_at IS NULL AND sequence IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND sequence IS NOT NULL'))

    op.create_table('fund_application_co_applicants',
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.id'], name=op.f('fk_fund_application_co_applicants_application_id_fund_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_fund_application_co_applicants_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('application_id', 'organisation_id', name=op.f('pk_fund_application_co_applicants'))
    )
    with op.batch_alter_table('fund_application_co_applicants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_application_co_applicants_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('fund_application_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('from_status', sa.Enum('draft', 'submitted', 'in_review', 'more_info_requested', 'granted', 'partially_granted', 'rejected', 'withdrawn', 'in_progress', 'report_due', 'reported', 'closed', name='applicationstatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'submitted', 'in_review', 'more_info_requested', 'granted', 'partially_granted', 'rejected', 'withdrawn', 'in_progress', 'report_due', 'reported', 'closed', name='applicationstatus', native_enum=False, length=20), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('comment', sa.String(length=4000), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['principals.id'], name=op.f('fk_fund_application_events_actor_id_principals')),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.id'], name=op.f('fk_fund_application_events_application_id_fund_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_application_events'))
    )
    with op.batch_alter_table('fund_application_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_application_events_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_application_events_at'), ['at'], unique=False)

    op.create_table('fund_application_strategies',
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('strategy_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.id'], name=op.f('fk_fund_application_strategies_application_id_fund_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['strategy_id'], ['strategies.id'], name=op.f('fk_fund_application_strategies_strategy_id_strategies')),
    sa.PrimaryKeyConstraint('application_id', 'strategy_id', name=op.f('pk_fund_application_strategies'))
    )
    with op.batch_alter_table('fund_application_strategies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_application_strategies_strategy_id'), ['strategy_id'], unique=False)

    op.create_table('fund_budget_lines',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.id'], name=op.f('fk_fund_budget_lines_application_id_fund_applications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_budget_lines'))
    )
    with op.batch_alter_table('fund_budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_budget_lines_application_id'), ['application_id'], unique=False)

    op.create_table('fund_grants',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('pot_id', sa.Uuid(), nullable=False),
    sa.Column('focus_area_id', sa.Uuid(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=True),
    sa.Column('decision_id', sa.Uuid(), nullable=True),
    sa.Column('delegated_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('delegated_on', sa.Date(), nullable=True),
    sa.Column('delegated_reference', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.id'], name=op.f('fk_fund_grants_application_id_fund_applications')),
    sa.ForeignKeyConstraint(['created_by_id'], ['principals.id'], name=op.f('fk_fund_grants_created_by_id_principals')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_fund_grants_decision_id_decisions')),
    sa.ForeignKeyConstraint(['focus_area_id'], ['fund_focus_areas.id'], name=op.f('fk_fund_grants_focus_area_id_fund_focus_areas')),
    sa.ForeignKeyConstraint(['pot_id'], ['fund_pots.id'], name=op.f('fk_fund_grants_pot_id_fund_pots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_grants'))
    )
    with op.batch_alter_table('fund_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_grants_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_grants_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_grants_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_grants_pot_id'), ['pot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_grants_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('uq_fund_grants_application_live', ['application_id'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('ix_fund_grants_figures', ['pot_id', 'focus_area_id', 'amount'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('fund_reviews',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer_id', sa.Uuid(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('mean_score', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('recommendation', sa.Enum('grant', 'partial', 'reject', name='recommendation', native_enum=False, length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['fund_applications.id'], name=op.f('fk_fund_reviews_application_id_fund_applications')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['principals.id'], name=op.f('fk_fund_reviews_reviewer_id_principals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_reviews'))
    )
    with op.batch_alter_table('fund_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_reviews_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_reviews_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_reviews_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_reviews_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('uq_fund_reviews_reviewer_live', ['application_id', 'reviewer_id'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('fund_payments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Uuid(), nullable=False),
    sa.Column('pot_id', sa.Uuid(), nullable=False),
    sa.Column('focus_area_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('payment', 'repayment', name='paymentkind', native_enum=False, length=20), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['principals.id'], name=op.f('fk_fund_payments_created_by_id_principals')),
    sa.ForeignKeyConstraint(['focus_area_id'], ['fund_focus_areas.id'], name=op.f('fk_fund_payments_focus_area_id_fund_focus_areas')),
    sa.ForeignKeyConstraint(['grant_id'], ['fund_grants.id'], name=op.f('fk_fund_payments_grant_id_fund_grants')),
    sa.ForeignKeyConstraint(['pot_id'], ['fund_pots.id'], name=op.f('fk_fund_payments_pot_id_fund_pots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_payments'))
    )
    with op.batch_alter_table('fund_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_payments_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_payments_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index('ix_fund_payments_figures', ['pot_id', 'focus_area_id', 'kind', 'amount'], unique=False, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_fund_payments_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_payments_paid_on'), ['paid_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_payments_updated_at'), ['updated_at'], unique=False)

    op.create_table('fund_reports',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('interim', 'final', name='reportkind', native_enum=False, length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('due', 'submitted', 'accepted', 'revision_requested', name='reportstatus', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('amount_spent', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('results', sa.Text(), nullable=True),
    sa.Column('submitted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_by_id', sa.Uuid(), nullable=True),
    sa.Column('reviewed_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_comment', sa.String(length=4000), nullable=True),
    sa.ForeignKeyConstraint(['grant_id'], ['fund_grants.id'], name=op.f('fk_fund_reports_grant_id_fund_grants')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['principals.id'], name=op.f('fk_fund_reports_submitted_by_id_principals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fund_reports'))
    )
    with op.batch_alter_table('fund_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_reports_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_reports_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_reports_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_reports_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_reports_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('fund_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_sequence', sa.Integer(), server_default=sa.text('0'), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('fund_rounds', schema=None) as batch_op:
        batch_op.drop_column('last_sequence')

    with op.batch_alter_table('fund_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_reports_updated_at'))
        batch_op.drop_index(batch_op.f('ix_fund_reports_status'))
        batch_op.drop_index(batch_op.f('ix_fund_reports_grant_id'))
        batch_op.drop_index(batch_op.f('ix_fund_reports_due_on'))
        batch_op.drop_index(batch_op.f('ix_fund_reports_created_at'))

    op.drop_table('fund_reports')
    with op.batch_alter_table('fund_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_payments_updated_at'))
        batch_op.drop_index(batch_op.f('ix_fund_payments_paid_on'))
        batch_op.drop_index(batch_op.f('ix_fund_payments_kind'))
        batch_op.drop_index(batch_op.f('ix_fund_payments_grant_id'))
        batch_op.drop_index(batch_op.f('ix_fund_payments_created_at'))

    op.drop_table('fund_payments')
    with op.batch_alter_table('fund_reviews', schema=None) as batch_op:
        batch_op.drop_index('uq_fund_reviews_reviewer_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_fund_reviews_updated_at'))
        batch_op.drop_index(batch_op.f('ix_fund_reviews_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_fund_reviews_created_at'))
        batch_op.drop_index(batch_op.f('ix_fund_reviews_application_id'))

    op.drop_table('fund_reviews')
    with op.batch_alter_table('fund_grants', schema=None) as batch_op:
        batch_op.drop_index('uq_fund_grants_application_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_fund_grants_updated_at'))
        batch_op.drop_index(batch_op.f('ix_fund_grants_pot_id'))
        batch_op.drop_index(batch_op.f('ix_fund_grants_decision_id'))
        batch_op.drop_index(batch_op.f('ix_fund_grants_created_at'))
        batch_op.drop_index(batch_op.f('ix_fund_grants_application_id'))

    op.drop_table('fund_grants')
    with op.batch_alter_table('fund_budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_budget_lines_application_id'))

    op.drop_table('fund_budget_lines')
    with op.batch_alter_table('fund_application_strategies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_application_strategies_strategy_id'))

    op.drop_table('fund_application_strategies')
    with op.batch_alter_table('fund_application_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_application_events_at'))
        batch_op.drop_index(batch_op.f('ix_fund_application_events_application_id'))

    op.drop_table('fund_application_events')
    with op.batch_alter_table('fund_application_co_applicants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_application_co_applicants_organisation_id'))

    op.drop_table('fund_application_co_applicants')
    with op.batch_alter_table('fund_applications', schema=None) as batch_op:
        batch_op.drop_index('uq_fund_applications_sequence', sqlite_where=sa.text('deleted_at IS NULL AND sequence IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NULL AND sequence IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_updated_at'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_title_sort'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_status'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_round_id'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_pot_id'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_number'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_focus_area_id'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_created_at'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_contact_person_id'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_case_id'))
        batch_op.drop_index(batch_op.f('ix_fund_applications_applicant_id'))

    op.drop_table('fund_applications')
