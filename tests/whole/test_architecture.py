"""The house holds: no import cycle among the app's modules, no feature reaching up to the composition root,
and fewer and fewer plain dicts crossing from loyalty_app and db to the screens."""

from __future__ import annotations

import ast

import grimp

from tests.paths import ROOT

PACKAGES = ("loyalty_app", "db", "receipts", "ui")
# Who may import the composition root (loyalty_app.shop): what sits above it.
ABOVE_SHOP = ("loyalty_app.cli", "loyalty_app.jobs", "loyalty_app.demo", "loyalty_app.first_run", "ui")
# Functions of loyalty_app and db that return a plain dict (dict[str, Any] or object, a Mapping, or a dict literal
# from a function without a return annotation): issue 16 asks for at most 10 (69 before the typed views began).
# What remains, 10: mail's five (campaigns, outbox, reminders and results as_dict, consent.contactable), left to
# the engineers rewriting mail; and five that never leave their feature: the column values a write is built from
# (products._validated, product_import._row_values, importers/engine._counters) and raw rows handed on as they
# came from db (sales._match_return's purchase lines, sync/apply._customer's customer row).
MAX_DICT_RETURNS = 5


def _graph() -> grimp.ImportGraph:
    # TYPE_CHECKING imports count: a cycle hidden behind them is still a tangle for the reader and for mypy.
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every group of modules that import each other round in a circle (Tarjan's strongly connected parts),
    each as one cycle through it, e.g. ['a', 'b', 'c', 'a']."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(start: str) -> None:  # iterative: the graph is deep enough for Python's recursion limit
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    m = stack.pop()
                    on_stack.discard(m)
                    group.append(m)
                    if m == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return [_one_cycle(graph, group) for group in groups]


def _one_cycle(graph: grimp.ImportGraph, group: list[str]) -> list[str]:
    """A shortest way from the group's first module back to itself, for the failure message."""
    members, first = set(group), group[0]
    paths = {m: [first, m] for m in graph.find_modules_directly_imported_by(first) if m in members}
    frontier = list(paths)
    while first not in paths and frontier:
        nxt = []
        for m in frontier:
            for child in sorted(graph.find_modules_directly_imported_by(m)):
                if child in members and child not in paths:
                    paths[child] = [*paths[m], child]
                    nxt.append(child)
        frontier = nxt
    return paths.get(first, [*group, first])


def test_no_import_cycle_among_the_apps_modules() -> None:
    cycles = import_cycles(_graph())
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_names_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for a, b in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d")]:
        graph.add_import(importer=a, imported=b)
    assert import_cycles(graph) == [["p.a", "p.b", "p.c", "p.a"]]


def test_no_feature_imports_the_composition_root_or_a_parent_facade() -> None:
    graph = _graph()
    upward = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if imported in ("loyalty_app.shop", "loyalty_app.jobs") and module != imported \
                    and not module.startswith(ABOVE_SHOP):
                upward.append(f"{module} -> {imported}")
            # A package's __init__ that gathers its modules is a façade: its own modules must not import it.
            if module.startswith(imported + ".") and graph.find_modules_directly_imported_by(imported):
                upward.append(f"{module} -> {imported} (its own package)")
    assert not upward, "imports that run upwards:\n" + "\n".join(upward)


# A return annotation naming one of these (alone, in a list, a tuple or optional) is a plain dict by another name.
PLAIN_DICTS = ("dict[str,Any]", "dict[str,object]", "Dict[str,Any]", "Dict[str,object]", "Mapping[str,Any]",
               "Mapping[str,object]", "MutableMapping[str,Any]", "MutableMapping[str,object]")


def plain_dict_functions(source: str) -> list[tuple[int, str]]:
    """(line, name) of each function in ``source`` that returns a plain dict: annotated as one, or without a
    return annotation while it returns a dict literal or comprehension."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.returns is not None:
            text = ast.unparse(node.returns).replace("'", "").replace('"', "").replace(" ", "")
            text = text.replace("typing.", "").replace("collections.abc.", "")
            if any(p in text for p in PLAIN_DICTS):
                found.append((node.lineno, node.name))
        elif any(isinstance(n, ast.Return) and isinstance(n.value, ast.Dict | ast.DictComp) for n in _own_body(node)):
            found.append((node.lineno, node.name))
    return found


def _own_body(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function's body, without those of the functions and classes defined inside it."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = list(func.body)
    while todo:
        node = todo.pop()
        out.append(node)
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))
    return out


def dict_returning_functions(*packages: str) -> list[str]:
    """Functions of ``packages`` that return a plain dict (see ``plain_dict_functions``), as 'path:line name'."""
    return [f"{path.relative_to(ROOT)}:{line} {name}"
            for package in packages for path in sorted((ROOT / package).rglob("*.py"))
            for line, name in plain_dict_functions(path.read_text(encoding="utf-8"))]


def test_the_plain_dict_finder_sees_every_disguise() -> None:
    source = """
from typing import Any, Mapping
def a() -> dict[str, Any]: ...
def b() -> list[dict[str, object]]: ...
def c() -> Mapping[str, Any] | None: ...
def d(x):
    return {"id": x}
def e():
    return {k: 1 for k in "ab"}
def f() -> 'typing.Mapping[str, object]': ...
def fine() -> dict[str, int]:
    return {"n": 1}
def fine_too(x):
    def inner() -> int:
        return 1
    return [x]
"""
    assert [name for _, name in plain_dict_functions(source)] == ["a", "b", "c", "d", "e", "f"]


def test_few_functions_return_plain_dicts() -> None:
    found = dict_returning_functions("loyalty_app", "db")
    assert len(found) <= MAX_DICT_RETURNS, (
        f"{len(found)} functions return a plain dict (at most {MAX_DICT_RETURNS}); return a frozen dataclass:\n"
        + "\n".join(found))


def test_the_tests_mirror_the_packages() -> None:
    """A test file sits beside what it tests: tests/loyalty_app/importers/ tests loyalty_app/importers/, and
    tests/whole/ holds the promises of the whole app (no lost sale, the layers, two counters on one file)."""
    tests = ROOT / "tests"
    misplaced = [str(p.relative_to(tests)) for p in sorted(tests.rglob("test_*.py"))
                 if p.parent.relative_to(tests).parts[:1] != ("whole",)
                 and not (ROOT / p.parent.relative_to(tests)).is_dir() or p.parent == tests]
    assert misplaced == [], f"put these under tests/<package>/ (or tests/whole/): {misplaced}"
