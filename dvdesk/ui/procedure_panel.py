"""One candidate's admission procedure (hồ sơ kết nạp): steps, checks, dossier data.

The panel shows the checklist the store builds (dvdesk/domain/checklist.py)
for the steps that apply where the member's chi bộ stands: every step with its
form code, state, date and document number, then every finding, violations
(vi phạm) first, each with its rule's source, and a legend for every colour
and mark. A step is recorded in the editor below the table (with its vote,
for a resolution); the store checks it with the same function as the CLI and
refuses it, naming the rule and its source, when it breaks the order. The
second tab holds the dossier data: introducers, helping member, education,
Youth Union membership, where the chi bộ stands, documented exceptions.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.checklist import FLAG_KIND_LABELS, Checklist, FlagKind, StepLine
from dvdesk.domain.dates import DateError, fmt, parse_full_date
from dvdesk.domain.procedure import (
    STAGE_LABELS,
    STEP_STATE_LABELS,
    Stage,
    StepRecord,
    StepState,
)
from dvdesk.domain.procedure_dossier import (
    PARTY_STATUS_LABELS,
    DossierException,
    Introducer,
    PartyStatus,
    Vote,
)
from dvdesk.errors import KnownError
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService

FLAG_COLOURS = {
    FlagKind.VIOLATION: "#b00020",
    FlagKind.OVERDUE: "#d0440c",
    FlagKind.EXPIRING: "#b35c00",
    FlagKind.WARNING: "#6b5900",
}
MISSING_COLOUR = "#1f4e9c"
NOT_APPLICABLE_COLOUR = "#888888"
DONE_COLOUR = "#1b7f3b"
DOC_NUMBER_SHOWN = 11  # characters of a document number the steps table shows; the rest elided


def short_number(text: str, keep: int = DOC_NUMBER_SHOWN) -> str:
    """'1234567890-NQ/ĐUBC…/2026A' → its head and tail around '…' (the full text is a tooltip)."""
    if len(text) <= keep:
        return text
    half = (keep - 1) // 2
    return text[:half] + "…" + text[-(keep - 1 - half) :]


class WheelBlocker(QObject):
    """Swallows wheel events: scrolling the panel over a tab bar must not switch tabs."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() == QEvent.Type.Wheel


class WholeTable(QTableWidget):
    """A table as tall as its rows: it never scrolls itself, the panel's scroll area
    scrolls it with everything else (a scrollbar inside a scrollbar was confusing)."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Rows change height when the panel is resized (their text wraps): refit.
        self.verticalHeader().sectionResized.connect(lambda *_: self.updateGeometry())

    def _whole_height(self) -> int:
        header = self.horizontalHeader()
        head = header.height() if header.isVisible() else header.sizeHint().height()
        return head + self.verticalHeader().length() + 2 * self.frameWidth()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setHeight(self._whole_height())
        return hint

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        hint.setHeight(self._whole_height())
        return hint


# The date and the number of a step share a column (two lines): five columns left the
# step's name a narrow strip wrapped to six lines.
HEADERS = ("Bước (mẫu)", "Trạng thái", "Ngày · số", "Hạn")
HEADER_TIPS = ("", "", "Ngày làm và số văn bản", "Hạn phải làm, hoặc ngày giấy tờ hết hiệu lực")
INTRODUCER_ROWS = 2
UNION_CHOICES = (("Là đoàn viên", True), ("Không phải đoàn viên", False), ("Chưa rõ", None))

# What every colour and mark in the table and the list means.
LEGEND = (
    (
        FLAG_COLOURS[FlagKind.VIOLATION],
        "■ Vi phạm",
        "điều kiện kết nạp bị vi phạm, Đảng sẽ trả hồ sơ",
    ),
    (FLAG_COLOURS[FlagKind.OVERDUE], "■ Quá hạn", "đã quá hạn phải làm"),
    (
        FLAG_COLOURS[FlagKind.EXPIRING],
        "■ Sắp hết hạn",
        "sắp đến hạn, hoặc hết hạn trước ngày họp dự kiến",
    ),
    (FLAG_COLOURS[FlagKind.WARNING], "■ Lưu ý", "làm muộn, còn thiếu dữ liệu, cần kiểm tra"),
    (MISSING_COLOUR, "■ Còn thiếu", "bước chưa ghi mà lẽ ra phải có (hoặc việc tiếp theo)"),
    (NOT_APPLICABLE_COLOUR, "■ Không áp dụng", "bước không áp dụng với hồ sơ này"),
    (DONE_COLOUR, "✓ Đã xong", "bước đã ghi ngày, không có vấn đề"),
)


def legend_html() -> str:
    return " &nbsp; ".join(
        f"<span style='color:{colour}' title='{meaning}'><b>{mark}</b>: {meaning}</span>"
        for colour, mark, meaning in LEGEND
    )


def _date_or_none(text: str, what: str) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_full_date(text)
    except DateError as exc:
        raise KnownError(f"{what}: {exc}") from exc


class ProcedurePanel(QWidget):
    """The procedure of the selected member.

    Signals:
        step_saved(str): uid of the member whose step or dossier data was recorded.
        step_recorded(str, object, object): uid, the step's record before and after.
    """

    step_saved = Signal(str)
    step_recorded = Signal(str, object, object)

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
        self.version = QLabel()
        self.version.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.flags.setTextFormat(Qt.TextFormat.RichText)
        self.flags.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Many warnings must not push the steps below the fold at 728 px: at most about
        # five lines are shown, the rest scroll inside this area.
        self.flags_area = QScrollArea()
        self.flags_area.setWidgetResizable(True)
        self.flags_area.setFrameShape(QFrame.Shape.NoFrame)
        self.flags_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.flags_area.setWidget(self.flags)
        self.flags_area.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 6)
        self.flags_area.setVisible(False)
        self.legend = QLabel(legend_html())
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        self.tabs = QTabWidget()
        self._wheel_blocker = WheelBlocker(self)
        self.tabs.tabBar().installEventFilter(self._wheel_blocker)
        self.tabs.addTab(self._steps_tab(), "Các bước")
        self.tabs.addTab(self._dossier_tab(), "Giới thiệu, học vấn, ngoại lệ")

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.version)
        layout.addWidget(self.summary)
        layout.addWidget(self.flags_area)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.legend)
        self._set_editing_enabled(False)

    # -- building ----------------------------------------------------------

    def _steps_tab(self) -> QWidget:
        self.table = WholeTable(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        for column, tip in enumerate(HEADER_TIPS):
            title = self.table.horizontalHeaderItem(column)
            if tip and title is not None:
                title.setToolTip(tip)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        # The step column takes the spare width; long numbers are elided, never scrolled to.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # The other columns have fixed, narrow widths (their text wraps: "Hạn" above the
        # date), so the step's name gets the rest instead of wrapping to six lines.
        bold_titles = QFont(header.font())
        bold_titles.setBold(True)
        metrics, titles = self.fontMetrics(), QFontMetrics(bold_titles)
        date_width = metrics.horizontalAdvance("00/00/0000") + 14
        widths: tuple[int, ...] = (
            metrics.horizontalAdvance("Chưa làm —") + 14,
            max(date_width, metrics.horizontalAdvance("0" * DOC_NUMBER_SHOWN) + 14),
            date_width,
        )
        # A column is never narrower than its (bold) title.
        widths = tuple(
            max(w, titles.horizontalAdvance(HEADERS[c]) + 24) for c, w in enumerate(widths, 1)
        )
        for column, width in enumerate(widths, start=1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda row, *_: self._load_step(row))

        self.state = QComboBox()
        for state in StepState:
            self.state.addItem(STEP_STATE_LABELS[state], state.value)
        self.done_on = QLineEdit()
        self.done_on.setPlaceholderText("dd/mm/yyyy")
        self.done_on.setMinimumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.done_on.setMaximumWidth(self.fontMetrics().horizontalAdvance("00/00/00000") + 40)
        self.doc_number = QLineEdit()
        self.doc_number.setPlaceholderText("số văn bản, ví dụ 12-NQ/CB")
        self.save_button = QPushButton("Ghi bước này")
        self.save_button.clicked.connect(self.save_step)
        self.doc_number.returnPressed.connect(self.save_step)
        self.done_on.returnPressed.connect(self.save_step)
        # The vote of a resolution or decision (≥ 2/3, 06-HD/TW 3.6.b, 3.7.a).
        self.vote_label = QLabel("Biểu quyết")
        self.vote_present = self._count_box("có mặt")
        self.vote_for = self._count_box("tán thành")
        self.vote_total = self._count_box("tổng số")
        votes = QHBoxLayout()
        for w in (self.vote_for, self.vote_total, self.vote_present):
            votes.addWidget(w)
        editor = QGridLayout()
        editor.addWidget(QLabel("Trạng thái"), 0, 0)
        editor.addWidget(self.state, 0, 1)
        editor.addWidget(QLabel("Ngày"), 0, 2)
        editor.addWidget(self.done_on, 0, 3)
        editor.addWidget(QLabel("Số văn bản"), 1, 0)
        editor.addWidget(self.doc_number, 1, 1, 1, 2)
        editor.addWidget(self.save_button, 1, 3)
        editor.addWidget(self.vote_label, 2, 0)
        editor.addLayout(votes, 2, 1, 1, 3)
        self.editor_message = QLabel()
        self.editor_message.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.table, 1)
        layout.addLayout(editor)
        layout.addWidget(self.editor_message)
        return tab

    @staticmethod
    def _count_box(suffix: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(0, 9999)
        box.setSpecialValueText("—")  # 0 = not recorded
        box.setSuffix(f" {suffix}")
        return box

    def _dossier_tab(self) -> QWidget:
        self.introducers: list[tuple[QLineEdit, QComboBox, QLineEdit]] = []
        form = QFormLayout()
        for n in range(INTRODUCER_ROWS):
            name = QLineEdit()
            name.setPlaceholderText("họ và tên")
            status = QComboBox()
            for s in PartyStatus:
                status.addItem(PARTY_STATUS_LABELS[s], s.value)
            since = QLineEdit()
            since.setPlaceholderText("cùng sinh hoạt từ dd/mm/yyyy")
            row = QHBoxLayout()
            row.addWidget(name, 2)
            row.addWidget(status, 1)
            row.addWidget(since, 1)
            form.addRow(f"Người giới thiệu {n + 1}", row)
            self.introducers.append((name, status, since))
        self.route_hint = QLabel(
            "Đoàn viên trong độ tuổi thanh niên: nghị quyết 4-KNĐ của Đoàn và một đảng viên "
            "chính thức; trường hợp khác: hai đảng viên chính thức, cùng công tác/sinh hoạt "
            "ít nhất 12 tháng (294-QĐ/TW, 3.2)."
        )
        self.route_hint.setWordWrap(True)
        form.addRow("", self.route_hint)
        self.helper = QLineEdit()
        self.helper.setPlaceholderText("đảng viên được chi bộ phân công giúp đỡ")
        self.helper_since = QLineEdit()
        self.helper_since.setPlaceholderText("từ ngày dd/mm/yyyy")
        helper = QHBoxLayout()
        helper.addWidget(self.helper, 2)
        helper.addWidget(self.helper_since, 1)
        form.addRow("Đảng viên giúp đỡ", helper)
        self.education = QLineEdit()
        self.education.setPlaceholderText("ví dụ 12/12, 9/12, THPT, Đại học")
        form.addRow("Trình độ học vấn", self.education)
        self.union_member = QComboBox()
        for label, value in UNION_CHOICES:
            self.union_member.addItem(label, value)
        form.addRow("Đoàn viên", self.union_member)
        self.position = QComboBox()
        for code, label in self.store.dossier.definition.positions.items():
            self.position.addItem(label, code)
        form.addRow("Chi bộ của đơn vị", self.position)
        self.difficult_area = QCheckBox("Xã thuộc vùng khó khăn")
        self.difficult_area.setToolTip(
            "Vùng khó khăn: học vấn tối thiểu tốt nghiệp tiểu học (06-HD/TW, 1.2)"
        )
        form.addRow("Cài đặt của xã", self.difficult_area)
        self.save_dossier_button = QPushButton("Ghi hồ sơ")
        self.save_dossier_button.clicked.connect(self.save_dossier)
        form.addRow("", self.save_dossier_button)

        self.exception_rule = QComboBox()
        for rule in self.store.dossier.definition.rules.values():
            if rule.exception:
                self.exception_rule.addItem(f"{rule.text[:70]}… — {rule.exception}", rule.code)
        self.exception_note = QLineEdit()
        self.exception_note.setPlaceholderText("lý do")
        self.exception_document = QLineEdit()
        self.exception_document.setPlaceholderText("văn bản cho phép: số, ngày, cơ quan")
        self.exception_button = QPushButton("Ghi ngoại lệ")
        self.exception_button.clicked.connect(self.save_exception)
        form.addRow("Ngoại lệ có văn bản", self.exception_rule)
        form.addRow("", self.exception_note)
        form.addRow("", self.exception_document)
        form.addRow("", self.exception_button)
        self.exceptions = QLabel()
        self.exceptions.setWordWrap(True)
        form.addRow("", self.exceptions)
        self.dossier_message = QLabel()
        self.dossier_message.setWordWrap(True)
        form.addRow("", self.dossier_message)
        # Long choices (chi bộ positions, rules) must not widen the panel past a
        # 1366-pixel screen: the boxes show a short width, the list opens full.
        for box in (self.position, self.exception_rule, self.union_member):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(24)
            box.view().setTextElideMode(Qt.TextElideMode.ElideNone)
            box.currentTextChanged.connect(box.setToolTip)  # the whole name when cut
        tab = QWidget()
        tab.setLayout(form)
        return tab

    def _set_editing_enabled(self, enabled: bool) -> None:
        for w in (
            self.state,
            self.done_on,
            self.doc_number,
            self.save_button,
            self.save_dossier_button,
            self.exception_button,
        ):
            w.setEnabled(enabled)

    # -- showing -----------------------------------------------------------

    def show_member(self, uid: str | None, meeting: date | None) -> None:
        if uid != self.uid:
            self.table.setCurrentCell(-1, -1)  # another member starts at the first step
        self.uid, self.meeting = uid, meeting
        self.refresh()

    def refresh(self) -> None:
        row = max(0, self.table.currentRow())
        if self.uid is None:
            self.checklist = None
            self.title.setText("Chọn một đoàn viên trong bảng để xem quy trình kết nạp.")
            for label in (self.version, self.summary, self.flags):
                label.clear()
            self.flags_area.setVisible(False)
            self.table.setRowCount(0)
            self._set_editing_enabled(False)
            return
        member = self.store.members.get(self.uid)
        cl = self.store.dossier.checklist(self.uid, self.meeting, self.today)
        self.checklist = cl
        next_step = f" · Việc tiếp theo: <b>{cl.next_step.title}</b>" if cl.next_step else ""
        party = ""
        if cl.party_since:
            official = ""
            if cl.probation_end:
                what = "chính thức từ" if cl.stage is Stage.FULL else "hết 12 tháng dự bị ngày"
                official = f", {what} {fmt(cl.probation_end)}"
            party = f"<br>Tuổi đảng tính từ {fmt(cl.party_since)} (quyết định kết nạp){official}."
        self.title.setText(
            f"<b>{member.full_name}</b> — {STAGE_LABELS[cl.stage]}{next_step}<br>"
            f"Tuổi tại ngày xét {fmt(cl.reference)}: {cl.age.label}. {cl.age.reason}{party}"
        )
        checked = cl.dossier.checked_version
        # One short line; the sources and where the chi bộ stands are in the tooltip.
        self.version.setText(
            f"Kiểm tra theo {cl.definition.label}."
            + (f" Lần ghi trước kiểm tra theo phiên bản {checked}." if checked else "")
        )
        self.version.setToolTip(
            "Căn cứ: " + "; ".join(cl.definition.sources[1:3]) + f".\n{cl.position_label}."
        )
        self.summary.setText(self._summary(cl))
        self.flags.setText(
            "<br>".join(
                f"<span style='color:{FLAG_COLOURS[f.kind]}'>"
                f"{'<b>' if f.kind is FlagKind.VIOLATION else ''}● {FLAG_KIND_LABELS[f.kind]}: "
                f"{f.message}{'</b>' if f.kind is FlagKind.VIOLATION else ''} "
                f"<i>(Căn cứ: {f.rule.source})</i></span>"
                for f in cl.flags
            )
        )
        self.flags_area.setVisible(bool(cl.flags))
        self._fill_table(cl)
        self._fill_dossier(cl)
        self._set_editing_enabled(True)
        self.table.setCurrentCell(min(row, len(cl.lines) - 1), 0)
        self._load_step(self.table.currentRow())

    @staticmethod
    def _summary(cl: Checklist) -> str:
        parts = [
            f"<span style='color:{FLAG_COLOURS[k]}'>{len(cl.of_kind(k))} "
            f"{FLAG_KIND_LABELS[k].lower()}</span>"
            for k in FlagKind
            if cl.of_kind(k)
        ]
        gaps = [s.form or s.title for s in cl.missing if s is not cl.next_step]
        if gaps:
            parts.append(
                f"<span style='color:{MISSING_COLOUR}'>còn thiếu: {', '.join(gaps)}</span>"
            )
        if not parts:
            clean = "Không có vi phạm, việc quá hạn hay còn thiếu."
            return f"<span style='color:{DONE_COLOUR}'>{clean}</span>"
        head = "<b>Hồ sơ cần kiểm tra</b> — " if cl.violations else ""
        return head + " · ".join(parts)

    def _fill_table(self, cl: Checklist) -> None:
        # PERF: a ResizeToContents header re-measures the table on every setItem
        # (~220 ms for 105 cells); fill with fixed sizes, then measure once.
        _header, rows = self.table.horizontalHeader(), self.table.verticalHeader()
        self.table.setUpdatesEnabled(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fill_rows(cl)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setUpdatesEnabled(True)
        self.table.updateGeometry()  # as tall as its new rows

    def _fill_rows(self, cl: Checklist) -> None:
        self.table.setRowCount(len(cl.lines))
        bold = QFont()
        bold.setBold(True)
        for i, line in enumerate(cl.lines):
            r = line.record
            when = line.due or line.valid_until
            label = ("Hạn\n" if line.due else "Đến\n") + fmt(when) if when else ""
            mark = "✓ " if r.state is StepState.DONE and not line.flags else ""
            cells = (
                line.step.label,
                mark + STEP_STATE_LABELS[r.state] + (" — còn thiếu" if line.missing else ""),
                "\n".join(t for t in (fmt(r.done_on), short_number(r.doc_number)) if t),
                label,
            )
            colour, tip = self._line_colour(line)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if colour:
                    item.setForeground(QBrush(QColor(colour)))
                if line.worst is FlagKind.VIOLATION:
                    item.setFont(bold)
                if column == 0 and line.step.note:
                    item.setToolTip(f"{line.step.note}\n{tip}")
                elif column == 2 and r.doc_number:
                    item.setToolTip(f"{r.doc_number}\n{tip}".rstrip())
                else:
                    item.setToolTip(tip)
                self.table.setItem(i, column, item)

    @staticmethod
    def _line_colour(line: StepLine) -> tuple[str, str]:
        if line.worst is not None:
            tip = "\n".join(
                f"{FLAG_KIND_LABELS[f.kind]}: {f.message} ({f.rule.source})" for f in line.flags
            )
            return FLAG_COLOURS[line.worst], tip
        if line.missing:
            return MISSING_COLOUR, "Còn thiếu"
        if line.state is StepState.NOT_APPLICABLE:
            return NOT_APPLICABLE_COLOUR, "Không áp dụng"
        if line.state is StepState.DONE:
            return DONE_COLOUR, "Đã xong"
        return "", ""

    def _fill_dossier(self, cl: Checklist) -> None:
        d = cl.dossier
        for n, (name, status, since) in enumerate(self.introducers):
            person = d.introducers[n] if n < len(d.introducers) else None
            name.setText(person.name if person else "")
            status.setCurrentIndex(
                status.findData((person.status if person else PartyStatus.OFFICIAL).value)
            )
            since.setText(fmt(person.together_since) if person else "")
        self.helper.setText(d.helper)
        self.helper_since.setText(fmt(d.helper_since))
        self.education.setText(d.education)
        self.union_member.setCurrentIndex(
            next(i for i, (_, v) in enumerate(UNION_CHOICES) if v == d.union_member)
        )
        self.position.setCurrentIndex(self.position.findData(cl.position))
        self.difficult_area.setChecked(d.difficult_area)
        self.exceptions.setText(
            "\n".join(f"Đã ghi ngoại lệ {e.rule}: {e.note} — {e.document}" for e in d.exceptions)
        )

    def _load_step(self, row: int) -> None:
        if self.checklist is None or not 0 <= row < len(self.checklist.lines):
            return
        line = self.checklist.lines[row]
        r = line.record
        self.state.setCurrentIndex(self.state.findData(r.state.value))
        self.done_on.setText(fmt(r.done_on))
        self.doc_number.setText(r.doc_number)
        voted = bool(line.step.vote)
        vote = self.checklist.dossier.votes.get(line.step.code)
        for box in (self.vote_for, self.vote_total, self.vote_present):
            box.setVisible(voted)
        self.vote_label.setVisible(voted)
        self.vote_present.setVisible(line.step.vote == "branch")
        self.vote_for.setValue(vote.in_favour if vote else 0)
        self.vote_total.setValue(vote.total if vote else 0)
        self.vote_present.setValue(vote.present or 0 if vote else 0)
        self.vote_label.setText(
            "Biểu quyết (đảng viên chính thức)"
            if line.step.vote == "branch"
            else "Biểu quyết (cấp ủy viên)"
        )
        self.editor_message.clear()

    # -- editing -----------------------------------------------------------

    def _vote_of(self, line: StepLine) -> Vote | None:
        if not line.step.vote or not self.vote_total.value():
            return None
        present = self.vote_present.value() if line.step.vote == "branch" else 0
        return Vote(line.step.code, self.vote_for.value(), self.vote_total.value(), present or None)

    def save_step(self) -> None:
        if self.checklist is None or self.uid is None:
            return
        line = self.checklist.lines[self.table.currentRow()]
        state = StepState(self.state.currentData())
        try:
            done = _date_or_none(self.done_on.text(), "Ngày")
        except KnownError as exc:
            self._message(self.editor_message, str(exc), error=True)
            return
        if state is StepState.DONE and done is None:
            done = self.today  # ticking a step without a date means "done today"
        if state is not StepState.DONE:
            done = None
        record = StepRecord(line.step.code, state, done, self.doc_number.text(), line.record.note)
        vote = self._vote_of(line)
        try:
            with self.store.transaction():
                self.store.steps.record(self.uid, record, self.today)
                if vote is not None or line.step.code in self.checklist.dossier.votes:
                    self.store.dossier.set_vote(self.uid, line.step.code, vote)
        except KnownError as exc:
            self._message(self.editor_message, str(exc), error=True)
            return
        self.refresh()
        self.step_recorded.emit(self.uid, line.record, record)
        self.step_saved.emit(self.uid)  # the window refreshes; say it after that
        self._message(self.editor_message, f"Đã ghi: {line.step.title}.")

    def _introducers_entered(self) -> list[Introducer]:
        people = []
        for n, (name, status, since) in enumerate(self.introducers, 1):
            if not name.text().strip():
                continue
            people.append(
                Introducer(
                    name.text(),
                    PartyStatus(status.currentData()),
                    _date_or_none(since.text(), f"Người giới thiệu {n}: cùng sinh hoạt từ"),
                )
            )
        return people

    def save_dossier(self) -> None:
        if self.uid is None or self.checklist is None:
            return
        repo = self.store.dossier
        try:
            people = self._introducers_entered()
            since = _date_or_none(self.helper_since.text(), "Đảng viên giúp đỡ: từ ngày")
            with self.store.transaction():
                # Keep what the window does not show (the introduction's own date, notes).
                old = self.checklist.dossier.introducers
                kept = [
                    Introducer(p.name, p.status, p.together_since, o.introduced_on, o.note)
                    if n < len(old) and (o := old[n]).name == p.name.strip()
                    else p
                    for n, p in enumerate(people)
                ]
                if kept != list(old):
                    repo.set_introducers(self.uid, kept)
                repo.set_details(
                    self.uid,
                    education=self.education.text(),
                    union_member=self.union_member.currentData(),
                    helper=self.helper.text(),
                    helper_since=since,
                )
                if self.difficult_area.isChecked() != self.checklist.dossier.difficult_area:
                    repo.set_difficult_area(self.difficult_area.isChecked())
                position = self.position.currentData()
                if position != self.checklist.position:
                    unit = self.store.members.get(self.uid).unit_code
                    repo.set_unit_position(unit, position)
        except KnownError as exc:
            self._message(self.dossier_message, str(exc), error=True)
            return
        self.refresh()
        self.step_saved.emit(self.uid)
        self._message(self.dossier_message, "Đã ghi hồ sơ.")

    def save_exception(self) -> None:
        if self.uid is None or self.checklist is None:
            return
        exception = DossierException(
            self.exception_rule.currentData(),
            self.exception_note.text(),
            self.exception_document.text(),
        )
        try:
            self.store.dossier.add_exception(self.uid, exception)
        except KnownError as exc:
            self._message(self.dossier_message, str(exc), error=True)
            return
        self.exception_note.clear()
        self.exception_document.clear()
        self.refresh()
        self.step_saved.emit(self.uid)
        self._message(self.dossier_message, "Đã ghi ngoại lệ.")

    @staticmethod
    def _message(label: QLabel, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else DONE_COLOUR
        body = html.escape(text).replace("\n", "<br>")
        label.setText(f"<span style='color:{colour}'>{body}</span>")
