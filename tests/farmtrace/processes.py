"""What a command's process tree looks like from /proc, for tests of commands with workers."""

from pathlib import Path


def spawned_children(pid: int) -> list[int]:
    """The process's workers: its children started by multiprocessing's spawn (not its
    resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return sorted(found)
