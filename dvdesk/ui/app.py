"""Starting the window: the QApplication, fonts, the data file, first-run set-up."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from dvdesk.resources import FONT_BOLD, FONT_REGULAR, resource
from dvdesk.store import backup
from dvdesk.store.errors import KnownError
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService

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
    return app


def open_store(path: Path, dialogs: DialogService) -> Store | None:
    """Open (creating on first run) the data file; a known problem is shown, not raised."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        store = Store.open(path)
    except (KnownError, OSError) as exc:
        dialogs.error("Không mở được tệp dữ liệu", str(exc))
        return None
    if backup.daily_backup_due(path) and store.member_count():
        try:
            backup.make_backup(store, reason=backup.DAILY)
        except KnownError as exc:
            log.warning("daily backup failed: %s", exc)
    return store


class Launcher:
    """Keeps one main window open and swaps it when another file is opened."""

    def __init__(self) -> None:
        self.window = None

    def open(self, path: Path) -> bool:
        from dvdesk.ui.main_window import MainWindow

        store = open_store(path, DialogService(self.window))
        if store is None:
            return False
        old = self.window
        self.window = MainWindow(store)
        self.window.open_requested.connect(self.open)
        self.window.show()
        if old is not None:
            old.close()
            if old.store.db.conn is not None and old.store is not store:
                old.store.close()
        return True


def run(path: Path) -> int:
    app = make_app()
    launcher = Launcher()
    if not launcher.open(path):
        return 1
    code = app.exec()
    if launcher.window is not None:
        launcher.window.store.close()
    return code
