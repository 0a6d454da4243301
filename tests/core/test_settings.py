"""Settings: no service outside development starts without a real secret key; development makes its own."""

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.settings import MIN_SECRET_LENGTH, Settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A clean environment: no secret key, var/ under tmp_path, and no `.env` file in reach."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAMVERKAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("SAMVERKAN_VAR_DIR", str(tmp_path / "var"))
    return monkeypatch


@pytest.mark.parametrize("environment", ["production", "test"])
def test_a_secret_key_is_required_outside_development(env: pytest.MonkeyPatch, environment: str) -> None:
    env.setenv("SAMVERKAN_ENVIRONMENT", environment)
    with pytest.raises(ValidationError, match="SAMVERKAN_SECRET_KEY is required"):
        Settings()
    env.setenv("SAMVERKAN_SECRET_KEY", "")
    with pytest.raises(ValidationError, match="SAMVERKAN_SECRET_KEY"):
        Settings()


@pytest.mark.parametrize("environment", ["production", "test"])
def test_a_short_secret_key_is_refused_outside_development(env: pytest.MonkeyPatch, environment: str) -> None:
    env.setenv("SAMVERKAN_ENVIRONMENT", environment)
    env.setenv("SAMVERKAN_SECRET_KEY", "k" * (MIN_SECRET_LENGTH - 1))
    with pytest.raises(ValidationError, match=f"at least {MIN_SECRET_LENGTH}"):
        Settings()
    env.setenv("SAMVERKAN_SECRET_KEY", "k" * MIN_SECRET_LENGTH)
    assert Settings().secret_key == "k" * MIN_SECRET_LENGTH


def test_outside_development_no_key_file_is_written(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("SAMVERKAN_ENVIRONMENT", "production")
    with pytest.raises(ValidationError):
        Settings()
    assert not (tmp_path / "var" / "secret.key").exists()


def test_the_key_is_not_shown_in_repr(env: pytest.MonkeyPatch) -> None:
    env.setenv("SAMVERKAN_ENVIRONMENT", "production")
    env.setenv("SAMVERKAN_SECRET_KEY", "a-production-secret-that-is-long-enough")
    assert "a-production-secret" not in repr(Settings())


def test_development_generates_a_private_key_and_reuses_it(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("SAMVERKAN_ENVIRONMENT", "development")
    env.setenv("SAMVERKAN_VAR_DIR", str(tmp_path / "nested" / "var"))
    first = Settings()
    path = tmp_path / "nested" / "var" / "secret.key"
    assert path.read_text().strip() == first.secret_key
    assert len(first.secret_key) >= MIN_SECRET_LENGTH
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings().secret_key == first.secret_key

    other = tmp_path / "other"
    env.setenv("SAMVERKAN_VAR_DIR", str(other))
    assert Settings().secret_key != first.secret_key


def test_development_uses_a_given_key_and_writes_none(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("SAMVERKAN_ENVIRONMENT", "development")
    env.setenv("SAMVERKAN_SECRET_KEY", "a-developer-key-that-is-long-enough-0123")
    assert Settings().secret_key == "a-developer-key-that-is-long-enough-0123"
    assert not (tmp_path / "var" / "secret.key").exists()


@pytest.mark.parametrize("content", ["", "\n", "short"])
def test_development_replaces_an_empty_or_short_key_file(env: pytest.MonkeyPatch, tmp_path: Path, content: str) -> None:
    # An empty key would sign tokens that anyone can forge.
    env.setenv("SAMVERKAN_ENVIRONMENT", "development")
    path = tmp_path / "var" / "secret.key"
    path.parent.mkdir()
    path.write_text(content)
    key = Settings().secret_key
    assert len(key) >= MIN_SECRET_LENGTH
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Settings().secret_key == key


def test_database_defaults_to_sqlite_under_var(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("SAMVERKAN_ENVIRONMENT", "production")
    env.setenv("SAMVERKAN_SECRET_KEY", "k" * MIN_SECRET_LENGTH)
    env.delenv("SAMVERKAN_DATABASE_URL")
    env.delenv("DATABASE_URL", raising=False)
    assert Settings().database_url == f"sqlite:///{tmp_path / 'var' / 'samverkan.sqlite3'}"
    env.setenv("DATABASE_URL", "postgresql+psycopg://db/samverkan")
    assert Settings().database_url == "postgresql+psycopg://db/samverkan"
