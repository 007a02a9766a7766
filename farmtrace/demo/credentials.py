"""The demo devices' MQTT passwords: ``device_id password`` lines in a file only its owner reads."""

from pathlib import Path


def append_credentials(path: Path, credentials: list[tuple[str, str]]) -> None:
    path.touch(mode=0o600, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.writelines(f"{device_id} {password}\n" for device_id, password in credentials)


def read_credentials(path: Path) -> dict[str, str]:
    credentials: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            credentials[parts[0]] = parts[1]
    return credentials
