"""funds: funds with focus areas, yearly rounds, pots and transfers between pots

Amounts are NUMERIC(14,2) on both databases (app.core.money.MoneyColumn in the models).

Revision ID: 0009_funds
Revises: 0008_search_stemming
Create Date: 2026-11-29 01:08:06
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.db
from alembic import op


revision: str = "0009_funds"
down_revision: str | None = "0008_search_stemming"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "funds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_sort", sa.Text().with_variant(sa.Text(collation="C"), "postgresql"), nullable=False),
        sa.Column("owning_body_id", sa.Uuid(), nullable=False),
        sa.Column("deciding_body_id", sa.Uuid(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deciding_body_id"], ["organisations.id"], name=op.f("fk_funds_deciding_body_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["owning_body_id"], ["organisations.id"], name=op.f("fk_funds_owning_body_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funds")),
    )
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_funds_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_funds_deciding_body_id"), ["deciding_body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_funds_name_sort"), ["name_sort"], unique=False)
        batch_op.create_index(batch_op.f("ix_funds_owning_body_id"), ["owning_body_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_funds_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(
            "uq_funds_code_live",
            ["code"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "fund_focus_areas",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name=op.f("fk_fund_focus_areas_fund_id_funds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_focus_areas")),
    )
    with op.batch_alter_table("fund_focus_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_focus_areas_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_focus_areas_fund_id"), ["fund_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_focus_areas_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(
            "uq_fund_focus_areas_number_live",
            ["fund_id", "number"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "fund_rounds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fund_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "open", "closed", "decided", "archived", name="roundstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("priorities", sa.Text(), nullable=True),
        sa.Column("review_criteria", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
        sa.ForeignKeyConstraint(["fund_id"], ["funds.id"], name=op.f("fk_fund_rounds_fund_id_funds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_rounds")),
    )
    with op.batch_alter_table("fund_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_rounds_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_rounds_fund_id"), ["fund_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_rounds_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_rounds_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_rounds_year"), ["year"], unique=False)
        batch_op.create_index(
            "uq_fund_rounds_year_live",
            ["fund_id", "year"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "fund_pots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("name_sort", sa.Text().with_variant(sa.Text(collation="C"), "postgresql"), nullable=False),
        sa.Column("budget", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("carried_over", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("carried_from_pot_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["carried_from_pot_id"], ["fund_pots.id"], name=op.f("fk_fund_pots_carried_from_pot_id_fund_pots")
        ),
        sa.ForeignKeyConstraint(["round_id"], ["fund_rounds.id"], name=op.f("fk_fund_pots_round_id_fund_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_pots")),
    )
    with op.batch_alter_table("fund_pots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_pots_carried_from_pot_id"), ["carried_from_pot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_pots_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_pots_name_sort"), ["name_sort"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_pots_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_pots_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(
            "uq_fund_pots_name_live",
            ["round_id", "name"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "fund_transfers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", app.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Uuid(), nullable=False),
        sa.Column("from_pot_id", sa.Uuid(), nullable=False),
        sa.Column("to_pot_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("decision_reference", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("comment", sa.String(length=2000), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["principals.id"], name=op.f("fk_fund_transfers_created_by_id_principals")
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_fund_transfers_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["from_pot_id"], ["fund_pots.id"], name=op.f("fk_fund_transfers_from_pot_id_fund_pots")
        ),
        sa.ForeignKeyConstraint(["round_id"], ["fund_rounds.id"], name=op.f("fk_fund_transfers_round_id_fund_rounds")),
        sa.ForeignKeyConstraint(["to_pot_id"], ["fund_pots.id"], name=op.f("fk_fund_transfers_to_pot_id_fund_pots")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fund_transfers")),
    )
    with op.batch_alter_table("fund_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fund_transfers_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_transfers_decision_id"), ["decision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_transfers_from_pot_id"), ["from_pot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_transfers_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_transfers_to_pot_id"), ["to_pot_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_fund_transfers_updated_at"), ["updated_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fund_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fund_transfers_updated_at"))
        batch_op.drop_index(batch_op.f("ix_fund_transfers_to_pot_id"))
        batch_op.drop_index(batch_op.f("ix_fund_transfers_round_id"))
        batch_op.drop_index(batch_op.f("ix_fund_transfers_from_pot_id"))
        batch_op.drop_index(batch_op.f("ix_fund_transfers_decision_id"))
        batch_op.drop_index(batch_op.f("ix_fund_transfers_created_at"))

    op.drop_table("fund_transfers")
    with op.batch_alter_table("fund_pots", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_fund_pots_name_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_fund_pots_updated_at"))
        batch_op.drop_index(batch_op.f("ix_fund_pots_round_id"))
        batch_op.drop_index(batch_op.f("ix_fund_pots_name_sort"))
        batch_op.drop_index(batch_op.f("ix_fund_pots_created_at"))
        batch_op.drop_index(batch_op.f("ix_fund_pots_carried_from_pot_id"))

    op.drop_table("fund_pots")
    with op.batch_alter_table("fund_rounds", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_fund_rounds_year_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_fund_rounds_year"))
        batch_op.drop_index(batch_op.f("ix_fund_rounds_updated_at"))
        batch_op.drop_index(batch_op.f("ix_fund_rounds_status"))
        batch_op.drop_index(batch_op.f("ix_fund_rounds_fund_id"))
        batch_op.drop_index(batch_op.f("ix_fund_rounds_created_at"))

    op.drop_table("fund_rounds")
    with op.batch_alter_table("fund_focus_areas", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_fund_focus_areas_number_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_fund_focus_areas_updated_at"))
        batch_op.drop_index(batch_op.f("ix_fund_focus_areas_fund_id"))
        batch_op.drop_index(batch_op.f("ix_fund_focus_areas_created_at"))

    op.drop_table("fund_focus_areas")
    with op.batch_alter_table("funds", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_funds_code_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_funds_updated_at"))
        batch_op.drop_index(batch_op.f("ix_funds_owning_body_id"))
        batch_op.drop_index(batch_op.f("ix_funds_name_sort"))
        batch_op.drop_index(batch_op.f("ix_funds_deciding_body_id"))
        batch_op.drop_index(batch_op.f("ix_funds_created_at"))

    op.drop_table("funds")
