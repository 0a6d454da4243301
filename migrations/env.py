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


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or get_settings().database_url
    engine = create_engine(url)
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
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (--sql) migrations are not supported; run against a database.")
run_migrations_online()
