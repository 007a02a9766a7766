"""Every install reads constraints.txt, and this environment is the one it describes."""

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "constraints.txt"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)$")


def pins() -> dict[str, str]:
    found = {}
    for line in CONSTRAINTS.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"not an exact pin: {line!r}"
        found[canonicalize_name(match[1])] = match[2]
    return found


def test_constraints_pin_the_test_tools_and_keep_the_urllib3_fork_out() -> None:
    pinned = pins()
    for name in ("pytest", "schemathesis", "hypothesis", "fastapi", "psycopg", "urllib3"):
        assert name in pinned, name
    assert "urllib3-future" not in pinned
    assert "niquests" not in pinned


@pytest.mark.parametrize(
    ("path", "install"),
    [
        ("scripts/test", "pip install -q -c constraints.txt -e '.[test]'"),
        ("README.md", "pip install -c constraints.txt '.[demo]'"),
        ("README.md", "pip install -c constraints.txt -e '.[test]'"),
        ("Dockerfile", "pip wheel --no-cache-dir --constraint constraints.txt"),
    ],
)
def test_every_install_reads_the_constraints(path: str, install: str) -> None:
    assert install in (ROOT / path).read_text()


def test_this_environment_has_the_locked_versions() -> None:
    """What the suite runs with is what a fresh install from the lock gets."""
    drifted = {}
    for name, pinned in pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # a platform-specific pin (uvloop on Windows) not needed here
        if installed != pinned:
            drifted[name] = f"{installed} installed, {pinned} locked"
    assert not drifted, drifted
