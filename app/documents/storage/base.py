"""The one interface every document store offers."""

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol


@dataclass(frozen=True)
class StoredInfo:
    size: int
    modified: float  # seconds since the epoch, for Last-Modified


class DocumentStore(Protocol):
    """Content addressed by its SHA-256 (lower-case hex). Content is immutable once stored."""

    def put(self, tmp: Path, sha256: str) -> None:
        """Keep the temporary file's content under its hash, and remove the temporary file. Storing content that
        is there already changes nothing."""

    def exists(self, sha256: str) -> bool: ...

    def stat(self, sha256: str) -> StoredInfo:
        """Raises FileNotFoundError when the content is not stored."""

    def open(self, sha256: str) -> BinaryIO:
        """A readable, seekable file of the content, read as it is consumed (never whole into memory); a seek
        followed by reads gives a byte range. Raises FileNotFoundError when the content is not stored."""
