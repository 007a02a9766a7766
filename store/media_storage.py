"""Where media bytes live: an interface with a file-system implementation.

Files are named by the sha256 of their bytes, so a write is idempotent and a file never
changes once written; an S3-compatible bucket implements the same three methods with
PUT/GET/HEAD on the same names.
"""

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol


class MediaStorage(Protocol):
    def put(self, data: bytes) -> str:
        """Store the bytes; returns their sha256 hex digest, which names them."""
        ...

    def get(self, digest: str) -> bytes | None: ...

    def exists(self, digest: str) -> bool: ...


DIGEST = re.compile(r"[0-9a-f]{64}")


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DiskMediaStorage:
    """Files under ``root``, fanned out by the digest's first two characters."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        if not DIGEST.fullmatch(digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = digest_of(data)
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a file, two writers never clash.
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)
        return digest

    def get(self, digest: str) -> bytes | None:
        try:
            return self._path(digest).read_bytes()
        except FileNotFoundError:
            return None

    def exists(self, digest: str) -> bool:
        return self._path(digest).exists()
