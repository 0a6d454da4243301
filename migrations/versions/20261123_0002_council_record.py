"""council record: meetings, attendance, agenda items, cases, documents, decisions, search

Revision ID: 0002_council_record
Revises: 0001_foundation
Create Date: 2026-11-23 16:56:55.537528
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.db
from alembic import op


revision: str = '0002_council_record'
down_revision: str | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('role', sa.Enum('agenda', 'minutes', 'decision_basis', 'information_basis', 'other', name='documentrole', native_enum=False, length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_updated_at'), ['updated_at'], unique=False)

    op.create_table('search_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('case', 'agenda_item', 'decision', 'document', name='searchkind', native_enum=False, length=20), nullable=False),
    sa.Column('object_id', sa.Uuid(), nullable=False),
    sa.Column('body_id', sa.Uuid(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries')),
    sa.UniqueConstraint('kind', 'object_id', name=op.f('uq_search_entries_kind_object_id'))
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_entries_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entries_object_id'), ['object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_entries_year'), ['year'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('open', 'in_preparation', 'ready', 'decided', 'in_follow_up', 'closed', 'withdrawn', name='casestatus', native_enum=False, length=20), nullable=False),
    sa.Column('responsible_body_id', sa.Uuid(), nullable=True),
    sa.Column('queue_body_id', sa.Uuid(), nullable=True),
    sa.Column('target_group', sa.Enum('children_young', 'adults_elderly', 'all', name='targetgroup', native_enum=False, length=20), nullable=True),
    sa.ForeignKeyConstraint(['queue_body_id'], ['organisations.id'], name=op.f('fk_cases_queue_body_id_organisations')),
    sa.ForeignKeyConstraint(['responsible_body_id'], ['organisations.id'], name=op.f('fk_cases_responsible_body_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_queue_body_id'), ['queue_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_responsible_body_id'), ['responsible_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('uq_cases_reference_live', ['reference'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('document_links',
    sa.Column('document_id', sa.Uuid(), nullable=False),
    sa.Column('target_type', sa.Enum('meeting', 'agenda_item', 'case', 'decision', name='linktarget', native_enum=False, length=20), nullable=False),
    sa.Column('target_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_links_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'target_type', 'target_id', name=op.f('pk_document_links'))
    )
    with op.batch_alter_table('document_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_links_target_id'), ['target_id'], unique=False)

    op.create_table('case_events',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'status_changed', 'referred', name='caseeventkind', native_enum=False, length=20), nullable=False),
    sa.Column('at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('on', sa.Date(), nullable=True),
    sa.Column('from_status', sa.Enum('open', 'in_preparation', 'ready', 'decided', 'in_follow_up', 'closed', 'withdrawn', name='casestatus', native_enum=False, length=20), nullable=True),
    sa.Column('to_status', sa.Enum('open', 'in_preparation', 'ready', 'decided', 'in_follow_up', 'closed', 'withdrawn', name='casestatus', native_enum=False, length=20), nullable=True),
    sa.Column('body_id', sa.Uuid(), nullable=True),
    sa.Column('decision_id', sa.Uuid(), nullable=True),
    sa.Column('principal_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['body_id'], ['organisations.id'], name=op.f('fk_case_events_body_id_organisations')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_events_case_id'), ['case_id'], unique=False)

    op.create_table('case_strategies',
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.Column('strategy_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_strategies_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['strategy_id'], ['strategies.id'], name=op.f('fk_case_strategies_strategy_id_strategies')),
    sa.PrimaryKeyConstraint('case_id', 'strategy_id', name=op.f('pk_case_strategies'))
    )
    with op.batch_alter_table('case_strategies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_strategies_strategy_id'), ['strategy_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('ordinary', 'extra', 'joint', 'seminar', name='meetingkind', native_enum=False, length=20), nullable=False),
    sa.Column('status', sa.Enum('planned', 'convened', 'held', 'minutes_approved', 'cancelled', name='meetingstatus', native_enum=False, length=20), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('lead_body_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('diary_number', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('chair_id', sa.Uuid(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['people.id'], name=op.f('fk_meetings_chair_id_people')),
    sa.ForeignKeyConstraint(['lead_body_id'], ['organisations.id'], name=op.f('fk_meetings_lead_body_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_diary_number'), ['diary_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_lead_body_id'), ['lead_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_updated_at'), ['updated_at'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('body_id', sa.Uuid(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('number_value', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('section', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('kind', sa.Enum('information', 'decision', 'standing', name='itemkind', native_enum=False, length=20), nullable=False),
    sa.Column('format', sa.Enum('oral', 'written', name='itemformat', native_enum=False, length=20), nullable=True),
    sa.Column('minutes_text', sa.Text(), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['organisations.id'], name=op.f('fk_agenda_items_body_id_organisations')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_items_body_year', ['body_id', 'year'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_position'), ['position'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_items_updated_at'), ['updated_at'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Uuid(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.Enum('present', 'absent', 'excused', name='attendancestatus', native_enum=False, length=20), nullable=False),
    sa.Column('role', sa.Enum('chair', 'adjuster', 'member', 'substitute', 'official', 'co_opted', 'presenter', 'guest', name='attendancerole', native_enum=False, length=20), nullable=False),
    sa.Column('substitute_for_id', sa.Uuid(), nullable=True),
    sa.Column('from_item', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('to_item', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('source', sa.Enum('manual', 'protocol', 'teams', name='attendancesource', native_enum=False, length=20), nullable=False),
    sa.Column('joined_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('left_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.ForeignKeyConstraint(['body_id'], ['organisations.id'], name=op.f('fk_attendance_body_id_organisations')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['organisations.id'], name=op.f('fk_attendance_on_behalf_of_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_attendance_person_id_people')),
    sa.ForeignKeyConstraint(['substitute_for_id'], ['people.id'], name=op.f('fk_attendance_substitute_for_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_attendance_meeting_id_person_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_person_id'), ['person_id'], unique=False)

    op.create_table('meeting_adjusters',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_adjusters_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_meeting_adjusters_person_id_people')),
    sa.PrimaryKeyConstraint('meeting_id', 'person_id', name=op.f('pk_meeting_adjusters'))
    )
    op.create_table('meeting_bodies',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('body_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['organisations.id'], name=op.f('fk_meeting_bodies_body_id_organisations')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_bodies_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'body_id', name=op.f('pk_meeting_bodies'))
    )
    with op.batch_alter_table('meeting_bodies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_bodies_body_id'), ['body_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Uuid(), nullable=False),
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('body_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('noted', 'resolved', 'recommendation', 'assignment', 'referral', name='decisionkind', native_enum=False, length=24), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('clauses', sa.JSON(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('response_deadline', sa.Date(), nullable=True),
    sa.Column('assignee_body_id', sa.Uuid(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('assignment_status', sa.Enum('open', 'in_progress', 'reported', 'closed', name='assignmentstatus', native_enum=False, length=24), nullable=True),
    sa.Column('report_item_id', sa.Uuid(), nullable=True),
    sa.Column('target_body_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_decisions_agenda_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['assignee_body_id'], ['organisations.id'], name=op.f('fk_decisions_assignee_body_id_organisations')),
    sa.ForeignKeyConstraint(['body_id'], ['organisations.id'], name=op.f('fk_decisions_body_id_organisations')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_decisions_case_id_cases')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_decisions_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['report_item_id'], ['agenda_items.id'], name=op.f('fk_decisions_report_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['target_body_id'], ['organisations.id'], name=op.f('fk_decisions_target_body_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_assignee_body_id'), ['assignee_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_due_date'), ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_response_deadline'), ['response_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_target_body_id'), ['target_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_updated_at'), ['updated_at'], unique=False)

    op.create_table('item_cases',
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_item_cases_case_id_cases')),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_item_cases_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'case_id', name=op.f('pk_item_cases'))
    )
    with op.batch_alter_table('item_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_cases_case_id'), ['case_id'], unique=False)

    op.create_table('item_presenters',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('item_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_item_presenters_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_item_presenters_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_presenters'))
    )
    with op.batch_alter_table('item_presenters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_presenters_item_id'), ['item_id'], unique=False)

    op.create_table('recommendation_responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'adopted', 'adopted_with_changes', 'rejected', 'not_applicable', name='responsestatus', native_enum=False, length=24), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('assembly', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('document_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_recommendation_responses_decision_id_decisions')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_recommendation_responses_document_id_documents')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_recommendation_responses_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_responses')),
    sa.UniqueConstraint('decision_id', 'organisation_id', name=op.f('uq_recommendation_responses_decision_id_organisation_id'))
    )
    with op.batch_alter_table('recommendation_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_responses_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_responses_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_responses_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recommendation_responses_updated_at'), ['updated_at'], unique=False)
    _full_text_up()


def downgrade() -> None:
    _full_text_down()
    with op.batch_alter_table('recommendation_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_responses_updated_at'))
        batch_op.drop_index(batch_op.f('ix_recommendation_responses_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_responses_decision_id'))
        batch_op.drop_index(batch_op.f('ix_recommendation_responses_created_at'))

    op.drop_table('recommendation_responses')
    with op.batch_alter_table('item_presenters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_presenters_item_id'))

    op.drop_table('item_presenters')
    with op.batch_alter_table('item_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_cases_case_id'))

    op.drop_table('item_cases')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_updated_at'))
        batch_op.drop_index(batch_op.f('ix_decisions_target_body_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_response_deadline'))
        batch_op.drop_index(batch_op.f('ix_decisions_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_due_date'))
        batch_op.drop_index(batch_op.f('ix_decisions_decided_on'))
        batch_op.drop_index(batch_op.f('ix_decisions_created_at'))
        batch_op.drop_index(batch_op.f('ix_decisions_case_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_body_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_assignee_body_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_agenda_item_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('meeting_bodies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_bodies_body_id'))

    op.drop_table('meeting_bodies')
    op.drop_table('meeting_adjusters')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_person_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_updated_at'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_position'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_items_created_at'))
        batch_op.drop_index('ix_agenda_items_body_year')

    op.drop_table('agenda_items')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_updated_at'))
        batch_op.drop_index(batch_op.f('ix_meetings_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meetings_lead_body_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_diary_number'))
        batch_op.drop_index(batch_op.f('ix_meetings_created_at'))

    op.drop_table('meetings')
    with op.batch_alter_table('case_strategies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_strategies_strategy_id'))

    op.drop_table('case_strategies')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_events_case_id'))

    op.drop_table('case_events')
    with op.batch_alter_table('document_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_links_target_id'))

    op.drop_table('document_links')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('uq_cases_reference_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_cases_updated_at'))
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index(batch_op.f('ix_cases_responsible_body_id'))
        batch_op.drop_index(batch_op.f('ix_cases_queue_body_id'))
        batch_op.drop_index(batch_op.f('ix_cases_created_at'))

    op.drop_table('cases')
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_entries_year'))
        batch_op.drop_index(batch_op.f('ix_search_entries_object_id'))
        batch_op.drop_index(batch_op.f('ix_search_entries_body_id'))

    op.drop_table('search_entries')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_updated_at'))
        batch_op.drop_index(batch_op.f('ix_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_documents_created_at'))

    op.drop_table('documents')


# Full text, per database. On SQLite an FTS5 table keeps its own copy of each entry's text (keyed by the
# entry's id, not its rowid, which VACUUM may renumber), with triggers; the tokenizer keeps å, ä and ö
# distinct. On PostgreSQL a GIN index over the `swedish` configuration (stemming) serves the same query.
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(entry_id UNINDEXED, title, body_text, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(entry_id, title, body_text) VALUES (new.id, new.title, new.body_text); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "DELETE FROM search_fts WHERE entry_id = old.id; END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "DELETE FROM search_fts WHERE entry_id = old.id; "
    "INSERT INTO search_fts(entry_id, title, body_text) VALUES (new.id, new.title, new.body_text); END",
]
POSTGRESQL_FTS = (
    "CREATE INDEX ix_search_entries_fulltext ON search_entries "
    "USING gin (to_tsvector('swedish', title || ' ' || body_text))"
)


def _full_text_up() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FTS)
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)


def _full_text_down() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_entries_fulltext")
    else:
        op.execute("DROP TABLE IF EXISTS search_fts")
