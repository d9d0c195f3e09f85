"""GUI test fixtures: a fake dialog service so nothing blocks on a modal box."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from dvdesk import demo
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)


class FakeDialogs:
    """Records every message; answers confirmations with `answer`."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.answer = True
        self.default_no = False  # what the last confirm asked Enter to answer
        self.paths: list[str] = []  # answers to file pickers, in order
        self.texts: list[str | None] = []  # answers to ask_text, in order
        self.modal_answers: list[bool] = []  # answers to show_modal, in order
        self.modals: list[object] = []  # every dialog shown modally
        self.on_modal: list = []  # callables run on the next dialogs shown (e.g. pick a row)

    def info(self, title: str, text: str) -> None:
        self.calls.append(("info", title, text))

    def warn(self, title: str, text: str) -> None:
        self.calls.append(("warn", title, text))

    def error(self, title: str, text: str, detail: str = "") -> None:
        self.calls.append(("error", title, text))

    def confirm(self, title: str, text: str, *, default_no: bool = False) -> bool:
        self.calls.append(("confirm", title, text))
        self.default_no = default_no
        return self.answer

    def open_file(self, title: str, filters: str, start: str = "") -> str:
        self.calls.append(("open_file", title, start))
        return self.paths.pop(0) if self.paths else ""

    def save_file(self, title: str, filters: str, start: str = "") -> str:
        return self.paths.pop(0) if self.paths else ""

    def open_files(self, title: str, filters: str, start: str = "") -> list[str]:
        chosen, self.paths = self.paths, []
        return chosen

    def show_modal(self, dialog) -> bool:
        self.modals.append(dialog)
        if self.on_modal:
            self.on_modal.pop(0)(dialog)
        return self.modal_answers.pop(0) if self.modal_answers else False

    def ask_text(self, title: str, label: str, text: str = "", secret: bool = False):
        self.calls.append(("ask", title, label))
        return self.texts.pop(0) if self.texts else None


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, Vietnamese included (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture(autouse=True)
def own_settings(tmp_path_factory) -> Iterator[None]:
    """Every test gets empty Qt settings (window geometry, sort order, folders) of its
    own, in a temporary folder, never the user's."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def dialogs() -> FakeDialogs:
    return FakeDialogs()


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "demo.db")
    demo.build(store, 300, seed=7, today=TODAY)
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "empty.db")
    yield store
    store.close()
