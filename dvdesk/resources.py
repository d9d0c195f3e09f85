"""Where the shipped files are: `resources/` beside the package, or inside a bundle.

A PyInstaller bundle unpacks data under `sys._MEIPASS`; a source checkout or an
editable install has `resources/` next to the `dvdesk/` package.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Thiếu tệp tài nguyên của chương trình: {path}")
    return path


FONT_REGULAR = ("fonts", "DejaVuSans.ttf")
FONT_BOLD = ("fonts", "DejaVuSans-Bold.ttf")
FONT_SERIF = ("fonts", "DejaVuSerif.ttf")
FONT_SERIF_BOLD = ("fonts", "DejaVuSerif-Bold.ttf")
