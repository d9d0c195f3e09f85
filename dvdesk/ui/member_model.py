"""The member table model: row ids only, row data fetched lazily in blocks.

200,000 members scroll without a freeze because the model holds a list of
ids and asks the store for a block of rows only when the view paints them.
A list starts as its first block of ids and its count (`first_block`: the
first screen of a search of 80,000 matches without sorting them all); the
other ids are read, off the GUI thread, once a row below the block is
painted. The ids are a compact `array("q")` (8 bytes each, not a Python int
object and a list slot).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from dvdesk.domain.dates import fmt, parse_date
from dvdesk.domain.eligibility import STATUS_LABELS, Eligibility, Method, Status, evaluate
from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, Gender, Presence
from dvdesk.domain.procedure import STAGE_LABELS, Stage, issue_labels
from dvdesk.errors import KnownError
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.members import ORDER_COLUMNS, Block

if TYPE_CHECKING:
    from dvdesk.ui.operations import Jobs, Op

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
BLOCK = 80  # display rows read at once (a screen shows ~30): each a read of a table page
ROWS_KEPT = 5 * BLOCK  # display rows cached (a screen shows ~30): dropped beyond it
MAX_ROWS_REFRESHED = 50  # more changed members than this: read the list again
NOT_READ = "…"  # a row whose id is still being read
UID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class MemberTableModel(QAbstractTableModel):
    """Members matching a `MemberQuery`, judged on a consideration date.

    Signals:
        ids_loaded(): a background `request` (or the ids below the first block) applied.
    """

    ids_loaded = Signal()

    def __init__(
        self,
        store: Store,
        on: date,
        method: Method = Method.COMPLETED,
        load: bool = True,
        jobs: Jobs | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.on = on
        self.method = method
        self.query = MemberQuery(method=method)
        self._order = ("name", False)
        self._ids: array[int] = array("q")  # the list's first ids (all, once read)
        self._total = 0  # rows of the list (its count, known with its first block)
        self._tail_asked = False  # the ids below the first block are being read
        self._rows: dict[int, dict[str, Any]] = {}
        self._generation = 0
        self._wanted = self.query  # the newest query asked for (shown once its ids are)
        self._pending: int | None = None  # the generation of a read on its way
        self._reading: Op | None = None  # that read
        self.jobs = jobs  # background reads; None: every read on this thread
        if load:  # the window loads once, with its filters, instead
            self.reload()

    # -- what is shown -----------------------------------------------------

    def reload(self, total: int | None = None) -> None:
        """Re-read the list (after a filter, sort or data change), here and at once.

        The first block of ids and the list's count are read (one LIMIT read and a
        count, `store.members.first_block`); the table has every row from then on,
        and the ids below the first block are read when a row there is needed.
        `total`: the list's count, when the caller knows it (nothing is counted).
        """
        self._generation += 1  # any answer still on its way is now stale
        order, descending = self._order
        if self.jobs is None or self.store.path is None:
            ids = self.store.members.id_array(self.query, order=order, descending=descending)
            self._reset(ids, len(ids))
            return
        block = self.store.members.first_block(
            self.query, order=order, descending=descending, total=total
        )
        self._reset(block.ids, block.total)

    def show_nothing(self) -> None:
        """An empty table that reads nothing (the file is about to be replaced)."""
        self._generation += 1
        self._reset(array("q"), 0)

    def _reset(self, ids: array[int], total: int) -> None:
        self.beginResetModel()
        self._ids = ids
        self._total = max(total, len(ids))
        self._tail_asked = False
        self._rows.clear()
        self.endResetModel()

    def _ask_tail(self) -> None:
        """Read the ids below the first block off the GUI thread (once per list)."""
        if self._tail_asked or self.all_ids_read:
            return
        self._tail_asked = True
        generation, query, (order, descending) = self._generation, self.query, self._order
        if self.jobs is None or self.store.path is None:
            return
        self.jobs.read(
            lambda store: store.members.id_array(query, order=order, descending=descending),
            lambda ids: self._tail_ready(generation, ids),
            title="Không đọc được danh sách đoàn viên",
        )

    def _tail_ready(self, generation: int, ids: array[int]) -> None:
        """Every id of the list: the rows below the first block can be shown."""
        if generation != self._generation or self.store.closed or self.all_ids_read:
            return
        shown = len(self._ids)
        if ids[:shown] != self._ids or len(ids) != self._total:
            self._reset(ids, len(ids))  # the file changed meanwhile: show it as it is now
        else:
            self._ids = ids
            self._rows.clear()
            self.dataChanged.emit(self.index(shown, 0), self.index(len(ids) - 1, len(COLUMNS) - 1))
        self.ids_loaded.emit()

    def _read_all_ids(self) -> None:
        """Every id of the list, read here (a row below the first block is needed now)."""
        if self.all_ids_read:
            return
        order, descending = self._order
        ids = self.store.members.id_array(self.query, order=order, descending=descending)
        if ids[: len(self._ids)] != self._ids or len(ids) != self._total:
            self._reset(ids, len(ids))
        else:
            self._ids = ids

    @property
    def all_ids_read(self) -> bool:
        """Whether every id of the list is in memory (not only the first block)."""
        return len(self._ids) >= self._total

    def expected_rows(self) -> int:
        """How many rows the list has (its count comes with its first block)."""
        return self._total

    def set_query(self, query: MemberQuery, total: int | None = None) -> None:
        """Show `query`'s list (`total`: its count, when known)."""
        self.query = self._wanted = query
        self._pending = None
        self.reload(total)

    def request(self, query: MemberQuery, reread: bool = False) -> None:
        """Like `set_query`, but read off the GUI thread (search as you type).

        Each keystroke starts a read on its own connection (the first block and
        the count); only the newest answer is shown, so typing never waits for an
        older, broader search. A keystroke that does not change the search (a
        space after a word) reads nothing, unless `reread` (a new order).
        """
        if self.store.path is None or self.jobs is None:
            self.set_query(query)
            self.ids_loaded.emit()
            return
        if not reread and query.same_rows(self._wanted):
            self._wanted = query
            if self._pending is None:
                self.query = query
                self.ids_loaded.emit()
            return  # else the answer on its way is this one's too
        self._wanted = query
        self._generation += 1
        generation, (order, descending) = self._generation, self._order
        self._pending = generation
        if self._reading is not None and shiboken6.isValid(self._reading):
            self._reading.interrupt()  # an older keystroke's read: nobody waits for it
        self._reading = self.jobs.read(
            lambda store: store.members.first_block(query, order=order, descending=descending),
            lambda block: self._block_ready(generation, block),
            title="Không đọc được danh sách đoàn viên",
        )

    def _block_ready(self, generation: int, block: Block) -> None:
        if generation != self._generation or self.store.closed:
            return  # an older keystroke's answer
        self._pending = None
        self.query = self._wanted
        self._reset(block.ids, block.total)
        self.ids_loaded.emit()

    def set_date(self, on: date) -> None:
        self.on = on
        self._rows.clear()
        if self._total:
            self.dataChanged.emit(self.index(0, 0), self.index(self._total - 1, len(COLUMNS) - 1))

    def may_move(self, changes: Changes) -> bool:
        """Whether `changes` can change who this list shows or their order.

        A few members' edits that touch none of the columns the query filters on
        or the order sorts by only need their rows re-read (at 200,000 members a
        reload of every id costs ~0.4 s); anything else reloads the list.
        """
        fields = changes.details.get("fields")
        if (
            Kind.FILE in changes.kinds
            or not changes.member_uids
            or len(changes.member_uids) > MAX_ROWS_REFRESHED
            or not isinstance(fields, set | frozenset)
        ):
            return True
        reads = self.query.reads_columns()
        if reads is None:
            return True
        return bool(fields & (reads | ORDER_COLUMNS[self._order[0]]))

    def refresh_rows(self, uids: Iterable[str]) -> list[int]:
        """Re-read just these members' rows (an edit that moves nobody); returns their rows."""
        rows = []
        for uid in uids:
            try:
                row_id = self.store.members.row_id(uid)
            except KnownError:  # gone from the file altogether
                continue
            self._rows.pop(row_id, None)
            try:
                rows.append(self._ids.index(row_id))
            except ValueError:  # not in this view
                continue
        for row in rows:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return rows

    def row_ids(self) -> list[int]:
        """Every row id of the list, in order (a copy: work off the GUI thread reads it)."""
        self._read_all_ids()
        return list(self._ids)

    def uid_at(self, row: int) -> str:
        return str(self._row(row)["uid"])  # below the first block: its id read now

    def row_of_uid(self, uid: str) -> int:
        row_id = self.store.members.row_id(uid)
        try:
            return self._ids.index(row_id)
        except ValueError:
            if self.all_ids_read:
                return -1
        self._read_all_ids()  # perhaps below the first block
        try:
            return self._ids.index(row_id)
        except ValueError:
            return -1

    # -- Qt model API ------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._total

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
        if not index.isValid() or not 0 <= index.row() < self._total:
            return None
        if index.row() >= len(self._ids):  # below the first block: its id is being read
            self._ask_tail()
            return NOT_READ if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 else None
        row = self._row(index.row())
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == UID_ROLE:
            return row["uid"]
        if role == Qt.ItemDataRole.ForegroundRole and key == "status":
            return QBrush(STATUS_COLOURS[self._status(row).status])
        if key == "stage" and row.get("dossier_issues"):
            # A dossier the Party would send back (issue #12): red, with its reasons.
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#b00020"))
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Hồ sơ cần kiểm tra: " + "; ".join(issue_labels(row["dossier_issues"]))
        if role == Qt.ItemDataRole.ToolTipRole and key in ("full_name", "unit_name"):
            return self._display(row, key)  # the whole text of a narrow column
        if role == Qt.ItemDataRole.ToolTipRole and key in ("status", "dob"):
            result = self._status(row)
            return "\n".join((result.reason, *result.warnings))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        wanted = (COLUMNS[column][2], order == Qt.SortOrder.DescendingOrder)
        if wanted == self._order:
            return  # e.g. the header's restored sort indicator: nothing to re-read
        self._order = wanted
        if self.query.search and self.jobs is not None and self.store.path is not None:
            self.request(self._wanted, reread=True)  # the matches sorted: off the GUI thread
        else:
            self.reload()  # the first block by an index: at once
            self.ids_loaded.emit()

    # -- helpers -----------------------------------------------------------

    def _row(self, row: int) -> dict[str, Any]:
        if row >= len(self._ids):
            self._read_all_ids()  # needed now (painting shows a placeholder instead)
        row_id = self._ids[row]
        cached = self._rows.get(row_id)
        if cached is None:
            if len(self._rows) > ROWS_KEPT:
                self._rows.clear()
            start = max(0, row - BLOCK // 4)
            fetched = self.store.members.rows(self._ids[start : start + BLOCK])
            self._rows.update(fetched)
            cached = self._rows[row_id]
        return cached

    def _status(self, row: dict[str, Any]) -> Eligibility:
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
            return PRESENCE_LABELS[Presence(str(value))]
        if key == "stage":
            return STAGE_LABELS[Stage(str(value))] + (" ⛔" if row.get("dossier_issues") else "")
        if key == "status":
            result = self._status(row)
            return STATUS_LABELS[result.status] + (" ⚠" if result.warnings else "")
        if key == "eligible_from":
            if row.get("dob_precision") not in (None, "day"):
                # A partial date of birth: the range of the 18th birthday, not a guess.
                span = self._status(row).eligible_from_range
                if span is None:
                    return ""
                lo, hi = span
                return fmt(lo) if lo == hi else f"{fmt(lo)} – {fmt(hi)}"
            column = "elig_from_b" if self.method is Method.CALENDAR else "elig_from_a"
            start = row.get(column)
            return fmt(date.fromisoformat(start)) if start else ""
        return "" if value is None else str(value)
