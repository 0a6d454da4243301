"""Files on disk, addressed by their SHA-256: the same content is stored once, whatever it is called."""

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from app.core.errors import PayloadTooLarge
from app.core.settings import get_settings

CHUNK = 1 << 20


def root() -> Path:
    return get_settings().var_dir / "documents"


def path_for(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def store(stream: BinaryIO, limit: int) -> tuple[str, int, Path]:
    """Copy the stream to a temporary file, hashing as it goes; the caller commits it with `keep`."""
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


def keep(tmp: Path, sha256: str) -> Path:
    """Move a stored upload into place; if the content is there already, the copy is dropped."""
    final = path_for(sha256)
    if final.exists():
        tmp.unlink(missing_ok=True)
    else:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
    return final
