"""One candidate's admission procedure (hồ sơ kết nạp): steps, flags, editing.

The panel shows the checklist the store builds (dvdesk/domain/checklist.py):
every step with its form code, state, date and document number, what is
missing next, and what is overdue or expiring before the planned meeting. A
step is recorded in the editor below the table; the change is audited.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.checklist import FLAG_KIND_LABELS, Checklist, FlagKind
from dvdesk.domain.dates import DateError, fmt, parse_full_date
from dvdesk.domain.procedure import STAGE_LABELS, STEP_STATE_LABELS, StepRecord, StepState
from dvdesk.errors import KnownError
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService

FLAG_COLOURS = {
    FlagKind.OVERDUE: "#b00020",
    FlagKind.EXPIRING: "#b35c00",
    FlagKind.WARNING: "#6b5900",
}
HEADERS = ("Bước (mẫu)", "Trạng thái", "Ngày", "Số văn bản", "Hạn / hiệu lực")


class ProcedurePanel(QWidget):
    """The procedure of the selected member.

    Signals:
        step_saved(str): uid of the member whose step was recorded.
    """

    step_saved = Signal(str)

    def __init__(self, store: Store, dialogs: DialogService, today: date) -> None:
        super().__init__()
        self.store = store
        self.dialogs = dialogs
        self.today = today
        self.uid: str | None = None
        self.meeting: date | None = None
        self.checklist: Checklist | None = None

        self.title = QLabel("Chọn một đoàn viên trong bảng để xem quy trình kết nạp.")
        self.title.setWordWrap(True)
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.flags.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda row, *_: self._load_step(row))

        self.state = QComboBox()
        for state in StepState:
            self.state.addItem(STEP_STATE_LABELS[state], state.value)
        self.done_on = QLineEdit()
        self.done_on.setPlaceholderText("ngày dd/mm/yyyy")
        self.done_on.setMaximumWidth(120)
        self.doc_number = QLineEdit()
        self.doc_number.setPlaceholderText("số văn bản, ví dụ 12-NQ/CB")
        self.save_button = QPushButton("Ghi bước này")
        self.save_button.clicked.connect(self.save_step)
        self.doc_number.returnPressed.connect(self.save_step)
        self.done_on.returnPressed.connect(self.save_step)
        editor = QGridLayout()
        editor.addWidget(QLabel("Trạng thái"), 0, 0)
        editor.addWidget(self.state, 0, 1)
        editor.addWidget(QLabel("Ngày"), 0, 2)
        editor.addWidget(self.done_on, 0, 3)
        editor.addWidget(QLabel("Số văn bản"), 1, 0)
        editor.addWidget(self.doc_number, 1, 1, 1, 2)
        editor.addWidget(self.save_button, 1, 3)
        self.editor_message = QLabel()

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.flags)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addWidget(self.editor_message)
        self._set_editing_enabled(False)

    def _set_editing_enabled(self, enabled: bool) -> None:
        for w in (self.state, self.done_on, self.doc_number, self.save_button):
            w.setEnabled(enabled)

    # -- showing -----------------------------------------------------------

    def show_member(self, uid: str | None, meeting: date | None) -> None:
        self.uid, self.meeting = uid, meeting
        self.refresh()

    def refresh(self) -> None:
        row = max(0, self.table.currentRow())
        if self.uid is None:
            self.checklist = None
            self.title.setText("Chọn một đoàn viên trong bảng để xem quy trình kết nạp.")
            self.flags.clear()
            self.table.setRowCount(0)
            self._set_editing_enabled(False)
            return
        member = self.store.members.get(self.uid)
        cl = self.store.steps.checklist(self.uid, self.meeting, self.today)
        self.checklist = cl
        next_step = f" · Việc tiếp theo: <b>{cl.next_step.title}</b>" if cl.next_step else ""
        self.title.setText(
            f"<b>{member.full_name}</b> — {STAGE_LABELS[cl.stage]}{next_step}<br>"
            f"Tuổi tại ngày xét {fmt(cl.reference)}: {cl.age.label}. {cl.age.reason}"
        )
        self.flags.setText(
            "<br>".join(
                f"<span style='color:{FLAG_COLOURS[f.kind]}'>● {FLAG_KIND_LABELS[f.kind]}: "
                f"{f.message}</span>"
                for f in cl.flags
            )
            or "<span style='color:#1b7f3b'>Không có việc quá hạn hay sắp hết hạn.</span>"
        )
        self.table.setRowCount(len(cl.lines))
        for i, line in enumerate(cl.lines):
            r = line.record
            when = line.due or line.valid_until
            label = ("Hạn " if line.due else "Đến ") + fmt(when) if when else ""
            step = line.step
            cells = (
                f"{step.title} ({step.form})" if step.form else step.title,
                STEP_STATE_LABELS[r.state],
                fmt(r.done_on),
                r.doc_number,
                label,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if line.flags:
                    worst = min(line.flags, key=lambda f: list(FlagKind).index(f.kind))
                    item.setForeground(QBrush(QColor(FLAG_COLOURS[worst.kind])))
                    item.setToolTip("\n".join(f"{f.message} ({f.rule.source})" for f in line.flags))
                elif line.missing:
                    item.setForeground(QBrush(QColor("#1f4e9c")))
                    item.setToolTip("Còn thiếu")
                elif r.state is StepState.NOT_APPLICABLE:
                    item.setForeground(QBrush(QColor("#888888")))
                if column == 0 and line.step.note:
                    item.setToolTip(line.step.note)
                self.table.setItem(i, column, item)
        self._set_editing_enabled(True)
        self.table.setCurrentCell(min(row, len(cl.lines) - 1), 0)
        self._load_step(self.table.currentRow())

    def _load_step(self, row: int) -> None:
        if self.checklist is None or not 0 <= row < len(self.checklist.lines):
            return
        r = self.checklist.lines[row].record
        self.state.setCurrentIndex(self.state.findData(r.state.value))
        self.done_on.setText(fmt(r.done_on))
        self.doc_number.setText(r.doc_number)
        self.editor_message.clear()

    # -- editing -----------------------------------------------------------

    def save_step(self) -> None:
        if self.checklist is None or self.uid is None:
            return
        line = self.checklist.lines[self.table.currentRow()]
        state = StepState(self.state.currentData())
        try:
            done = parse_full_date(self.done_on.text()) if self.done_on.text().strip() else None
        except DateError as exc:
            self._message(str(exc), error=True)
            return
        if state is StepState.DONE and done is None:
            done = self.today  # ticking a step without a date means "done today"
        if state is not StepState.DONE:
            done = None
        record = StepRecord(line.step.code, state, done, self.doc_number.text(), line.record.note)
        try:
            self.store.steps.record(self.uid, record, self.today)
        except KnownError as exc:
            self._message(str(exc), error=True)
            return
        self.refresh()
        self.step_saved.emit(self.uid)  # the window refreshes; say it after that
        self._message(f"Đã ghi: {line.step.title}.")

    def _message(self, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b7f3b"
        self.editor_message.setText(f"<span style='color:{colour}'>{text}</span>")
