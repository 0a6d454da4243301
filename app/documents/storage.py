"""Files on disk, addressed by their SHA-256: the same content is stored once, whatever it is called."""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.core.errors import PayloadTooLarge
from app.core.settings import get_settings

CHUNK = 1 << 20
_PENDING = "documents.pending_files"


def root() -> Path:
    return get_settings().var_dir / "documents"


def path_for(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def store(stream: BinaryIO, limit: int) -> tuple[str, int, Path]:
    """Copy the stream to a temporary file, hashing as it goes; the caller hands it to `keep_on_commit`."""
    tmp_dir = root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"The file is larger than the limit of {limit} bytes.")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size, Path(name)


def keep_on_commit(session: Session, tmp: Path, sha256: str) -> None:
    """The stored upload goes into place when the session's transaction commits, and is removed when it ends
    otherwise: a file is never left behind without its row, whatever fails after the upload."""
    pending: list[tuple[Path, str]] = session.info.setdefault(_PENDING, [])
    pending.append((tmp, sha256))
    if not event.contains(session, "after_commit", _move_pending):
        event.listen(session, "after_commit", _move_pending)
        event.listen(session, "after_transaction_end", _drop_pending)


def _move_pending(session: Session) -> None:
    for tmp, sha256 in session.info.pop(_PENDING, []):
        final = path_for(sha256)
        if final.exists():  # the same content is there already
            tmp.unlink(missing_ok=True)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)


def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction; after a commit nothing is pending any more
        for tmp, _sha in session.info.pop(_PENDING, []):
            tmp.unlink(missing_ok=True)
