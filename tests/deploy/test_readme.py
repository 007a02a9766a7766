"""The README's front-door commands are the ones CI and the package really provide."""

import re
import tomllib
from pathlib import Path

from click.testing import CliRunner

from farmtrace.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command_after(heading_text: str) -> str:
    """The first shell block after the sentence that introduces it."""
    found = re.search(re.escape(heading_text) + r".*?```sh\n(.+?)\n```", README, re.S)
    assert found, heading_text
    return found.group(1).strip()


def test_ci_runs_the_readme_test_command() -> None:
    test_command = _command_after("Run the tests")
    ci_lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert ci_lines[-1] == test_command


def test_the_demo_command_is_installed_by_the_package() -> None:
    assert _command_after("Install and start the demo") == (
        "pip install -c constraints.txt '.[demo]' && farmtrace demo"
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["farmtrace"] == "farmtrace.cli:main"
    assert "demo" in project["project"]["optional-dependencies"]
    result = CliRunner().invoke(main, ["demo", "--help"])
    assert result.exit_code == 0, result.output


def test_every_command_in_the_readme_table_exists() -> None:
    rows = re.findall(r"^\| `farmtrace ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", README, re.M)
    assert rows
    for group, sub in rows:
        args = [group, sub, "--help"] if sub else [group, "--help"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
