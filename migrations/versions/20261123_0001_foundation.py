"""foundation: principals, organisations, people, memberships, strategies, audit

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-23 16:43:00.947618
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.core.db


revision: str = '0001_foundation'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('principal_id', sa.Uuid(), nullable=True),
    sa.Column('principal_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('action', sa.Enum('create', 'update', 'delete', 'revoke', 'login', name='auditaction', native_enum=False, length=20), nullable=False),
    sa.Column('resource_type', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('resource_id', sa.Uuid(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_principal_id'), ['principal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_resource_id'), ['resource_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_resource_type'), ['resource_type'], unique=False)

    op.create_table('idempotency_keys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('request_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('owner', 'key', name=op.f('uq_idempotency_keys_owner_key'))
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_keys_created_at'), ['created_at'], unique=False)

    op.create_table('login_throttle',
    sa.Column('login', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_login_throttle'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('region', 'municipality', 'sub_region', 'joint_body', 'working_group', 'external', name='organisationkind', native_enum=False, length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('short_name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
    sa.Column('name_sort', sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql'), nullable=False),
    sa.Column('search_text', sa.String(length=4000), nullable=False),
    sa.Column('municipality_code', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('county_code', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('org_number', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.Column('is_principal', sa.Boolean(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['organisations.id'], name=op.f('fk_organisations_parent_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_is_principal'), ['is_principal'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_name_sort'), ['name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('uq_organisations_municipality_code_live', ['municipality_code'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.create_index('uq_organisations_org_number_live', ['org_number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('strategies',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name_sort', sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql'), nullable=False),
    sa.Column('description', sa.String(length=4000), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategies'))
    )
    with op.batch_alter_table('strategies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategies_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_strategies_name_sort'), ['name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_strategies_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('uq_strategies_number_live', ['number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('area_members',
    sa.Column('area_id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['organisations.id'], name=op.f('fk_area_members_area_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_area_members_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('area_id', 'organisation_id', name=op.f('pk_area_members'))
    )
    with op.batch_alter_table('area_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_members_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_names',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_names_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_names'))
    )
    with op.batch_alter_table('organisation_names', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_names_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('given_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('family_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('name_sort', sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql'), nullable=False),
    sa.Column('search_text', sa.String(length=4000), nullable=False),
    sa.Column('party', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('employer_id', sa.Uuid(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['employer_id'], ['organisations.id'], name=op.f('fk_people_employer_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_name_sort'), ['name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_updated_at'), ['updated_at'], unique=False)
        batch_op.create_index('uq_people_email_live', ['email'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('memberships',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('body_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('chair', 'vice_chair', 'member', 'substitute', 'co_opted', 'secretary', 'official', name='membershiprole', native_enum=False, length=20), nullable=False),
    sa.Column('on_behalf_of_id', sa.Uuid(), nullable=True),
    sa.Column('voting_right', sa.Boolean(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('person_sort', sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['organisations.id'], name=op.f('fk_memberships_body_id_organisations')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['organisations.id'], name=op.f('fk_memberships_on_behalf_of_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_memberships_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_on_behalf_of_id'), ['on_behalf_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_person_sort'), ['person_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_updated_at'), ['updated_at'], unique=False)

    op.create_table('person_aliases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('alias', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('alias_folded', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_aliases_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_aliases'))
    )
    with op.batch_alter_table('person_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_aliases_alias_folded'), ['alias_folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_aliases_person_id'), ['person_id'], unique=False)

    op.create_table('principals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('person', 'service', name='principalkind', native_enum=False, length=20), nullable=False),
    sa.Column('login', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('secret_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_principals_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_principals'))
    )
    with op.batch_alter_table('principals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_principals_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_principals_login'), ['login'], unique=True)
        batch_op.create_index(batch_op.f('ix_principals_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_principals_updated_at'), ['updated_at'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('principal_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('token_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('expires_at', app.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', app.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['principal_id'], ['principals.id'], name=op.f('fk_api_tokens_principal_id_principals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_api_tokens_token_digest'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_tokens_principal_id'), ['principal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_tokens_updated_at'), ['updated_at'], unique=False)

    op.create_table('role_grants',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('principal_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'secretary', 'fund_manager', 'editor', 'reader', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('organisation_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_role_grants_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['principal_id'], ['principals.id'], name=op.f('fk_role_grants_principal_id_principals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants')),
    sa.UniqueConstraint('principal_id', 'role', 'organisation_id', name=op.f('uq_role_grants_principal_id_role_organisation_id'))
    )
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grants_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_grants_principal_id'), ['principal_id'], unique=False)
    _audit_log_append_only()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grants_principal_id'))
        batch_op.drop_index(batch_op.f('ix_role_grants_organisation_id'))

    op.drop_table('role_grants')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_updated_at'))
        batch_op.drop_index(batch_op.f('ix_api_tokens_principal_id'))
        batch_op.drop_index(batch_op.f('ix_api_tokens_created_at'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('principals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_principals_updated_at'))
        batch_op.drop_index(batch_op.f('ix_principals_person_id'))
        batch_op.drop_index(batch_op.f('ix_principals_login'))
        batch_op.drop_index(batch_op.f('ix_principals_created_at'))

    op.drop_table('principals')
    with op.batch_alter_table('person_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_aliases_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_aliases_alias_folded'))

    op.drop_table('person_aliases')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_updated_at'))
        batch_op.drop_index(batch_op.f('ix_memberships_start_date'))
        batch_op.drop_index(batch_op.f('ix_memberships_person_sort'))
        batch_op.drop_index(batch_op.f('ix_memberships_person_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_on_behalf_of_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_end_date'))
        batch_op.drop_index(batch_op.f('ix_memberships_created_at'))
        batch_op.drop_index(batch_op.f('ix_memberships_body_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index('uq_people_email_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_people_updated_at'))
        batch_op.drop_index(batch_op.f('ix_people_name_sort'))
        batch_op.drop_index(batch_op.f('ix_people_employer_id'))
        batch_op.drop_index(batch_op.f('ix_people_created_at'))

    op.drop_table('people')
    with op.batch_alter_table('organisation_names', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_names_organisation_id'))

    op.drop_table('organisation_names')
    with op.batch_alter_table('area_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_members_organisation_id'))

    op.drop_table('area_members')
    with op.batch_alter_table('strategies', schema=None) as batch_op:
        batch_op.drop_index('uq_strategies_number_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_strategies_updated_at'))
        batch_op.drop_index(batch_op.f('ix_strategies_name_sort'))
        batch_op.drop_index(batch_op.f('ix_strategies_created_at'))

    op.drop_table('strategies')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index('uq_organisations_org_number_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index('uq_organisations_municipality_code_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_organisations_updated_at'))
        batch_op.drop_index(batch_op.f('ix_organisations_parent_id'))
        batch_op.drop_index(batch_op.f('ix_organisations_name_sort'))
        batch_op.drop_index(batch_op.f('ix_organisations_kind'))
        batch_op.drop_index(batch_op.f('ix_organisations_is_principal'))
        batch_op.drop_index(batch_op.f('ix_organisations_created_at'))

    op.drop_table('organisations')
    op.drop_table('login_throttle')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_created_at'))

    op.drop_table('idempotency_keys')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_resource_type'))
        batch_op.drop_index(batch_op.f('ix_audit_log_resource_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_principal_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))

    op.drop_table('audit_log')


def _audit_log_append_only() -> None:
    """The audit log can be added to, never changed: the database itself refuses UPDATE and DELETE."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
