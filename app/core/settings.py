"""Configuration from the environment (and an optional `.env`), read once per process."""

import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class DocumentStoreKind(StrEnum):
    local = "local"
    s3 = "s3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMVERKAN_", env_file=".env", extra="ignore")

    environment: Environment = Environment.development
    var_dir: Path = Path("var")
    database_url: str = Field(
        default="",
        validation_alias=AliasChoices("DATABASE_URL", "SAMVERKAN_DATABASE_URL"),
        description="SQLAlchemy URL; empty means SQLite under var/.",
    )
    secret_key: str = Field(default="", repr=False)
    token_issuer: str = "samverkan-api"  # noqa: S105 - a name, not a secret
    token_audience: str = "samverkan-api"  # noqa: S105 - a name, not a secret
    access_token_minutes: int = Field(default=60, ge=1, le=24 * 60)
    api_token_days: int = Field(default=365, ge=1, le=5 * 365)
    cors_origins: list[str] = []
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_upload_bytes: int = Field(default=50 * 1_048_576, ge=1024)
    public_read: bool = False
    login_max_failures: int = Field(default=5, ge=1)
    login_lock_seconds: int = Field(default=300, ge=1)
    # What an uploaded file may expand to, and the budget its parsing runs under (app.core.file_limits).
    max_unzipped_bytes: int = Field(default=200 * 1_048_576, ge=1024)
    max_zip_entries: int = Field(default=2000, ge=1)
    max_xml_bytes: int = Field(default=32 * 1_048_576, ge=1024)
    max_xml_depth: int = Field(default=256, ge=8)
    max_pdf_pages: int = Field(default=2000, ge=1)
    max_extracted_text_chars: int = Field(default=2_000_000, ge=1000)
    parse_seconds: float = Field(default=30, gt=0)
    parse_memory_bytes: int = Field(default=512 * 1_048_576, ge=16 * 1_048_576)
    # Where uploaded files are kept (app.documents.storage): under var_dir, or in an S3-compatible bucket that
    # several hosts share. S3 credentials come from the standard AWS chain (environment, profile, instance role),
    # never from here.
    document_store: DocumentStoreKind = DocumentStoreKind.local
    s3_bucket: str = ""
    s3_prefix: str = Field(default="documents/", description="Key prefix for the objects; may be empty.")
    s3_endpoint_url: str | None = Field(default=None, description="For a store other than AWS (MinIO, Ceph, …).")
    s3_region: str | None = None

    @model_validator(mode="after")
    def _defaults(self) -> "Settings":
        if self.document_store is DocumentStoreKind.s3 and not self.s3_bucket:
            raise ValueError("SAMVERKAN_S3_BUCKET is required when SAMVERKAN_DOCUMENT_STORE is s3")
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'samverkan.sqlite3'}"
        if not self.secret_key:
            if self.environment is not Environment.development:
                raise ValueError(f"SAMVERKAN_SECRET_KEY is required in {self.environment}")
            self.secret_key = _development_secret(self.var_dir)
        if len(self.secret_key) < MIN_SECRET_LENGTH and self.environment is not Environment.development:
            raise ValueError(f"SAMVERKAN_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters")
        return self


def _development_secret(var_dir: Path) -> str:
    """A per-checkout key kept in var/, so tokens survive restarts but no key is ever committed."""
    path = var_dir / "secret.key"
    if path.exists():
        key = path.read_text().strip()
        # An empty or truncated file would sign tokens with a key anyone can guess: make a new one instead.
        if len(key) >= MIN_SECRET_LENGTH:
            return key
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Created 0600 from the start, so the key is never readable by others, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when an old file with looser rights is being replaced
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
