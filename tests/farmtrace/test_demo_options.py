"""`farmtrace demo`'s options that need no running stack: the public URL and the LAN address."""

from pathlib import Path

from click.testing import CliRunner

from farmtrace.cli import main
from farmtrace.demo.stack import lan_address


def test_a_public_url_that_is_not_a_web_origin_is_refused_before_anything_starts(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    result = CliRunner().invoke(main, ["demo", "--home", str(home), "--public-url", "192.168.1.5"])
    assert result.exit_code == 2
    assert "http://192.168.1.20:8000" in result.output
    assert not home.exists()


def test_the_lan_address_is_never_loopback() -> None:
    address = lan_address()
    assert address is None or not address.startswith("127.")
