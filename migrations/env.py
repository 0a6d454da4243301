"""Alembic environment: the URL from settings (or the caller), batch mode for SQLite, the app's metadata."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import text

from app.core.db import create_engine
from app.core.settings import get_settings
from app.tables import metadata

MIGRATION_LOCK = 7_236_410  # any fixed number; shared by every process migrating this database
config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Full-text structures are made by hand in the migrations, per database: autogenerate leaves them be."""
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    return not (type_ == "index" and name == "ix_search_entries_fulltext")


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or get_settings().database_url
    engine = create_engine(url, migrating=True)
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Several app containers may start together; one migrates, the others wait and find nothing to do.
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
