"""The layout's rules, checked on the source (docs/architecture.md):

- no import cycle among the modules of bot/ and db/, function-level imports included;
- no private name (`_x`) imported from another module;
- handlers pass the session on and never call it (queries and commits live in services);
- no aiogram in bot/services/: services return data, and the Telegram side renders it.

Each rule is also run on a small made-up tree that breaks it, so that a rule which could not fail
would fail here."""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Sources = dict[str, tuple[str, bool]]  # module name -> (source, is a package's __init__)


def project_sources() -> Sources:
    sources: Sources = {}
    for top in ("bot", "db"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue  # Alembic's scripts, loaded by Alembic
            package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if package else parts)
            sources[name] = (path.read_text(encoding="utf-8"), package)
    return sources


def imports(module: str, package: bool, tree: ast.Module) -> Iterator[tuple[ast.stmt, str, str | None]]:
    """(the import statement, the module it names, the name taken from it or None) for every import,
    at any depth: function-level ones too."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = module.split(".") if package else module.split(".")[:-1]
                here = here[:len(here) - (node.level - 1)]
                base = ".".join(here + ([base] if base else []))
            for alias in node.names:
                yield node, base, alias.name


def graph(sources: Sources) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in sources}
    for name, (source, package) in sources.items():
        for _, target, taken in imports(name, package, ast.parse(source)):
            if taken is not None and f"{target}.{taken}" in sources:
                target = f"{target}.{taken}"  # `from bot.services import surveys`: the module surveys
            if target in sources and target != name:
                edges[name].add(target)
    return edges


def cycles(sources: Sources) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    edges = graph(sources)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def private_imports(sources: Sources) -> list[str]:
    found = []
    for name, (source, package) in sources.items():
        for node, target, taken in imports(name, package, ast.parse(source)):
            if taken and taken.startswith("_") and not taken.startswith("__"):
                found.append(f"{name}:{node.lineno} takes {taken} from {target}")
            elif taken is None and isinstance(node, ast.Import) and any(
                    part.startswith("_") and not part.startswith("__") for part in target.split(".")):
                found.append(f"{name}:{node.lineno} imports {target}")
    return found


def in_layer(sources: Sources, layer: str) -> Iterator[tuple[str, str, bool]]:
    for name, (source, package) in sources.items():
        if name == layer or name.startswith(layer + "."):
            yield name, source, package


def session_calls(sources: Sources, layer: str = "bot.handlers") -> list[str]:
    """Uses of a handler's AsyncSession parameter other than passing it on."""
    found = []
    for name, source, _ in in_layer(sources, layer):
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            params = {a.arg for a in [*function.args.args, *function.args.kwonlyargs]
                      if a.annotation is not None and "AsyncSession" in ast.unparse(a.annotation)}
            for node in ast.walk(function):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in params:
                    found.append(f"{name}:{node.lineno} {function.name}: {node.value.id}.{node.attr}")
    return found


def messenger_imports(sources: Sources, layer: str = "bot.services") -> list[str]:
    found = []
    for name, source, package in in_layer(sources, layer):
        for node, target, _ in imports(name, package, ast.parse(source)):
            if target == "aiogram" or target.startswith("aiogram."):
                found.append(f"{name}:{node.lineno} imports {target}")
    return found


STATEMENT_BUILDERS = {"select", "update", "insert", "delete", "text", "exists", "union", "union_all"}


def statements_outside_queries(sources: Sources, layer: str = "bot.services") -> list[str]:
    """Statement builders imported by a feature's module other than its queries.py. The shared modules
    at the top of the layer (people, notify, erasure, ...) each are their own queries."""
    found = []
    for name, source, package in in_layer(sources, layer):
        depth = len(name.split(".")) - len(layer.split("."))
        if name.endswith(".queries") or depth < (1 if package else 2):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
                found += [f"{name}:{node.lineno} imports {a.name}" for a in node.names if a.name in STATEMENT_BUILDERS]
    return found


# ------------------------------------------------------------------------------ the project
def test_no_import_cycle_among_the_modules_function_level_imports_included():
    sources = project_sources()
    assert len(sources) > 60 and sum(len(e) for e in graph(sources).values()) > 300  # the tree was read
    assert cycles(sources) == []


def test_no_private_name_is_imported_from_another_module():
    assert private_imports(project_sources()) == []


def test_handlers_pass_the_session_on_and_never_call_it():
    assert session_calls(project_sources()) == []


def test_services_do_not_import_the_messenger():
    assert messenger_imports(project_sources()) == []


def test_a_features_statements_live_in_its_queries_module():
    assert statements_outside_queries(project_sources()) == []


# -------------------------------------------------------------- each rule can fail
def test_each_rule_finds_what_breaks_it():
    tree: Sources = {
        "bot.a": ("def f():\n    from bot.b import g\n", False),  # a cycle hidden in a function
        "bot.b": ("from bot.a import f\nfrom bot.c import _secret\n", False),
        "bot.c": ("_secret = 1\n", False),
        "bot.handlers.x": ("async def h(m, session: AsyncSession):\n    await session.get(1, 2)\n"
                           "    await svc.do(session)\n", False),
        "bot.services.y": ("from aiogram.types import Message\n", False),
        "bot.services": ("from . import y\n", True),
        "bot.services.z": ("from sqlalchemy import Row, select\n", True),
        "bot.services.z.rules": ("from sqlalchemy.sql import delete\n", False),
        "bot.services.z.queries": ("from sqlalchemy import select\n", False),
        "bot.services.shared": ("from sqlalchemy import select\n", False),
    }
    assert cycles(tree) == [["bot.a", "bot.b"]]
    assert private_imports(tree) == ["bot.b:2 takes _secret from bot.c"]
    assert session_calls(tree) == ["bot.handlers.x:2 h: session.get"]
    assert messenger_imports(tree) == ["bot.services.y:1 imports aiogram.types"]
    assert statements_outside_queries(tree) == ["bot.services.z:1 imports select", "bot.services.z.rules:1 imports delete"]
    assert graph(tree)["bot.services"] == {"bot.services.y"}  # a relative import resolves


def test_tests_and_benchmarks_take_helpers_from_factories_and_helpers_not_from_other_tests():
    found = []
    for top in ("tests", "bench"):
        for path in sorted((ROOT / top).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.test_"):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}")
    assert found == []
