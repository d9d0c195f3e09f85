"""One window, in its own process: time to the first painted rows, and peak memory.

Usage: python bench/gui_probe.py dvdesk|bare DB_FILE
Prints one JSON line: {"seconds": …, "cpu": …, "rows": …, "peak_rss_mb": …}.
Both clocks include the imports, so each window pays for what it loads.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

SQL = (
    "SELECT m.full_name, m.dob, u.code, m.school_class, m.presence, m.stage, m.elig_from_a "
    "FROM members m JOIN units u ON u.id = m.unit_id WHERE m.deleted_at IS NULL "
    "ORDER BY m.name_sort, m.id"
)


class FirstPaint(QObject):
    """Quits the event loop once the table's viewport has painted rows."""

    def __init__(self, table: QTableView) -> None:
        super().__init__()
        self.table = table
        self.seconds = 0.0
        self.cpu = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.table.model().rowCount() and not self.seconds:
            # Runs after this paint event has been handled.
            QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        if not self.seconds:
            self.seconds = time.perf_counter() - START
            self.cpu = time.process_time()  # since the process began
            QApplication.instance().quit()


def dvdesk_window(path: str) -> tuple[object, QTableView]:
    from dvdesk.store.gateway import Store
    from dvdesk.ui.app import make_app
    from dvdesk.ui.main_window import MainWindow

    make_app()
    window = MainWindow(Store.open(path))
    return window, window.table


def bare_window(path: str) -> tuple[object, QTableView]:
    from PySide6.QtSql import QSqlDatabase, QSqlQueryModel

    QApplication(sys.argv[:1])
    db = QSqlDatabase.addDatabase("QSQLITE")
    db.setDatabaseName(path)
    db.open()
    model = QSqlQueryModel()
    model.setQuery(SQL, db)
    table = QTableView()
    table.setModel(model)
    table.resize(1366, 760)
    return table, table


def peak_rss_mb() -> float:
    """This process's own high-water RSS (VmHWM). getrusage's ru_maxrss survives exec on
    Linux, so a child started by a big parent would report the parent's peak."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    kind, path = sys.argv[1], sys.argv[2]
    window, table = (dvdesk_window if kind == "dvdesk" else bare_window)(path)
    probe = FirstPaint(table)
    table.viewport().installEventFilter(probe)
    window.show()
    QTimer.singleShot(60_000, QApplication.instance().quit)
    QApplication.instance().exec()
    peak = peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": probe.seconds,
                "cpu": probe.cpu,
                "rows": table.model().rowCount(),
                "peak_rss_mb": round(peak, 1),
            }
        )
    )
    sys.stdout.flush()
    os._exit(0)  # skip teardown: not part of "open and show"


if __name__ == "__main__":
    main()
