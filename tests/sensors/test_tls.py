"""An mqtts:// broker URL with the operator's CA file: the agent verifies the broker's
certificate and delivers over TLS; without the CA it refuses to talk to the broker."""

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.sensors.agents import load_agent, pump_until, write_config
from tests.servers import PrivateMosquitto


def _openssl(*args: str) -> None:
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private CA and a broker certificate for 127.0.0.1, as an operator would make them."""
    ca_key, ca_cert = folder / "ca.key", folder / "ca.pem"
    key, request, cert = folder / "broker.key", folder / "broker.csr", folder / "broker.pem"
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=farmtrace test CA", "-keyout", str(ca_key), "-out", str(ca_cert),
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", str(key), "-out", str(request),
    )  # fmt: skip
    extensions = folder / "san.cnf"
    extensions.write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n", encoding="ascii")
    _openssl(
        "x509", "-req", "-in", str(request), "-CA", str(ca_cert), "-CAkey", str(ca_key),
        "-CAcreateserial", "-days", "2", "-extfile", str(extensions), "-out", str(cert),
    )  # fmt: skip
    for path in (ca_cert, key, cert):
        path.chmod(0o644)
    return ca_cert, cert, key


@pytest.fixture
def tls_broker(
    tmp_path: Path, mosquitto_factory: Callable[..., PrivateMosquitto]
) -> PrivateMosquitto:
    _, cert, key = make_certificates(tmp_path)
    return mosquitto_factory(f"certfile {cert}\nkeyfile {key}\n")


def test_agent_delivers_over_tls_to_a_broker_its_ca_file_vouches_for(
    tmp_path: Path, tls_broker: PrivateMosquitto
) -> None:
    csv_path = tmp_path / "one.csv"
    csv_path.write_text("temp\n3.5\n", encoding="utf-8")
    source = f'[[sources]]\nkind = "replay"\npath = "{csv_path}"\n'
    url = f"mqtts://127.0.0.1:{tls_broker.port}"
    agent = load_agent(write_config(tmp_path, "tls-1", url, source, ca_file="ca.pem"))
    agent.start()
    agent.sample()
    assert pump_until(agent, lambda: agent.idle, 10)
    assert agent.delivered == 1
    agent.stop()


def test_agent_without_the_ca_does_not_send_to_an_unverified_broker(
    tmp_path: Path, tls_broker: PrivateMosquitto
) -> None:
    csv_path = tmp_path / "one.csv"
    csv_path.write_text("temp\n3.5\n", encoding="utf-8")
    source = f'[[sources]]\nkind = "replay"\npath = "{csv_path}"\n'
    url = f"mqtts://127.0.0.1:{tls_broker.port}"
    agent = load_agent(write_config(tmp_path, "tls-2", url, source))
    agent.start()
    agent.sample()
    assert not pump_until(agent, lambda: agent.idle, 2)
    assert agent.spool.depth == 1  # kept for when the right CA is configured
    agent.stop()
