"""The recently opened data files (tệp gần đây), kept in the user's Qt settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

KEY = "recent/files"
KEEP = 8


def recent_files() -> list[Path]:
    value = QSettings().value(KEY) or []
    names = [value] if isinstance(value, str) else list(value)
    return [Path(n) for n in names if Path(n).exists()]


def add_recent(path: Path) -> None:
    path = path.resolve()
    paths = [path, *(p for p in recent_files() if p.resolve() != path)][:KEEP]
    QSettings().setValue(KEY, [str(p) for p in paths])
