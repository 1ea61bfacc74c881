"""The layering, checked on the source: what each package may import, and no import cycles.

task_contract (the names a task's log carries and ingest reads) depends on nothing; evals (what
is measured) on Inspect and the contract alone; registry (what is stored and decided) on
neither front end nor the tasks; the front ends (rsp, the CLI, and dashboard) on the layers
below and not on each other's internals. Every import counts, including those inside functions,
since a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("task_contract", "evals", "registry", "rsp", "dashboard")
FORBIDDEN = {
    "task_contract": {"evals", "registry", "rsp", "dashboard"},
    "evals": {"registry", "rsp", "dashboard"},
    "registry": {"evals", "rsp", "dashboard"},
    "dashboard": {"rsp"},
}
SKIPPED = ("evals/autonomy/tasks",)  # task fixtures: code the model under test works on


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if not str(relative).startswith(SKIPPED):
                parts = relative.with_suffix("").parts
                name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                found[name] = path
    return found


def imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports, anywhere in the file."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        out |= {n for n in names if n in known}
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(path, set(found)) - {name} for name, path in found.items()}


def test_the_scan_sees_the_project():
    g = graph()
    assert {"registry.db", "rsp.cli", "dashboard.data", "evals.suites", "task_contract"} <= set(g)
    assert "registry.schema" in g["registry.db"]
    assert "task_contract" in g["registry.ingest"] and "task_contract" in g["evals.common.metrics"]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_only_the_layers_below_it(package):
    wrong = sorted(f"{name} imports {target}" for name, targets in graph().items()
                   if name.split(".")[0] == package for target in targets
                   if target.split(".")[0] in FORBIDDEN[package])
    assert wrong == []


def test_no_import_cycles():
    g = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(g[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(g):
        if name not in state:
            visit(name, [name])
    assert cycles == []
