"""Starting the window: the QApplication, fonts, the data file, first-run set-up."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QThreadPool, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from dvdesk.errors import KnownError
from dvdesk.files import clean_leftovers
from dvdesk.resources import FONT_BOLD, FONT_REGULAR, resource
from dvdesk.store import backup
from dvdesk.store.gateway import Store
from dvdesk.store.lock import DataFileLock
from dvdesk.ui.dialogs import DialogService
from dvdesk.ui.operations import BUG_TITLE, bug_message

if TYPE_CHECKING:
    from dvdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dvdesk")
    app.setOrganizationName("dvdesk")
    app.setApplicationDisplayName("dvdesk")
    # WORKAROUND: PySide6 wheels ship no fonts; a system font may lack Vietnamese letters.
    families = []
    for parts in (FONT_REGULAR, FONT_BOLD):
        font_id = QFontDatabase.addApplicationFont(str(resource(*parts)))
        families += QFontDatabase.applicationFontFamilies(font_id)
    if families:
        app.setFont(QFont(families[0], 9))
    # Month and day names in the date pickers in Vietnamese.
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    install_translation(app)
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resource("icons", f"dvdesk-{size}.png")))
    app.setWindowIcon(icon)
    return app


QT_TRANSLATION = ("translations", "qtbase_vi.qm")


def install_translation(app: QApplication) -> bool:
    """Vietnamese for Qt's own texts (file dialog, context menus, standard buttons, print
    dialogs): Qt ships none, so dvdesk carries its own (resources/translations)."""
    if app.property("dvdesk_translator") is not None:
        return True
    translator = QTranslator(app)
    if not translator.load(str(resource(*QT_TRANSLATION))):
        log.warning("Qt translation not loaded: %s", resource(*QT_TRANSLATION))
        return False
    app.installTranslator(translator)
    app.setProperty("dvdesk_translator", translator)
    return True


def open_store(path: Path, dialogs: DialogService) -> Store | None:
    """Open (creating on first run) the data file; a known problem is shown, not raised."""
    # What a killed dvdesk left beside this file (partial copies, exact names only).
    clean_leftovers(path.parent)
    backup.clean_interrupted(path)
    try:
        store = Store.open(path)
    except (KnownError, OSError) as exc:
        dialogs.error("Không mở được tệp dữ liệu", str(exc))
        return None
    if backup.daily_backup_due(path) and store.members.count():
        try:
            backup.make_backup(store, reason=backup.DAILY)
        except KnownError as exc:
            log.warning("daily backup failed: %s", exc)
    return store


class Launcher:
    """Keeps one main window open, holding the file's lock, and swaps files on request."""

    def __init__(self) -> None:
        self.window: MainWindow | None = None
        self.lock: DataFileLock | None = None

    def open(self, path: Path) -> bool:
        from dvdesk.ui.main_window import MainWindow

        path = Path(path).absolute()
        dialogs = DialogService(self.window)
        same = self.lock is not None and self.lock.db_path == path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = self.lock if same and self.lock else DataFileLock.acquire(path)
        except (KnownError, OSError) as exc:
            dialogs.error("Không mở được tệp dữ liệu", str(exc))
            return False
        store = open_store(path, dialogs)
        if store is None:
            if not same:
                lock.release()
            return False
        old, old_lock = self.window, self.lock
        self.window, self.lock = MainWindow(store), lock
        self.window.open_requested.connect(self.open)
        self.window.show()
        if old is not None:
            old.close()
            old.store.close()
        if old_lock is not None and old_lock is not lock:
            old_lock.release()
        return True

    def close(self) -> None:
        if self.window is not None:
            self.window.store.close()
        if self.lock is not None:
            self.lock.release()


def install_error_hook(log_file: Path) -> logging.Handler:
    """Unhandled errors in the window: a known problem shows its message; a bug is
    logged with its traceback and shown as "lỗi chương trình", never a silent crash."""
    import traceback

    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        dialogs = DialogService(QApplication.activeWindow())
        if isinstance(exc, KnownError):
            dialogs.error("Không thực hiện được", str(exc))
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unhandled error\n%s", text)
        dialogs.error(BUG_TITLE, bug_message(log_file), text)

    sys.excepthook = hook
    return handler


def run(path: Path) -> int:
    app = make_app()
    path.parent.mkdir(parents=True, exist_ok=True)
    install_error_hook(path.parent / "dvdesk.log")
    launcher = Launcher()
    if not launcher.open(path):
        return 1
    try:
        return app.exec()
    finally:
        # Background reads run Python code in Qt's pool threads. Let them end before the
        # window's objects go and the interpreter finalizes: a thread still emitting then
        # touches freed objects (segfault, or the "bool_dealloc" abort seen at Ctrl+Q).
        QThreadPool.globalInstance().waitForDone(30_000)
        launcher.close()
        QThreadPool.globalInstance().waitForDone(30_000)
