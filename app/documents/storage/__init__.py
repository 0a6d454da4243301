"""Where uploaded files are kept, addressed by their SHA-256: the same content is stored once, whatever it is called.

An upload is first copied to a temporary file under var_dir (hashed as it goes, and read there by the parsing
child), then handed to the configured store only when the request's transaction commits: on local disk
(app.documents.storage.local, the default) or in an S3-compatible bucket (app.documents.storage.s3) that several
hosts share. A transaction that ends any other way removes the temporary file, so no stored file or object ever
exists without the row that names it. Stored content is never deleted here: it is immutable and may be named by
several documents (and a document is only ever soft-deleted).
"""

import hashlib
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from app.core.errors import PayloadTooLarge
from app.core.settings import DocumentStoreKind, get_settings
from app.documents.storage.base import DocumentStore, StoredInfo

__all__ = ["CHUNK", "DocumentStore", "StoredInfo", "current", "keep_on_commit", "root", "store"]

CHUNK = 1 << 20
_PENDING = "documents.pending_files"
log = logging.getLogger("samverkan.documents")


def root() -> Path:
    """This host's document directory: the stored files of the local store, and every store's temporary files."""
    return get_settings().var_dir / "documents"


def current() -> DocumentStore:
    """The store the settings name (one per configuration, so its client and connections are reused)."""
    s = get_settings()
    return _store_for(s.document_store, s.var_dir, s.s3_bucket, s.s3_prefix, s.s3_endpoint_url, s.s3_region)


@lru_cache(maxsize=8)
def _store_for(
    kind: DocumentStoreKind,
    var_dir: Path,
    bucket: str,
    prefix: str,
    endpoint_url: str | None,
    region: str | None,
) -> DocumentStore:
    if kind is DocumentStoreKind.s3:
        from app.documents.storage.s3 import S3Store  # boto3 is loaded only where it is used

        return S3Store(bucket, prefix, endpoint_url, region)
    from app.documents.storage.local import LocalStore

    return LocalStore(var_dir / "documents")


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
    """The stored upload goes to the store when the session's transaction commits, and is removed when it ends
    otherwise: a file or object is never left behind without its row, whatever fails after the upload."""
    pending: list[tuple[Path, str]] = session.info.setdefault(_PENDING, [])
    pending.append((tmp, sha256))
    if not event.contains(session, "after_commit", _put_pending):
        event.listen(session, "after_commit", _put_pending)
        event.listen(session, "after_transaction_end", _drop_pending)


def _put_pending(session: Session) -> None:
    # Each file is tried even when one fails, and a failed one keeps its temporary file, so an operator can still
    # put it by hand; the first failure is raised, so the request is not reported as a success.
    target, failure = current(), None
    for tmp, sha256 in session.info.pop(_PENDING, []):
        try:
            target.put(tmp, sha256)
        except Exception as exc:
            log.error("document %s was committed but could not be stored; its upload is kept at %s", sha256, tmp)
            failure = failure or exc
    if failure is not None:
        raise failure


def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction; after a commit nothing is pending any more
        for tmp, _sha in session.info.pop(_PENDING, []):
            tmp.unlink(missing_ok=True)
