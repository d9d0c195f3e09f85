"""The import preview: what each sheet holds and what "Nhập" will do (xem trước khi nhập).

Reads the `ImportPlan` of dvdesk/exchange/sheet_import.py and shows, per sheet,
whether it is visible or hidden, the header row, each column's meaning and the
columns ignored, the unit each block of rows goes to and why, and the rows
skipped and why; then every change a re-import makes (field: old → new) with
the add / update / unchanged / conflict counts, and the problem rows.

The officer can choose the unit of a sheet that gives none (the plan is read
again with that choice) and confirm or reject each probable match (same name,
date of birth and unit). Nothing is written here: the choices are handed to
the caller, which applies the plan only after "Nhập".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.validation import Severity
from dvdesk.exchange.sheet_plan import ImportPlan, ImportRow, RowStatus, SheetPlan
from dvdesk.ui.dialogs import translate_buttons
from dvdesk.ui.help import add_help

SHOWN_ROWS = 2000  # rows listed in a table; the rest are counted (the CLI lists them all)
SEVERITY_WORDS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}
MATCHED_BY = {"uid": "mã dvdesk", "cccd": "số CCCD", "probable": "họ tên, ngày sinh, đơn vị"}
NO_CHOICE = ""


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], stretch: int = -1
) -> QTableWidget:
    shown = rows[:SHOWN_ROWS]
    table = QTableWidget(len(shown), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(
        stretch if stretch >= 0 else len(headers) - 1, QHeaderView.ResizeMode.Stretch
    )
    for r, cells in enumerate(shown):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    return table


def _more(rows: Sequence[object]) -> str:
    return f" (hiện {SHOWN_ROWS} dòng đầu)" if len(rows) > SHOWN_ROWS else ""


class ImportPreviewDialog(QDialog):
    """Attributes read by the caller once the dialog is closed:
    remap_requested: the officer asked to correct the column meanings.
    replan_requested: the officer chose a unit for a sheet: read again with `sheet_units()`.
    """

    def __init__(
        self,
        plan: ImportPlan,
        units: Sequence[tuple[str, str]],
        chosen: dict[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Xem trước khi nhập — {plan.source}")
        self.resize(1000, 640)
        self.remap_requested = False
        self.replan_requested = False
        self.unit_boxes: dict[str, QComboBox] = {}
        self.chosen = dict(chosen or {})

        layout = QVBoxLayout(self)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.sheet_boxes: dict[str, QCheckBox] = {}
        if len(plan.workbook) > 1 or any(not read for _, _, read in plan.workbook):
            layout.addWidget(self._workbook_row())
        self.tabs = QTabWidget()
        self.tabs.setUsesScrollButtons(True)
        layout.addWidget(self.tabs, 1)
        for sheet in plan.sheets:
            self.tabs.addTab(self._sheet_page(sheet, units), self._sheet_title(sheet))
        self.probable = plan.probable
        self.changes = self._changes_page()
        self.tabs.addTab(self.changes, f"Thay đổi ({len(self._changed_rows())})")
        issues = plan.issues
        self.problems = _table(
            ("Trang", "Dòng", "Cột", "Mức", "Nội dung"),
            [
                (i.sheet, str(i.row), i.column, SEVERITY_WORDS[i.severity], i.message)
                for i in issues
            ],
        )
        self.tabs.addTab(self.problems, f"Dòng có vấn đề ({len(issues)}){_more(issues)}")
        first_without = next(
            (i for i, s in enumerate(plan.sheets) if s.sheet in self.unit_boxes), None
        )
        if first_without is not None:
            self.tabs.setCurrentIndex(first_without)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(self.buttons)
        self.remap_button = self.buttons.addButton(
            "Sửa cách hiểu cột…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.remap_button.clicked.connect(self._remap)
        # No button when nothing could be written (everyone is already there).
        s = plan.summary()
        self.apply_button: QPushButton | None = (
            self.buttons.addButton("Nhập", QDialogButtonBox.ButtonRole.AcceptRole)
            if s["new"] or s["update"] or s["conflict"]
            else None
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._recount()
        add_help(self, "import")

    # -- the workbook's sheets ----------------------------------------------------

    def _workbook_row(self) -> QWidget:
        """Every sheet with its state; a sheet not read (hidden) can be ticked to read it."""
        box = QGroupBox("Các trang tính của tệp")
        row = QHBoxLayout(box)
        for name, state, read in self.plan.workbook:
            check = QCheckBox(f"{name} ({state})")
            check.setChecked(read)
            check.setToolTip(
                "Đang đọc trang này." if read else "Trang ẩn không được đọc; đánh dấu để đọc."
            )
            self.sheet_boxes[name] = check
            row.addWidget(check)
        row.addStretch(1)
        again = QPushButton("Đọc lại các trang đã chọn")
        again.clicked.connect(self._replan)
        row.addWidget(again)
        return box

    def sheets(self) -> list[str] | None:
        """The sheets ticked, or None when they are the ones read now."""
        chosen = [name for name, check in self.sheet_boxes.items() if check.isChecked()]
        now = [name for name, _, read in self.plan.workbook if read]
        return None if chosen == now else chosen

    # -- per sheet ---------------------------------------------------------------

    @staticmethod
    def _sheet_title(sheet: SheetPlan) -> str:
        name = sheet.sheet or "Bảng tính"
        if sheet.header is None:
            return f"{name} (bỏ qua)"
        return f"{name} ({sheet.count} người{', ẩn' if sheet.hidden else ''})"

    def _sheet_page(self, sheet: SheetPlan, units: Sequence[tuple[str, str]]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        facts = QFormLayout()
        facts.addRow(
            "Trạng thái:", QLabel("ẩn trong bảng tính (vẫn đọc)" if sheet.hidden else "hiện")
        )
        if sheet.header is None:
            facts.addRow("Không đọc:", QLabel(sheet.refused))
            layout.addLayout(facts)
            layout.addStretch(1)
            return page
        facts.addRow("Dòng tiêu đề:", QLabel(f"dòng {sheet.header.row + 1}"))
        ignored = QLabel("; ".join(sheet.ignored) if sheet.ignored else "không có")
        ignored.setWordWrap(True)
        facts.addRow("Cột bỏ qua:", ignored)
        for note in sheet.notes:
            label = QLabel(note)
            label.setWordWrap(True)
            facts.addRow("Ghi chú:", label)
        layout.addLayout(facts)
        if any(not b.unit for b in sheet.blocks) or sheet.sheet in self.chosen:
            layout.addWidget(self._unit_choice(sheet, units))
        tables = QHBoxLayout()
        tables.addWidget(
            self._group("Cột nhận ra", _table(("Cột trong bảng", "Nghĩa"), sheet.columns))
        )
        blocks = [
            (
                str(b.first) if b.first == b.last else f"{b.first}–{b.last}",
                str(b.count),
                b.unit or "CHƯA RÕ ĐƠN VỊ",
                b.reason,
            )
            for b in sheet.blocks
        ]
        right = QVBoxLayout()
        right.addWidget(
            self._group(
                "Đơn vị của từng khối dòng",
                _table(("Dòng", "Số người", "Đơn vị", "Vì sao"), blocks),
            )
        )
        skipped = [(str(s.row), s.reason, s.text[:120]) for s in sheet.skipped]
        if sheet.blank_rows:
            skipped.append(("", "dòng trống", f"{sheet.blank_rows} dòng"))
        right.addWidget(
            self._group(
                f"Dòng bỏ qua ({len(skipped)}){_more(skipped)}",
                _table(("Dòng", "Vì sao", "Nội dung"), skipped),
            )
        )
        tables.addLayout(right, 3)
        tables.setStretch(0, 2)
        layout.addLayout(tables, 1)
        return page

    @staticmethod
    def _group(title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(4, 4, 4, 4)
        inner.addWidget(widget)
        return box

    def _unit_choice(self, sheet: SheetPlan, units: Sequence[tuple[str, str]]) -> QWidget:
        box = QGroupBox("Đơn vị cho trang này")
        row = QHBoxLayout(box)
        unplaced = sum(b.count for b in sheet.blocks if not b.unit)
        text = (
            f"{unplaced} người chưa rõ đơn vị. Chọn đơn vị có sẵn hoặc gõ tên đơn vị mới:"
            if unplaced
            else "Đơn vị đã chọn cho những người trang không ghi:"
        )
        label = QLabel(text)
        label.setWordWrap(True)
        row.addWidget(label, 1)
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItem("(chưa chọn)", NO_CHOICE)
        for code, name in units:
            combo.addItem(f"{name} ({code})", code)
        current = self.chosen.get(sheet.sheet, "")
        index = combo.findData(current) if current else 0
        if index >= 0:
            combo.setCurrentIndex(index)
        else:
            combo.setEditText(current)
        combo.setMinimumWidth(260)
        self.unit_boxes[sheet.sheet] = combo
        row.addWidget(combo)
        again = QPushButton("Đọc lại với đơn vị này")
        again.clicked.connect(self._replan)
        row.addWidget(again)
        return box

    def sheet_units(self) -> dict[str, str]:
        """Sheet name → the unit chosen (a code, or the name of a new unit)."""
        out: dict[str, str] = {}
        for sheet, combo in self.unit_boxes.items():
            text = combo.currentText().strip()
            data = combo.currentData()
            if combo.currentIndex() > 0 and text == combo.itemText(combo.currentIndex()):
                out[sheet] = str(data)
            elif text and text != combo.itemText(0):
                out[sheet] = text
        return out

    def _replan(self) -> None:
        self.replan_requested = True
        self.reject()

    def _remap(self) -> None:
        self.remap_requested = True
        self.reject()

    # -- changes and probable matches ----------------------------------------------

    def _changed_rows(self) -> list[ImportRow]:
        return [
            r
            for r in self.plan.kept  # updates and probable matches are never spilled
            if r.status in (RowStatus.UPDATE, RowStatus.CONFLICT) and r.changes
        ]

    def _changes_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        rows = self._changed_rows()
        conflicts = [r for r in rows if r.status is RowStatus.CONFLICT]
        if conflicts:
            note = QLabel(
                f"{len(conflicts)} dòng CÓ THỂ là người đã có (cùng họ tên, ngày sinh, đơn vị) "
                "nhưng không có mã dvdesk hay số CCCD để chắc chắn. Đánh dấu ô “Cùng người” "
                "cho những dòng đúng là người đó; dòng không đánh dấu sẽ không nhập."
            )
            note.setWordWrap(True)
            layout.addWidget(note)
            buttons = QHBoxLayout()
            yes = QPushButton("Đánh dấu tất cả")
            no = QPushButton("Bỏ đánh dấu tất cả")
            yes.clicked.connect(lambda: self._mark_all(True))
            no.clicked.connect(lambda: self._mark_all(False))
            buttons.addWidget(yes)
            buttons.addWidget(no)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        # Probable matches first: each needs an answer.
        ordered = conflicts + [r for r in rows if r.status is not RowStatus.CONFLICT]
        self.change_rows = ordered[:SHOWN_ROWS]
        if len(ordered) > SHOWN_ROWS:
            layout.addWidget(QLabel(f"Hiện {SHOWN_ROWS} trong {len(ordered)} dòng thay đổi."))
        cells = [
            (
                "",
                r.sheet,
                str(r.row),
                r.existing,
                MATCHED_BY.get(r.matched_by, r.matched_by),
                "; ".join(
                    f"{c.label}: {c.old or '(trống)'} → {c.new or '(trống)'}" for c in r.changes
                ),
            )
            for r in self.change_rows
        ]
        self.change_table = _table(
            ("Cùng người", "Trang", "Dòng", "Người đã có", "Khớp theo", "Thay đổi"), cells
        )
        for i, r in enumerate(self.change_rows):
            item = self._tick(i)
            if r.status is RowStatus.CONFLICT:
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Unchecked)
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setText("—")
        self.change_table.itemChanged.connect(lambda _item: self._recount())
        layout.addWidget(self.change_table, 1)
        return page

    def _tick(self, row: int) -> QTableWidgetItem:
        item = self.change_table.item(row, 0)
        assert item is not None
        return item

    def _mark_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.change_table.blockSignals(True)
        for i, r in enumerate(self.change_rows):
            if r.status is RowStatus.CONFLICT:
                self._tick(i).setCheckState(state)
        self.change_table.blockSignals(False)
        self._recount()

    def set_confirmed(self, row: ImportRow, on: bool) -> None:
        """Tick or untick "Cùng người" for one probable match (as a click does)."""
        i = self.change_rows.index(row)
        self._tick(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def confirmed(self) -> list[ImportRow]:
        """The probable matches the officer says are the same people."""
        return [
            r
            for i, r in enumerate(self.change_rows)
            if r.status is RowStatus.CONFLICT
            and self._tick(i).checkState() == Qt.CheckState.Checked
        ]

    def _recount(self) -> None:
        s = self.plan.summary()
        yes = len(self.confirmed()) if hasattr(self, "change_table") else 0
        update = s["update"] + yes
        waiting = s["conflict"] - yes
        self.counts.setText(
            f"<b>{s['rows']}</b> dòng dữ liệu — thêm mới <b>{s['new']}</b>, cập nhật "
            f"<b>{update}</b>, không đổi <b>{s['existing']}</b>, cần xác nhận "
            f"<b>{waiting}</b> (không đánh dấu thì không nhập), có lỗi <b>{s['invalid']}</b> "
            f"(bỏ qua). {len(self.plan.units_to_add)} đơn vị mới."
            + ("" if self.plan.erase_empty else " Ô để trống không xóa dữ liệu đã có.")
        )
        if self.apply_button_ready():
            assert self.apply_button is not None
            new = s["new"]
            self.apply_button.setText(f"Nhập ({new} người mới, cập nhật {update} người)")
            self.apply_button.setEnabled(bool(new or update))

    def apply_button_ready(self) -> bool:
        return getattr(self, "apply_button", None) is not None
