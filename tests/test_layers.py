"""The layering rule: no Qt below dvdesk/ui/, and domain imports nothing of the project's I/O."""

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
