"""The layers stay layered: read from the source (every import, at module level or inside a function).

- `models/` (the domain) imports neither `bot/` nor `jobs/`;
- `jobs/` takes from `bot/` only renderers, texts and the shared plumbing (services, settings, the Bot API
  retry policy), never a handler or the router;
- nothing imports the handlers but the composition root (`bot/app.py`) and the handlers themselves;
- there is no import cycle between modules, and no import hidden inside a function to dodge one (only the
  command line loads modules lazily, so that `python -m bot migrate` does not import the whole bot).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "models", "jobs")
LAZY_IMPORTS_ALLOWED = {"bot.cli", "bot.cli_tasks"}
JOBS_MAY_USE = ("bot.render", "bot.texts", "bot.services", "bot.settings", "bot.telegram_retry")


def _modules() -> dict[str, Path]:
    """Every module of the project by dotted name (packages by their __init__)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[str, bool]]:
    """(imported project module, whether the import sits inside a function) for one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested |= {id(inner) for inner in ast.walk(node) if inner is not node}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import: climb from the package
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target, id(node) in nested


GRAPH = {name: sorted({t for t, _ in _imports(name, path)}) for name, path in MODULES.items()}


def test_the_domain_imports_neither_the_bot_nor_the_jobs() -> None:
    offenders = [(m, t) for m, targets in GRAPH.items() if m.startswith("models") for t in targets
                 if t.startswith(("bot", "jobs"))]
    assert offenders == []


def test_jobs_take_only_renderers_texts_and_plumbing_from_the_bot() -> None:
    offenders = [(m, t) for m, targets in GRAPH.items() if m.startswith("jobs") for t in targets
                 if t.startswith("bot") and not t.startswith(JOBS_MAY_USE)]
    assert offenders == []


def test_only_the_composition_root_and_the_handlers_import_the_handlers() -> None:
    offenders = [(m, t) for m, targets in GRAPH.items() for t in targets
                 if t.startswith("bot.handlers") and not m.startswith("bot.handlers") and m != "bot.app"]
    assert offenders == []


def test_no_module_hides_an_import_inside_a_function() -> None:
    lazy = sorted({(name, target) for name, path in MODULES.items() for target, inside in _imports(name, path)
                   if inside and name not in LAZY_IMPORTS_ALLOWED})
    assert lazy == []


def _cycle() -> list[str] | None:
    """One import cycle between project modules, or None (depth-first search over the import graph)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in GRAPH.get(node, []):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(GRAPH):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def test_there_is_no_import_cycle() -> None:
    cycle = _cycle()
    assert cycle is None, " -> ".join(cycle or [])


def test_the_graph_is_read_at_all() -> None:
    """Guards the tests above against a parser that finds nothing (they would pass vacuously)."""
    assert "models.services.checkout" in GRAPH["bot.handlers.buyer_checkout"]
    assert "bot.routing.router" in GRAPH["bot.handlers.buyer"]
    assert len(MODULES) > 100
