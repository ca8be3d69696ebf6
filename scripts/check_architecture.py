"""The architecture's numbers, checked by `make lint`: import cycles, private names imported from
another module, modules over 400 lines. The layer contracts are import-linter's (pyproject.toml).

Imports inside functions count: grimp reads every import statement of a module.
Prints each finding and exits 1 if there is any.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import grimp

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "vectorstore")
MAX_LINES = 400


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), each a cycle of imports.

    A package's `__init__` that re-exports its modules is left out: it is not code of its own.
    """
    packages = {m for m in graph.modules if (REPO / Path(*m.split(".")) / "__init__.py").is_file()}
    modules = sorted(set(graph.modules) - packages)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) - packages):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    return found


def private_imports() -> list[str]:
    """`from a.b import _name` where `a.b` is another module of this project."""
    found = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PACKAGES:
                    for alias in node.names:
                        if alias.name.startswith("_") and not alias.name.startswith("__"):
                            found.append(f"{path.relative_to(REPO)}: {node.module}.{alias.name}")
    return found


def long_modules() -> list[str]:
    """Modules over MAX_LINES lines."""
    found = []
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                found.append(f"{path.relative_to(REPO)}: {lines} lines")
    return found


def main() -> int:
    graph = grimp.build_graph(*PACKAGES)
    problems = {
        "import cycles": [" <-> ".join(group) for group in cycles(graph)],
        "private names imported from another module": private_imports(),
        f"modules over {MAX_LINES} lines": long_modules(),
    }
    for what, found in problems.items():
        print(f"{len(found)} {what}")
        for item in found:
            print(f"  {item}")
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
