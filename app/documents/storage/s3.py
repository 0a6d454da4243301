"""Documents in an S3-compatible bucket: `<prefix><first two hex digits>/<sha256>`, the local store's layout, so
`aws s3 sync var/documents s3://<bucket>/<prefix> --exclude 'tmp/*'` moves a local store into a bucket.

Credentials come from boto3's standard chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance or
task role) and are never read, kept or logged here.
"""

import io
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, cast

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from app.documents.storage.base import StoredInfo

_MISSING = {"404", "NoSuchKey", "NotFound"}


def _missing(exc: ClientError) -> bool:
    return str(exc.response.get("Error", {}).get("Code")) in _MISSING


_client_lock = threading.Lock()


@lru_cache(maxsize=4)
def _client(endpoint_url: str | None, region: str | None) -> Any:
    """One client per endpoint: boto3 clients are thread-safe and keep a connection pool; making one is not cheap,
    and boto3's sessions are not safe to make clients from in several threads at once."""
    other_than_aws: dict[str, Any] = {}
    if endpoint_url:
        # Stores other than AWS (MinIO, Ceph, a test server) are addressed by path, not by a bucket host name, and
        # many of them refuse the checksums boto3 adds to every request by default; checksums are sent only where
        # the API requires them there.
        other_than_aws = {
            "s3": {"addressing_style": "path"},
            "request_checksum_calculation": "when_required",
            "response_checksum_validation": "when_required",
        }
    config = Config(retries={"mode": "standard", "max_attempts": 5}, **other_than_aws)
    with _client_lock:
        return boto3.session.Session().client("s3", endpoint_url=endpoint_url, region_name=region, config=config)


class S3Store:
    def __init__(self, bucket: str, prefix: str, endpoint_url: str | None, region: str | None) -> None:
        self.bucket, self.prefix = bucket, prefix
        self.client = _client(endpoint_url, region)

    def key(self, sha256: str) -> str:
        return f"{self.prefix}{sha256[:2]}/{sha256}"

    def put(self, tmp: Path, sha256: str) -> None:
        if not self.exists(sha256):  # the same content may be there already, put by this host or another
            # upload_file streams from disk, in parts for a large file, and retries what fails on the way.
            self.client.upload_file(str(tmp), self.bucket, self.key(sha256))
        tmp.unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        try:
            self.stat(sha256)
        except FileNotFoundError:
            return False
        return True

    def stat(self, sha256: str) -> StoredInfo:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(sha256))
        except ClientError as exc:
            if _missing(exc):
                raise FileNotFoundError(f"no stored content {sha256}") from exc
            raise
        return StoredInfo(int(head["ContentLength"]), head["LastModified"].timestamp())

    def open(self, sha256: str) -> BinaryIO:
        size = self.stat(sha256).size
        raw = _ObjectReader(self.client, self.bucket, self.key(sha256), size)
        return cast(BinaryIO, io.BufferedReader(raw, buffer_size=256 * 1024))


class _ObjectReader(io.RawIOBase):
    """An object read as a file: one ranged GET from the current position, streamed as it is read, and a new one
    only after a seek elsewhere (a multi-range download)."""

    def __init__(self, client: Any, bucket: str, key: str, size: int) -> None:
        self._client, self._bucket, self._key, self._size = client, bucket, key, size
        self._pos = 0
        self._body: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        position = max(0, base + offset)
        if position != self._pos:
            self._drop_body()
            self._pos = position
        return self._pos

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size:
            return 0
        if self._body is None:
            got = self._client.get_object(Bucket=self._bucket, Key=self._key, Range=f"bytes={self._pos}-")
            self._body = got["Body"]
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        self._drop_body()
        super().close()

    def _drop_body(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None
