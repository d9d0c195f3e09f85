"""The window's part of `dvdesk --self-test --gui` (the rest is dvdesk/selftest.py).

Everything runs on Qt's offscreen platform, so the test works over a remote
session, in a console and on a build machine, and shows nothing on screen.
Settings the window would save (recent files, geometry) go to a temporary
folder, never to the user's own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QSettings,
    Qt,
    QThreadPool,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
)
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from dvdesk.resources import FONT_BOLD, FONT_REGULAR, resource, resources_dir

WAIT_SECONDS = 20.0
# The offscreen platform says it cannot resize or raise windows: true and harmless.
HARMLESS = ("This plugin does not support",)
_previous_handler = None


def _quiet(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message.startswith(HARMLESS):
        return
    if _previous_handler is not None:
        _previous_handler(kind, context, message)
    elif kind != QtMsgType.QtDebugMsg:
        import sys

        if sys.stderr is not None:
            print(message, file=sys.stderr)


def pyside_version() -> str:
    import PySide6

    return str(PySide6.__version__)


def start_offscreen(settings_dir: Path) -> QApplication:
    """dvdesk's QApplication on the offscreen platform, its settings kept in `settings_dir`."""
    from dvdesk.ui.app import make_app

    global _previous_handler
    if QCoreApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        _previous_handler = qInstallMessageHandler(_quiet)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    return make_app()


def start(settings_dir: Path) -> str:
    """Start Qt offscreen; the line the self-test prints."""
    from PySide6.QtCore import qVersion

    app = start_offscreen(settings_dir)
    return f"Qt {qVersion()}, nền tảng “{app.platformName()}” (cửa sổ ẩn)"


def _wait(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"quá {WAIT_SECONDS:.0f} giây mà chưa {what}")
        QApplication.processEvents()
        time.sleep(0.01)


def check_window(path: Path, name: str) -> str:
    """Open the main window on the data file `path`; its list must show `name`."""
    from dvdesk.store.gateway import Store
    from dvdesk.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    store = Store.open(path, create=False)
    try:
        window = MainWindow(store)
        window.show()
        model = window.model
        _wait(lambda: model.rowCount() >= 1, "hiện danh sách đoàn viên")
        shown = model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole)
        if shown != name:
            raise AssertionError(f"danh sách hiện “{shown}” thay vì “{name}”")
        title = window.windowTitle()
        window.close()
        _wait(lambda: QThreadPool.globalInstance().activeThreadCount() == 0, "đọc xong")
    finally:
        QThreadPool.globalInstance().waitForDone(int(WAIT_SECONDS * 1000))
        store.close()
    platform = app.platformName()
    return f"mở cửa sổ “{title}” ({platform}), danh sách hiện “{shown}”"


def check_fonts(text: str) -> str:
    """The bundled fonts load into Qt and have every letter of `text`."""
    families: list[str] = []
    for parts in (FONT_REGULAR, FONT_BOLD):
        font_id = QFontDatabase.addApplicationFont(str(resource(*parts)))
        if font_id < 0:
            raise AssertionError(f"Qt không nạp được phông “{parts[-1]}”")
        families += QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        raise AssertionError("phông chữ đi kèm không có họ phông nào")
    metrics = QFontMetrics(QFont(families[0], 10))
    missing = sorted({ch for ch in text if not ch.isspace() and not metrics.inFontUcs4(ord(ch))})
    if missing:
        raise AssertionError(f"phông “{families[0]}” thiếu chữ {' '.join(missing)}")
    return f"{len(set(families))} họ phông ({', '.join(sorted(set(families)))}), đủ chữ tiếng Việt"


def check_translations() -> str:
    """Every bundled Qt translation (resources/translations/*.qm) loads and is not empty."""
    folder = resources_dir() / "translations"
    files = sorted(folder.glob("*.qm")) if folder.is_dir() else []
    if not files:
        return "chương trình không dùng tệp bản dịch .qm (chữ tiếng Việt nằm trong mã)"
    loaded = []
    for file in files:
        translator = QTranslator()
        if not translator.load(str(file)) or translator.isEmpty():
            raise AssertionError(f"không nạp được bản dịch “{file.name}”")
        if not QCoreApplication.installTranslator(translator):
            raise AssertionError(f"Qt không dùng được bản dịch “{file.name}”")
        QCoreApplication.removeTranslator(translator)
        loaded.append(file.name)
    return f"nạp được {len(loaded)} tệp bản dịch ({', '.join(loaded)})"
