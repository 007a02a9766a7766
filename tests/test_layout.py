"""The layout of DESIGN.md holds: rooms import one way, no module imports itself back, and
SQL stays in the store (and the collector's writer)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("schemas", "store", "ingest", "watch", "sensors", "labels", "api", "farmtrace")
# Which rooms each room may import (itself always).
MAY_IMPORT = {
    "schemas": set(),
    "store": {"schemas"},
    "ingest": {"schemas", "store"},
    "watch": {"schemas", "store"},
    "sensors": {"schemas"},
    "labels": {"schemas"},
    "api": {"schemas", "store", "labels"},
    "farmtrace": set(PRODUCT),
}
NO_SQL_IN = ("api", "watch", "labels", "sensors", "farmtrace")
# The gateway's own SQLite spool, and the queries Grafana's panels run.
SQL_ALLOWED = {"sensors/spool.py", "farmtrace/provision/grafana_dashboards.py"}
SQL = re.compile(
    r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|LISTEN|NOTIFY"
    r"|CREATE\s+(TABLE|INDEX|DATABASE))\b",
    re.IGNORECASE | re.DOTALL,
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    module_name(path): path for room in PRODUCT for path in sorted((ROOT / room).rglob("*.py"))
}


def imported_modules(path: Path) -> set[str]:
    """Every product module ``path`` imports, at any depth (``TYPE_CHECKING`` blocks too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        for name in names:
            if name in MODULES:
                found.add(name)
    return found - {module_name(path)}


GRAPH = {name: imported_modules(path) for name, path in MODULES.items()}


def test_no_module_imports_one_that_imports_it_back() -> None:
    cycles = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(name: str) -> None:  # Tarjan's strongly connected components
        index[name] = low[name] = len(index)
        stack.append(name)
        for target in GRAPH[name]:
            if target not in index:
                visit(target)
                low[name] = min(low[name], low[target])
            elif target in stack:
                low[name] = min(low[name], index[target])
        if low[name] == index[name]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == name:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in GRAPH:
        if name not in index:
            visit(name)
    assert cycles == []


@pytest.mark.parametrize("room", PRODUCT)
def test_rooms_import_one_way(room: str) -> None:
    allowed = MAY_IMPORT[room] | {room}
    wrong = {
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if name.split(".")[0] == room
        for target in targets
        if target.split(".")[0] not in allowed
    }
    assert wrong == set()


def test_watch_imports_without_the_shell_the_api_or_ingest() -> None:
    program = (
        "import sys, watch.rounds, watch.webhook, watch.summary_workers\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "sys.exit(sorted(loaded & {'farmtrace', 'api', 'ingest'}) or 0)"
    )
    subprocess.run([sys.executable, "-c", program], cwd=ROOT, check=True)


def test_no_sql_outside_the_store() -> None:
    offending = []
    for room in NO_SQL_IN:
        for path in sorted((ROOT / room).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            if where in SQL_ALLOWED:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }
            offending += [
                f"{where}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and SQL.search(node.value)
            ]
    assert offending == []
