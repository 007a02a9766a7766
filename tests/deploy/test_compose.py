"""The production stack's files, checked without a Docker engine."""

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# The Compose specification's own schema (compose-spec/compose-spec, schema/compose-spec.json).
COMPOSE_SCHEMA = Path(__file__).parent / "data" / "compose-spec.json"
LONG_RUNNING = {"db", "mosquitto", "ingest", "ingest-standby", "watch", "api", "grafana"}
REQUIRED_SECRETS = {
    "POSTGRES_PASSWORD",
    "MQTT_COLLECTOR_PASSWORD",
    "FARMTRACE_SECRET_KEY",
    "GRAFANA_ADMIN_PASSWORD",
    "GRAFANA_DB_PASSWORD",
}


@pytest.fixture(scope="module")
def compose_text() -> str:
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(compose_text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(compose_text)
    return loaded


def test_compose_file_validates_against_the_compose_specification(compose: dict) -> None:
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    jsonschema.Draft7Validator(schema).validate(compose)


def test_long_running_services_have_healthchecks(compose: dict) -> None:
    for name in LONG_RUNNING:
        assert "healthcheck" in compose["services"][name], name


def test_dependencies_wait_for_health_or_completion(compose: dict) -> None:
    for name, service in compose["services"].items():
        for dependency, rule in service.get("depends_on", {}).items():
            expected = (
                "service_completed_successfully"
                if compose["services"][dependency].get("restart") == "no"
                else "service_healthy"
            )
            assert rule["condition"] == expected, f"{name} -> {dependency}"


def test_collectors_are_an_active_one_and_a_standby_on_one_plain_session(compose: dict) -> None:
    """The lossless layout on Mosquitto: no share group, one client id for both."""
    for name in ("ingest", "ingest-standby"):
        environment = compose["services"][name]["environment"]
        assert environment.get("FARMTRACE_INGEST_SHARE_GROUP", "") == ""
        assert "FARMTRACE_INGEST_CLIENT_ID" not in environment


def test_broker_makes_each_client_id_its_username() -> None:
    lines = (ROOT / "deploy/mosquitto/mosquitto.conf").read_text().splitlines()
    listener = lines.index("listener 1883")
    assert "use_username_as_clientid true" in lines[listener + 1 :]


def test_simulated_fleet_is_off_by_default(compose: dict) -> None:
    assert compose["services"]["simulator"]["profiles"] == ["simulation"]
    always_on = [name for name, s in compose["services"].items() if "profiles" not in s]
    assert "simulator" not in always_on


def test_data_lives_in_named_volumes(compose: dict) -> None:
    assert {"db-data", "broker-data", "grafana-data"} <= set(compose["volumes"])


def test_required_secrets_have_no_default_and_are_in_env_example(compose_text: str) -> None:
    required = set(re.findall(r"\$\{([A-Z_]+):\?", compose_text))
    assert required >= REQUIRED_SECRETS
    assert not re.search(r"\$\{(" + "|".join(REQUIRED_SECRETS) + r"):-", compose_text)
    example = (ROOT / ".env.example").read_text()
    for name in required:
        assert re.search(rf"^{name}=", example, re.MULTILINE), name


def test_dockerfile_is_multi_stage_and_runs_unprivileged() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) >= 2
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


def test_broker_refuses_anonymous_clients() -> None:
    conf = (ROOT / "deploy" / "mosquitto" / "mosquitto.conf").read_text()
    assert re.search(r"^allow_anonymous false$", conf, re.MULTILINE)
    assert re.search(r"^persistence true$", conf, re.MULTILINE)
