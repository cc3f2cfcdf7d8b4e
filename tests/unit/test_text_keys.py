"""Every text key the code reads is a literal an extractor can see, and exists in the catalogues.

The scan reads the source of bot/ and jobs/ (no import, no running) and resolves the key argument of every
`t(lang, key, ...)` and `tn(lang, key, n, ...)` call to the string literals it can be. It follows what
gettext extractors are configured for and what plain code does with a literal: a conditional or `or` of
literals, a local name assigned only literals, a dict display of literals, a function of the same module
that returns only literals, and a parameter of a function whose every caller passes a literal. A key built
at run time (an f-string, `"b_st_" + status`, a value from the database) resolves to nothing and fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.texts.catalogues import DEFAULT_LANGUAGE, catalogue

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "jobs")
READERS = {"t": 1, "tn": 1}  # function name -> position of the key argument
SERVED_BY_PREFIX = "app_"  # the Mini App's texts, read by prefix
Scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.Module


class NotLiteral(Exception):
    """A key expression that does not resolve to string literals."""


@dataclass
class Source:
    """One parsed module: its tree, each node's enclosing function, its top-level functions and imports."""

    path: Path
    tree: ast.Module
    module: str = ""
    scope_of: dict[ast.AST, Scope] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    # local name -> (module, name) for `from module import name`, (module, "") for `import module`
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)

    def calls(self, call: ast.Call, module: str, func: str) -> bool:
        """Whether `call` made in this module calls the function `func` of `module`."""
        if isinstance(call.func, ast.Name):
            name = call.func.id
            return (self.module == module and name == func) or self.imports.get(name) == (module, func)
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            # `staff_common.refuse(...)` after `from bot.handlers import staff_common` or `import m as x`
            package, name = self.imports.get(call.func.value.id, ("", ""))
            return call.func.attr == func and (f"{package}.{name}" if name else package) == module
        return False


def _parse(path: Path, root: Path = ROOT) -> Source:
    """Parses a module and records the innermost function around every node, and what it imports."""
    module = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
    source = Source(path, ast.parse(path.read_text(), str(path)), module)
    for node in ast.walk(source.tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            source.imports.update({a.asname or a.name: (node.module, a.name) for a in node.names})
        elif isinstance(node, ast.Import):
            source.imports.update({a.asname or a.name: (a.name, "") for a in node.names})

    def visit(node: ast.AST, scope: Scope) -> None:
        for child in ast.iter_child_nodes(node):
            source.scope_of[child] = scope
            visit(child, child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else scope)

    visit(source.tree, source.tree)
    source.functions = {
        n.name: n for n in source.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    return source


def _sources() -> list[Source]:
    """Every module of the scanned packages."""
    return [_parse(p) for d in SCANNED for p in sorted((ROOT / d).rglob("*.py"))]


def _callee(call: ast.Call) -> str | None:
    """The name a call is made by (`f(...)` or `obj.f(...)`)."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[str]:
    """A function's positional parameter names in order."""
    return [a.arg for a in (*func.args.posonlyargs, *func.args.args)]


class Resolver:
    """Resolves key expressions to the literal keys they can take."""

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self.calls = [(s, n) for s in sources for n in ast.walk(s.tree) if isinstance(n, ast.Call)]

    def keys(self, expr: ast.expr, source: Source, seen: frozenset[int] = frozenset()) -> set[str]:
        """Every literal `expr` can be; raises NotLiteral when one of them is not a literal."""
        if id(expr) in seen:
            return set()
        seen = seen | {id(expr)}
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.keys(expr.body, source, seen) | self.keys(expr.orelse, source, seen)
        if isinstance(expr, ast.BoolOp):
            return set().union(*(self.keys(v, source, seen) for v in expr.values))
        if isinstance(expr, ast.Dict):
            return set().union(*(self.keys(v, source, seen) for v in expr.values))
        if isinstance(expr, ast.Subscript):
            return self.keys(expr.value, source, seen)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get":
            default = [self.keys(a, source, seen) for a in expr.args[1:]]
            return self.keys(expr.func.value, source, seen).union(*default)
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in source.functions:
            return self._returns(source.functions[expr.func.id], source, seen)
        if isinstance(expr, ast.Name):
            return self._name(expr, source, seen)
        raise NotLiteral(ast.unparse(expr))

    def _returns(self, func: ast.AST, source: Source, seen: frozenset[int]) -> set[str]:
        """The literals a function returns (None returns are no key)."""
        found: set[str] = set()
        for node in ast.walk(func):
            if isinstance(node, ast.Return) and node.value is not None:
                if isinstance(node.value, ast.Constant) and node.value.value is None:
                    continue
                found |= self.keys(node.value, source, seen)
        return found

    def _name(self, name: ast.Name, source: Source, seen: frozenset[int]) -> set[str]:
        """A local assigned only literals, a module constant, or a parameter whose callers pass literals."""
        scope = source.scope_of[name]
        values = [v for v in _assigned(scope, name.id)]
        if values:
            return set().union(*(self.keys(v, source, seen) for v in values))
        if not isinstance(scope, ast.Module):
            params = _params(scope)
            if name.id in params and not isinstance(scope, ast.Lambda):
                return self._callers(source.module, scope.name, params.index(name.id), name.id, seen)
            module_values = list(_assigned(source.tree, name.id))
            if module_values:
                return set().union(*(self.keys(v, source, seen) for v in module_values))
        raise NotLiteral(name.id)

    def _callers(self, module: str, func: str, position: int, param: str, seen: frozenset[int]) -> set[str]:
        """The keys every caller of `module.func` passes for the parameter at `position`."""
        found: set[str] = set()
        callers = 0
        for source, call in self.calls:
            if not source.calls(call, module, func):
                continue
            args = [a for a in call.args if not isinstance(a, ast.Starred)]
            given = {k.arg: k.value for k in call.keywords if k.arg}
            if param in given:
                found |= self.keys(given[param], source, seen)
                callers += 1
            elif len(args) > position:
                found |= self.keys(args[position], source, seen)
                callers += 1
        if not callers:
            raise NotLiteral(f"{func}(... {param} ...) is never called with a key")
        return found


def _assigned(scope: ast.AST, name: str) -> Iterator[ast.expr]:
    """The values assigned to `name` directly in `scope` (not in nested functions)."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
            targets, value = [node.target], node.value
        if value is not None and any(isinstance(t, ast.Name) and t.id == name for t in targets):
            yield value
        stack.extend(ast.iter_child_nodes(node))


@dataclass(frozen=True)
class Use:
    """One text read: where, how (t or tn) and the keys it can read."""

    where: str
    reader: str
    keys: frozenset[str]


def _uses() -> tuple[list[Use], list[str]]:
    """Every t/tn call of the scanned code with its keys, and the calls whose key is not a literal."""
    sources = _sources()
    resolver = Resolver(sources)
    uses: list[Use] = []
    problems: list[str] = []
    for source, call in resolver.calls:
        reader = _callee(call) if isinstance(call.func, ast.Name) else None
        if reader not in READERS:
            continue
        where = f"{source.path.relative_to(ROOT)}:{call.lineno}"
        position = READERS[reader]
        if len(call.args) <= position:
            problems.append(f"{where}: {reader}() without a key")
            continue
        try:
            keys = resolver.keys(call.args[position], source)
        except NotLiteral as exc:
            problems.append(f"{where}: {reader}() key is not a literal: {exc}")
            continue
        uses.append(Use(where, reader, frozenset(keys)))
    return uses, problems


def test_every_text_key_in_the_code_is_a_literal() -> None:
    uses, problems = _uses()
    assert problems == []
    assert len(uses) > 300  # the scan finds the code's texts (about 400 reads)


def test_every_key_read_with_t_is_a_singular_text_and_with_tn_a_plural_one() -> None:
    texts = catalogue(DEFAULT_LANGUAGE)
    uses, _ = _uses()
    wrong = sorted(
        f"{u.where}: {key}"
        for u in uses
        for key in u.keys
        if key not in (texts.texts if u.reader == "t" else texts.plurals)
    )
    assert wrong == []


def test_every_text_of_the_catalogues_is_used_by_the_code() -> None:
    texts = catalogue(DEFAULT_LANGUAGE)
    uses, _ = _uses()
    used = set().union(*(u.keys for u in uses))
    # The Mini App's words are sent to the page all at once by prefix (bot/web/miniapp/shop.py, texts_named).
    served = {k for k in texts.texts if k.startswith(SERVED_BY_PREFIX)}
    assert sorted((texts.texts | texts.plurals) - used - served) == []


def test_the_scan_refuses_keys_built_at_run_time(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text(
        "def label(lang, status):\n"
        "    return t(lang, f'b_st_{status}')\n"
        "def named(lang, kind):\n"
        "    key = 'nt_' + kind\n"
        "    return t(lang, key)\n"
        "def fine(lang, paid):\n"
        "    key = 'st_paid_mark' if paid else 'st_unpaid_mark'\n"
        "    return t(lang, key) + refuse(lang, 'st_err_stale')\n"
        "def refuse(lang, key):\n"
        "    return t(lang, key)\n"
    )
    source = _parse(module, root=tmp_path)
    resolver = Resolver([source])
    results: list[list[str] | None] = []
    reads = [n for n in ast.walk(source.tree) if isinstance(n, ast.Call) and _callee(n) == "t"]
    for call in sorted(reads, key=lambda n: n.lineno):
        try:
            results.append(sorted(resolver.keys(call.args[1], source)))
        except NotLiteral:
            results.append(None)
    assert results == [None, None, ["st_paid_mark", "st_unpaid_mark"], ["st_err_stale"]]
