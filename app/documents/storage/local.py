"""Documents on this host's disk: `<var_dir>/documents/<first two hex digits>/<sha256>`."""

import os
from pathlib import Path
from typing import BinaryIO

from app.documents.storage.base import StoredInfo


class LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, tmp: Path, sha256: str) -> None:
        final = self.path_for(sha256)
        if final.exists():  # the same content is there already
            tmp.unlink(missing_ok=True)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)  # atomic: a reader sees the whole file or none

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def stat(self, sha256: str) -> StoredInfo:
        st = self.path_for(sha256).stat()
        return StoredInfo(st.st_size, st.st_mtime)

    def open(self, sha256: str) -> BinaryIO:
        return self.path_for(sha256).open("rb")
