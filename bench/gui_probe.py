"""One window in its own process, driven by input events and timed to the answer on screen.

Usage: python bench/gui_probe.py dvdesk|bare DB_FILE
Prints one JSON line with, for the window `dvdesk` (dvdesk's MainWindow) or
`bare` (a bare PySide6 QTableView over the same rows, ids in memory and rows
read in blocks, a side table with the clicked member's steps):

- open: process start (imports included) to the first painted rows;
- keys: each keystroke of "nguyen van a" typed into the search box (a
  QKeyEvent) up to the table holding every match and the side panel showing
  the selected member, painted;
- click: a mouse click on a row up to the side panel showing that member;
- sort: a click on each column header up to the table re-read in that order;
- edit: one member's presence changed through the store and applied to the
  window, up to its row repainted, with the number of id-list reloads seen;
- peak_rss_mb: the process's high-water RSS after all of the above.

Times are CPU seconds of the whole process (every thread, `time.process_time`)
and wall seconds (QElapsedTimer). The window works on a copy of the file.
"""

from __future__ import annotations

import time

START = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402
import unicodedata  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import replace  # noqa: E402
from typing import Any  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QAbstractTableModel,
    QElapsedTimer,
    QEvent,
    QEventLoop,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

TYPED = "nguyen van a"
CLICK_ROWS = (2, 5, 9, 14, 20)
TIMEOUT_MS = 120_000


def fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def fts_text(prefix: str) -> str:
    return " ".join(f'"{t}"*' for t in fold(prefix).split())


def wait_until(done: Callable[[], bool], timeout_ms: int = TIMEOUT_MS) -> bool:
    """Run the event loop until `done()` (checked every millisecond) or the timeout.

    An event loop and a 1 ms timer rather than a processEvents() loop: PySide6 6.12
    on Python 3.11 drops a reference to None on each processEvents() call, and a
    busy loop would also count its own spinning as the window's CPU time.
    """
    if done():
        return True
    clock = QElapsedTimer()
    clock.start()
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(1)

    def tick() -> None:
        if done() or clock.elapsed() > timeout_ms:
            loop.quit()

    timer.timeout.connect(tick)
    timer.start()
    loop.exec()
    timer.stop()
    return bool(done())


class Timed:
    """CPU and wall time from now to `stop()`."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.clock.start()
        self.cpu0 = time.process_time()

    def stop(self) -> dict[str, float]:
        return {"cpu": time.process_time() - self.cpu0, "wall": self.clock.nsecsElapsed() / 1e9}


# -- the bare window --------------------------------------------------------------------

BARE_COLUMNS = (  # dvdesk's columns, each with the column it sorts by
    ("m.full_name", "m.name_sort"),
    ("m.dob", "m.dob"),
    ("m.elig_from_a", "m.elig_from_a"),
    ("m.elig_from_a", "m.elig_from_a"),
    ("u.name", "u.name"),
    ("m.school_class", "m.school_class"),
    ("m.stage", "m.stage"),
    ("m.presence", "m.presence"),
    ("m.gender", "m.gender"),
)


class BareModel(QAbstractTableModel):
    """Ids in memory, rows read in blocks of 200 as painted: the least a big table needs."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self.conn = conn
        self.search = ""
        self.order = "m.name_sort"
        self.descending = False
        self.ids: list[int] = []
        self.rows: dict[int, tuple[Any, ...]] = {}
        self.reload()

    def reload(self) -> None:
        direction = "DESC" if self.descending else ""
        if self.search.strip():
            sql = (
                "SELECT m.id FROM members_fts CROSS JOIN members m ON m.id = members_fts.rowid "
                "JOIN units u ON u.id = m.unit_id WHERE members_fts MATCH ? "
                f"AND m.deleted_at IS NULL ORDER BY {self.order} {direction}, m.id"
            )
            params: list[object] = [fts_text(self.search)]
        else:
            sql = (
                "SELECT m.id FROM members m JOIN units u ON u.id = m.unit_id "
                f"WHERE m.deleted_at IS NULL ORDER BY {self.order} {direction}, m.id"
            )
            params = []
        self.beginResetModel()
        self.ids = [r[0] for r in self.conn.execute(sql, params)]
        self.rows.clear()
        self.endResetModel()

    def rowCount(self, parent: Any = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Any = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(BARE_COLUMNS)

    def row(self, r: int) -> tuple[Any, ...]:
        row_id = self.ids[r]
        if row_id not in self.rows:
            block = self.ids[max(0, r - 50) : r + 150]
            cols = ", ".join(c for c, _ in BARE_COLUMNS)
            marks = ",".join("?" * len(block))
            for found in self.conn.execute(
                f"SELECT m.id, m.uid, {cols} FROM members m JOIN units u ON u.id = m.unit_id "
                f"WHERE m.id IN ({marks})",
                block,
            ):
                self.rows[found[0]] = found[1:]
        return self.rows[row_id]

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        value = self.row(index.row())[index.column() + 1]
        return "" if value is None else str(value)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.order = BARE_COLUMNS[column][1]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()

    def uid_at(self, r: int) -> str:
        return str(self.row(r)[0])

    def refresh(self, row_id: int) -> None:
        self.rows.pop(row_id, None)
        if row_id in self.ids:
            r = self.ids.index(row_id)
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(BARE_COLUMNS) - 1))


class BareWindow(QWidget):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.conn = sqlite3.connect(path, check_same_thread=False)
        self.search = QLineEdit()
        self.model = BareModel(self.conn)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(True)
        self.steps = QTableWidget(0, 3)
        self.shown_uid: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(self.steps, 2)
        layout.addLayout(body)
        self.search.textChanged.connect(self._search)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show())
        self.resize(1366, 728)
        if self.model.rowCount():
            self.table.selectRow(0)  # as dvdesk's window: the first row shown in the panel

    def _search(self, text: str) -> None:
        self.model.search = text
        self.model.reload()
        if self.model.rowCount():
            self.table.selectRow(0)

    def current_uid(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.uid_at(index.row()) if index.isValid() else None

    def _show(self) -> None:
        uid = self.current_uid()
        rows = self.conn.execute(
            "SELECT s.code, s.state, s.done_on FROM steps s JOIN members m ON m.id = s.member_id "
            "WHERE m.uid = ? ORDER BY s.id",
            [uid],
        ).fetchall()
        self.steps.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.steps.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
        self.shown_uid = uid

    def edit(self, uid: str) -> None:
        (old,) = self.conn.execute("SELECT presence FROM members WHERE uid = ?", [uid]).fetchone()
        presence = "working_away" if old != "working_away" else "at_home"
        self.conn.execute("UPDATE members SET presence = ? WHERE uid = ?", [presence, uid])
        self.conn.commit()
        (row_id,) = self.conn.execute("SELECT id FROM members WHERE uid = ?", [uid]).fetchone()
        self.model.refresh(row_id)


# -- the two windows behind one surface ----------------------------------------------


class Probe:
    """What the measurements need from either window."""

    def __init__(self, kind: str, path: str) -> None:
        self.kind = kind
        self.id_reads = 0
        self.resets = 0
        if kind == "dvdesk":
            from dvdesk.store.gateway import Store
            from dvdesk.ui.app import make_app
            from dvdesk.ui.main_window import MainWindow

            make_app()
            store = Store.open(path)
            members = store.members
            original_ids = members.ids

            def counted_ids(*args: Any, **kwargs: Any) -> Any:
                self.id_reads += 1
                return original_ids(*args, **kwargs)

            members.ids = counted_ids  # type: ignore[method-assign]
            self.store = store
            self.window: Any = MainWindow(store)
            self.search: QLineEdit = self.window.search
            self.table: QTableView = self.window.table
        else:
            QApplication(sys.argv[:1])
            self.window = BareWindow(path)
            self.search = self.window.search
            self.table = self.window.table
        self.table.model().modelReset.connect(self._reset)
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def order(self) -> object:
        """The sort key the model holds (dvdesk's private `_order`; the bare model's own)."""
        if self.kind == "dvdesk":
            return getattr(self.model, "_order", None)
        return (self.model.order, self.model.descending)

    def _reset(self) -> None:
        self.resets += 1

    @property
    def model(self) -> Any:
        return self.table.model()

    def current_uid(self) -> str | None:
        return self.window.current_uid()

    def panel_uid(self) -> str | None:
        if self.kind == "dvdesk":
            return self.window.procedure.uid
        return self.window.shown_uid

    def paint(self) -> None:
        self.table.viewport().repaint()
        if self.kind == "dvdesk":
            self.window.procedure.repaint()
        else:
            self.window.steps.viewport().repaint()

    def expected(self, text: str) -> int:
        """Live members the search finds, by a query of the probe's own."""
        if not text.strip():
            sql, params = "SELECT count(*) FROM members WHERE deleted_at IS NULL", []
        else:
            sql = (
                "SELECT count(*) FROM members_fts JOIN members m ON m.id = members_fts.rowid "
                "WHERE members_fts MATCH ? AND m.deleted_at IS NULL"
            )
            params = [fts_text(text)]
        return int(self.conn.execute(sql, params).fetchone()[0])

    def settled(self, rows: int) -> bool:
        """The table holds `rows` rows and the side panel shows the selected member."""
        if self.model.rowCount() != rows:
            return False
        searched = getattr(getattr(self.model, "query", None), "search", None)  # dvdesk
        if searched is None:
            searched = getattr(self.model, "search", "")  # bare
        if searched != self.search.text():
            return False  # the answer shown is still an older keystroke's
        if self.kind == "dvdesk" and not getattr(self.model, "complete", True):
            return False
        return rows == 0 or self.panel_uid() == self.current_uid() is not None


class FirstPaint(QObject):
    def __init__(self, table: QTableView) -> None:
        super().__init__()
        self.table = table
        self.at: dict[str, float] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.table.model().rowCount() and not self.at:
            QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        if not self.at:
            self.at = {"cpu": time.process_time(), "wall": time.perf_counter() - START}


def type_key(widget: QWidget, char: str) -> None:
    key = Qt.Key.Key_Space if char == " " else getattr(Qt.Key, f"Key_{char.upper()}")
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))


def run(kind: str, path: str) -> dict[str, Any]:
    probe = Probe(kind, path)
    first = FirstPaint(probe.table)
    probe.table.viewport().installEventFilter(first)
    probe.window.show()
    wait_until(lambda: first.at is not None, 60_000)
    out: dict[str, Any] = {"open": first.at}
    total = probe.expected("")
    wait_until(lambda: probe.settled(total))  # a long list's tail has arrived
    out["rows"] = probe.model.rowCount()

    # Search as you type: each key until the table holds every match, painted.
    probe.search.setFocus()
    keys = []
    for i, char in enumerate(TYPED):
        text = TYPED[: i + 1]
        want = probe.expected(text)
        timed = Timed()
        type_key(probe.search, char)
        ok = wait_until(lambda w=want, t=text: probe.search.text() == t and probe.settled(w))
        probe.paint()
        keys.append({"text": text, **timed.stop(), "rows": probe.model.rowCount(), "ok": ok})
    out["keys"] = keys
    probe.search.clear()
    wait_until(lambda: probe.settled(total))

    # Row clicks: until the side panel shows the clicked member.
    clicks = []
    for row in CLICK_ROWS:
        rect = probe.table.visualRect(probe.model.index(row, 0))
        want_uid = probe.model.uid_at(row)
        timed = Timed()
        QTest.mouseClick(probe.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        ok = wait_until(lambda u=want_uid: probe.panel_uid() == u and probe.current_uid() == u)
        probe.paint()
        clicks.append({"row": row, **timed.stop(), "ok": ok})
    out["clicks"] = clicks

    # Sort by each column: a click on its header until the table is re-read in that order.
    header = probe.table.horizontalHeader()
    sorts = []
    for column in range(probe.model.columnCount()):
        label = probe.model.headerData(column, Qt.Orientation.Horizontal)
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        before = probe.resets
        order = probe.order()
        timed = Timed()
        QTest.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )
        # A column sorting by the same key as the last one has nothing to re-read.
        same = order is not None and probe.order() == order
        ok = wait_until(
            lambda b=before, c=column, s=same: (
                (s or probe.resets > b)
                and header.sortIndicatorSection() == c
                and probe.model.rowCount() == total
            )
        )
        probe.paint()
        first_uid = probe.model.uid_at(0) if probe.model.rowCount() else ""
        sorts.append(
            {
                "column": column,
                "label": str(label or column),
                **timed.stop(),
                "ok": ok,
                "first": first_uid,
            }
        )
    out["sorts"] = sorts

    # One member edited (presence), applied to the window, row repainted.
    probe.table.selectRow(3)
    wait_until(lambda: probe.panel_uid() == probe.current_uid() is not None)
    uid = probe.current_uid() or ""
    reads, resets = probe.id_reads, probe.resets
    cell = probe.model.index(3, probe.model.columnCount() - 2)
    shown = probe.model.data(cell)
    timed = Timed()
    if kind == "dvdesk":
        member = probe.store.members.get(uid)
        new = "working_away" if member.presence.value != "working_away" else "at_home"
        saved = probe.store.members.update(replace(member, presence=type(member.presence)(new)))
        probe.window.apply_changes(getattr(saved, "changes", saved))
    else:
        probe.window.edit(uid)
    ok = wait_until(lambda: probe.model.data(cell) != shown, 30_000)
    probe.paint()
    out["edit"] = {
        **timed.stop(),
        "ok": ok,
        "id_reloads": (probe.id_reads - reads) + (probe.resets - resets),
    }
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def peak_rss_mb() -> float:
    """This process's own high-water RSS (VmHWM)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def main() -> None:
    result = run(sys.argv[1], sys.argv[2])
    print(json.dumps(result, ensure_ascii=False))
    sys.stdout.flush()
    os._exit(0)  # skip teardown: not part of any row


if __name__ == "__main__":
    main()
