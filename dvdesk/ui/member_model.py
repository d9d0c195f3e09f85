"""The member table model: row ids only, row data fetched lazily in blocks.

200,000 members scroll without a freeze because the model holds a list of
ids and asks the store for a block of rows only when the view paints them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from dvdesk.domain.dates import fmt, parse_date
from dvdesk.domain.eligibility import STATUS_LABELS, Method, Status, evaluate
from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, Gender, Presence
from dvdesk.domain.procedure import STAGE_LABELS, Stage
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from dvdesk.ui.background import BackgroundReads

COLUMNS = (
    ("full_name", "Họ và tên", "name"),
    ("dob", "Ngày sinh", "dob"),
    ("status", "Tuổi vào Đảng", "eligible_from"),
    ("eligible_from", "Đủ 18 tuổi từ", "eligible_from"),
    ("unit_name", "Đơn vị", "unit"),
    ("school_class", "Lớp", "class"),
    ("stage", "Giai đoạn", "stage"),
    ("presence", "Tình trạng", "presence"),
    ("gender", "Giới tính", "gender"),
)
STATUS_COLOURS = {
    Status.ELIGIBLE: QColor("#1b7f3b"),
    Status.TOO_YOUNG: QColor("#8a5a00"),
    Status.OVER_AGE: QColor("#9b1c1c"),
    Status.UNKNOWN: QColor("#555555"),
}
BLOCK = 200
UID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class MemberTableModel(QAbstractTableModel):
    """Members matching a `MemberQuery`, judged on a consideration date.

    Signals:
        ids_loaded(): a background `request` has been applied.
    """

    ids_loaded = Signal()

    def __init__(
        self, store: Store, on: date, method: Method = Method.COMPLETED, load: bool = True
    ) -> None:
        super().__init__()
        self.store = store
        self.on = on
        self.method = method
        self.query = MemberQuery(method=method)
        self._order = ("name", False)
        self._ids: list[int] = []
        self._rows: dict[int, dict[str, Any]] = {}
        self._generation = 0
        self.async_sort = False  # the window turns it on; a sort then never blocks it
        self.reads = BackgroundReads(self)
        if load:  # the window loads once, with its filters, instead
            self.reload()

    # -- what is shown -----------------------------------------------------

    def reload(self) -> None:
        """Re-read the ids (after a filter, sort or data change)."""
        self._generation += 1  # any answer still on its way is now stale
        self.beginResetModel()
        order, descending = self._order
        self._ids = self.store.members.ids(self.query, order=order, descending=descending)
        self._rows.clear()
        self.endResetModel()

    def set_query(self, query: MemberQuery) -> None:
        self.query = query
        self.reload()

    def request(self, query: MemberQuery) -> None:
        """Like `set_query`, but the ids are read off the GUI thread (search as you type).

        Each keystroke starts a read on its own connection; only the newest
        answer is shown, so typing never waits for an older, broader search.
        """
        if self.store.path is None:
            self.set_query(query)
            return
        self._generation += 1
        generation, (order, descending) = self._generation, self._order
        self.reads.start(
            self.store.path,
            lambda store: store.members.ids(query, order=order, descending=descending),
            lambda ids: self._ids_ready(generation, query, ids),
        )

    def _ids_ready(self, generation: int, query: MemberQuery, ids: list[int]) -> None:
        if generation != self._generation or self.store.closed:
            return  # an older keystroke's answer
        self.beginResetModel()
        self.query = query
        self._ids = ids
        self._rows.clear()
        self.endResetModel()
        self.ids_loaded.emit()

    def set_date(self, on: date) -> None:
        self.on = on
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    def uid_at(self, row: int) -> str:
        return str(self._row(row)["uid"])

    def row_of_uid(self, uid: str) -> int:
        try:
            return self._ids.index(self.store.members.row_id(uid))
        except ValueError:
            return -1

    # -- Qt model API ------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self._row(index.row())
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == UID_ROLE:
            return row["uid"]
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return QBrush(STATUS_COLOURS[self._status(row).status])
        if role == Qt.ItemDataRole.ToolTipRole and key in ("status", "dob"):
            result = self._status(row)
            return "\n".join((result.reason, *result.warnings))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        wanted = (COLUMNS[column][2], order == Qt.SortOrder.DescendingOrder)
        if wanted == self._order:
            return  # e.g. the header's restored sort indicator: nothing to re-read
        self._order = wanted
        if self.async_sort:
            self.request(self.query)
        else:
            self.reload()

    # -- helpers -----------------------------------------------------------

    def _row(self, row: int) -> dict[str, Any]:
        row_id = self._ids[row]
        cached = self._rows.get(row_id)
        if cached is None:
            if len(self._rows) > 20 * BLOCK:
                self._rows.clear()
            start = max(0, row - BLOCK // 4)
            fetched = self.store.members.rows(self._ids[start : start + BLOCK])
            self._rows.update(fetched)
            cached = self._rows[row_id]
        return cached

    def _status(self, row: dict[str, Any]):
        result = row.get("_status")
        if result is None or row.get("_on") != self.on:
            result = evaluate(parse_date(row["dob"]), self.on, self.method)
            row["_status"], row["_on"] = result, self.on
        return result

    def _display(self, row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        if key == "dob":
            dob = parse_date(value)
            return dob.vi() if dob else ""
        if key == "gender":
            return GENDER_LABELS[Gender(value)] if value else ""
        if key == "presence":
            return PRESENCE_LABELS[Presence(value)]
        if key == "stage":
            return STAGE_LABELS[Stage(value)]
        if key == "status":
            result = self._status(row)
            return STATUS_LABELS[result.status] + (" ⚠" if result.warnings else "")
        if key == "eligible_from":
            column = "elig_from_b" if self.method is Method.CALENDAR else "elig_from_a"
            start = row.get(column)
            return fmt(date.fromisoformat(start)) if start else ""
        return "" if value is None else str(value)
