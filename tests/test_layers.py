"""The layering rules, drawn from the code with ast: no Qt below dvdesk/ui/, a pure domain,
no arrow up (domain ← store ← exchange, reports ← services ← cli, ui), no import circle in
store/, ui/ or services/, no relative import leaving its package, and a Store without mixins."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dvdesk"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _modules(exclude: str | None = None):
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if exclude and rel.parts[0] == exclude:
            continue
        yield rel, _imports(path)


def test_no_qt_outside_ui():
    offenders = [
        str(rel)
        for rel, names in _modules(exclude="ui")
        if any(n.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"} for n in names)
    ]
    assert offenders == []


def test_domain_is_pure():
    forbidden = {
        "sqlite3",
        "sqlite_utils",
        "reportlab",
        "openpyxl",
        "dvdesk.store",
        "dvdesk.ui",
        "dvdesk.exchange",
        "dvdesk.reports",
    }
    offenders = [
        (str(rel), n)
        for rel, names in _modules()
        if rel.parts[0] == "domain"
        for n in names
        if any(n == f or n.startswith(f + ".") for f in forbidden)
    ]
    assert offenders == []


def test_only_the_store_runs_sql():
    offenders = [
        str(rel)
        for rel, names in _modules()
        if rel.parts[0] != "store" and names & {"sqlite3", "sqlite_utils"}
    ]
    assert offenders == []


# -- the import graph, drawn from the code ------------------------------------


def _module_name(rel: Path) -> str:
    parts = ["dvdesk", *rel.with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _known_modules() -> set[str]:
    return {_module_name(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")}


def _edges(rel: Path, known: set[str]) -> set[str]:
    """Project modules imported by `rel` anywhere in it (top level, functions, TYPE_CHECKING)."""
    me = _module_name(rel)
    package = me if rel.name == "__init__.py" else me.rpartition(".")[0]
    out: set[str] = set()
    tree = ast.parse((PACKAGE / rel).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for target in targets:
            # the longest project module the name is, or lies in
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != me:
                out.add(target)
    return out


def _graph() -> dict[str, set[str]]:
    known = _known_modules()
    return {
        _module_name(p.relative_to(PACKAGE)): _edges(p.relative_to(PACKAGE), known)
        for p in PACKAGE.rglob("*.py")
    }


def _in(module: str, layer: str) -> bool:
    return module == f"dvdesk.{layer}" or module.startswith(f"dvdesk.{layer}.")


def _arrows(source: str, targets: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (mod, dep)
        for mod, deps in _graph().items()
        if _in(mod, source)
        for dep in deps
        if any(_in(dep, t) for t in targets)
    ]


def test_graph_sees_the_gateway_composing_its_repositories():
    # The oracle for the rules below: if this fails, the graph is drawn wrong.
    deps = _graph()["dvdesk.store.gateway"]
    assert {"dvdesk.store.members", "dvdesk.store.connection", "dvdesk.errors"} <= deps


def test_store_imports_no_layer_above_it():
    assert _arrows("store", ("exchange", "reports", "ui", "services", "cli")) == []


def test_domain_imports_no_layer_above_it():
    assert _arrows("domain", ("store", "exchange", "reports", "ui", "services", "cli")) == []


def test_exchange_and_reports_do_not_import_each_other():
    assert _arrows("exchange", ("reports",)) == []
    assert _arrows("reports", ("exchange",)) == []


def test_exchange_and_reports_do_not_import_the_services():
    # services/ composes them (a printed list, an issued letter); not the other way round.
    assert _arrows("exchange", ("services",)) == []
    assert _arrows("reports", ("services",)) == []


def test_exchange_reports_and_services_do_not_import_the_window_or_cli():
    for layer in ("exchange", "reports", "services"):
        assert _arrows(layer, ("ui", "cli")) == [], layer


def test_no_relative_import_leaves_its_package():
    # `from . import x` stays inside the file's own package; `..` would climb out of it.
    offenders = [
        (str(path.relative_to(PACKAGE)), node.lineno)
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 1
    ]
    assert offenders == []


def _cycles(graph: dict[str, set[str]], within: str) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), inside `within`."""
    nodes = [n for n in graph if _in(n, within)]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if not _in(w, within) or w not in graph:
                continue
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
                groups.append(sorted(group))

    for n in nodes:
        if n not in index:
            visit(n)
    return groups


def test_cycle_finder_finds_a_circle():
    graph = {"dvdesk.x.a": {"dvdesk.x.b"}, "dvdesk.x.b": {"dvdesk.x.a"}, "dvdesk.x.c": set()}
    assert _cycles(graph, "x") == [["dvdesk.x.a", "dvdesk.x.b"]]


def test_no_import_circle_in_the_store():
    assert _cycles(_graph(), "store") == []


def test_no_import_circle_in_the_window():
    assert _cycles(_graph(), "ui") == []


def test_no_import_circle_in_the_services():
    assert _cycles(_graph(), "services") == []


def test_store_is_a_gateway_without_mixins_or_raw_sql_doors():
    tree = ast.parse((PACKAGE / "store" / "gateway.py").read_text(encoding="utf-8"))
    [store] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Store"]
    assert store.bases == []
    public = {
        n.name for n in store.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")
    }
    assert not public & {"db", "query", "scalar", "execute"}
    for path in (PACKAGE / "store").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "self: Store" not in text, path.name
        assert "__dict__" not in text, path.name
