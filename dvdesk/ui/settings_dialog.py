"""Settings (cài đặt): the office, who signs, who receives, units and holidays."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.dates import DateError, fmt, parse_full_date
from dvdesk.domain.eligibility import RULE_SOURCE, RULE_TEXT
from dvdesk.domain.member import UNIT_KIND_LABELS, Unit, UnitKind
from dvdesk.errors import KnownError
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.settings import RECEIVING_LEVELS, Settings
from dvdesk.ui.dialogs import DialogService, placeholder_room, translate_buttons
from dvdesk.ui.help import add_help

METHOD_HELP = (
    f"<b>Cách tính tuổi theo tháng.</b> {RULE_TEXT} ({RULE_SOURCE}).<br>"
    "Văn bản không nêu công thức tính tháng. <b>A</b> (mặc định): tháng tròn, tính cả ngày — "
    "đủ 18 tuổi từ đúng ngày sinh nhật thứ 18. <b>B</b>: bỏ qua ngày — tính cả tháng sinh. "
    "Khi hai cách cho kết quả khác nhau, chương trình hiện cảnh báo “sát ngưỡng tuổi”. "
    "Nên hỏi Văn phòng Đảng ủy xã cách đang áp dụng."
)


def _saved_at_once(what: str) -> QLabel:
    """Units and holidays are written when their button is pressed, not by Lưu/Hủy."""
    label = QLabel(
        f"Thêm, đổi tên, xóa {what} được lưu ngay khi bấm nút, kể cả khi sau đó đóng bằng “Hủy”."
    )
    label.setWordWrap(True)
    return label


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """'U2' before 'U45' before 'U2000': runs of digits compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def _class_order(item: tuple[str, int]) -> tuple[object, ...]:
    """10A2 before 10A10: numbers in a class name compare as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", item[0].upper()))


class SettingsDialog(QDialog):
    def __init__(self, store: Store, dialogs: DialogService, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.dialogs = dialogs
        self.setWindowTitle("Cài đặt")
        self.setMinimumWidth(640)
        self.settings = store.settings.get()
        tabs = QTabWidget()
        tabs.addTab(self._office_tab(), "Đơn vị hành chính")
        tabs.addTab(self._rules_tab(), "Quy định và chỉ tiêu")
        tabs.addTab(self._units_tab(), "Chi đoàn / đơn vị")
        tabs.addTab(self._holidays_tab(), "Ngày nghỉ lễ")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(buttons)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.message = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        add_help(self, "settings")

    # -- tabs --------------------------------------------------------------

    def _office_tab(self) -> QWidget:
        s = self.settings
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label in (
            ("commune_name", "Tên xã/phường"),
            ("commune_code", "Mã đơn vị hành chính"),
            ("province", "Tỉnh/thành phố"),
            ("party_committee", "Đảng ủy (tiêu đề văn bản)"),
            ("youth_union", "Đoàn thanh niên (tiêu đề)"),
            ("party_secretary", "Người ký bên Đảng ủy"),
            ("party_secretary_title", "Chức vụ người ký (Đảng ủy)"),
            ("union_secretary", "Người ký bên Đoàn"),
            ("union_secretary_title", "Chức vụ người ký (Đoàn)"),
        ):
            edit = QLineEdit(str(getattr(s, key)))
            self.fields[key] = edit
            form.addRow(label, edit)
        self.receiving = QComboBox()
        self.receiving.setEditable(True)
        self.receiving.addItems(RECEIVING_LEVELS)
        self.receiving.setCurrentText(s.receiving_level)
        form.addRow("Cấp nhận dữ liệu", self.receiving)
        page = QWidget()
        page.setLayout(form)
        return page

    def _rules_tab(self) -> QWidget:
        s = self.settings
        form = QFormLayout()
        self.method = QComboBox()
        self.method.addItem("A — tháng tròn, tính cả ngày (mặc định)", "A")
        self.method.addItem("B — bỏ qua ngày, tính cả tháng sinh", "B")
        self.method.setCurrentIndex(self.method.findData(s.age_method))
        help_text = QLabel(METHOD_HELP)
        help_text.setWordWrap(True)
        self.consideration = QLineEdit(
            s.consideration_date and fmt(date.fromisoformat(s.consideration_date))
        )
        self.consideration.setPlaceholderText("để trống = hôm nay")
        self.party_members = QSpinBox()
        self.party_members.setRange(0, 100_000)
        self.party_members.setValue(s.party_members)
        self.target = QDoubleSpinBox()
        self.target.setRange(0, 100)
        self.target.setDecimals(1)
        self.target.setSuffix(" %")
        self.target.setValue(s.target_percent)
        month, day = s.school_year_end.split("-")
        self.year_end = QLineEdit(f"{day}/{month}")
        self.year_end.setPlaceholderText("ngày/tháng, ví dụ 31/05")
        form.addRow("Cách tính tháng", self.method)
        form.addRow(help_text)
        form.addRow("Ngày chi bộ dự kiến họp xét", self.consideration)
        form.addRow("Số đảng viên của đảng bộ", self.party_members)
        form.addRow("Chỉ tiêu kết nạp hằng năm", self.target)
        form.addRow("Ngày kết thúc năm học", self.year_end)
        page = QWidget()
        page.setLayout(form)
        return page

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter in the "add" rows adds what was typed instead of closing the dialog."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if focus in (self.unit_code, self.unit_name, self.unit_kind):
                self.add_unit()
                return
            if focus in (self.holiday_day, self.holiday_name):
                self.add_holiday()
                return
        super().keyPressEvent(event)

    def _units_tab(self) -> QWidget:
        self.units = QListWidget()
        # A long school name wraps rather than hide under the scrollbar.
        self.units.setWordWrap(True)
        self.units.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.units.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.units.currentRowChanged.connect(lambda _: self._show_classes())
        self.classes = QLabel()
        self.classes.setWordWrap(True)
        self._fill_units()
        self.unit_code = QLineEdit()
        self.unit_code.setPlaceholderText("mã, ví dụ KDC07")
        self.unit_name = QLineEdit()
        self.unit_name.setPlaceholderText("tên, ví dụ Thôn Yên Lạc")
        for edit in (self.unit_code, self.unit_name):
            placeholder_room(edit)
        self.unit_kind = QComboBox()
        for kind in UnitKind:
            self.unit_kind.addItem(UNIT_KIND_LABELS[kind], kind.value)
        add = QPushButton("Thêm đơn vị")
        add.clicked.connect(self.add_unit)
        row = QHBoxLayout()
        for w in (self.unit_code, self.unit_name, self.unit_kind, add):
            row.addWidget(w)
        rename = QPushButton("Đổi tên đơn vị đã chọn…")
        rename.clicked.connect(self.rename_unit)
        remove = QPushButton("Xóa đơn vị đã chọn")
        remove.clicked.connect(self.remove_unit)
        chosen = QHBoxLayout()
        chosen.addWidget(rename)
        chosen.addWidget(remove)
        chosen.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_saved_at_once("đơn vị"))
        layout.addWidget(self.units)
        layout.addLayout(chosen)
        layout.addWidget(self.classes)
        layout.addLayout(row)
        return page

    def _chosen_unit(self) -> Unit | None:
        row = self.units.currentRow()
        return self._unit_list[row] if 0 <= row < len(self._unit_list) else None

    def rename_unit(self) -> None:
        unit = self._chosen_unit()
        if unit is None:
            return
        name = self.dialogs.ask_text(
            "Đổi tên đơn vị", f"Tên mới của đơn vị {unit.code}:", unit.name
        )
        if name is None or name.strip() == unit.name:
            return
        try:
            self.store.units.rename(unit.code, name)
        except KnownError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Đã đổi tên đơn vị {unit.code} thành “{' '.join(name.split())}”.")
        self._fill_units(select=unit.code)

    def remove_unit(self) -> None:
        unit = self._chosen_unit()
        if unit is None or not self.dialogs.confirm(
            "Xóa đơn vị", f"Xóa đơn vị {unit.code} — {unit.name}?", default_no=True
        ):
            return
        try:
            self.store.units.remove(unit.code)
        except KnownError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Đã xóa đơn vị {unit.code} — {unit.name}.")
        self._fill_units()

    def _show_classes(self) -> None:
        """A school's classes (lớp) as the members' records give them, with head counts."""
        row = self.units.currentRow()
        units = self._unit_list
        if not 0 <= row < len(units) or units[row].kind is not UnitKind.SCHOOL:
            self.classes.setText("")
            return
        counts = Counter(
            (r.get("school_class") or "").strip() or "(chưa ghi lớp)"
            for r in self.store.members.list(MemberQuery(unit_code=units[row].code))
        )
        if not counts:
            self.classes.setText(f"{units[row].name}: chưa có học sinh nào.")
            return
        listed = ", ".join(f"{c} ({n})" for c, n in sorted(counts.items(), key=_class_order))
        self.classes.setText(f"Các lớp của {units[row].name}: {listed}")

    def _holidays_tab(self) -> QWidget:
        self.holidays = QListWidget()
        self._fill_holidays()
        self.holiday_day = QLineEdit()
        self.holiday_day.setPlaceholderText("dd/mm/yyyy")
        self.holiday_name = QLineEdit()
        self.holiday_name.setPlaceholderText("tên ngày nghỉ, ví dụ Tết Nguyên đán")
        placeholder_room(self.holiday_name)
        add = QPushButton("Thêm ngày nghỉ")
        add.clicked.connect(self.add_holiday)
        remove = QPushButton("Bỏ ngày đã chọn")
        remove.clicked.connect(self.remove_holiday)
        row = QHBoxLayout()
        for w in (self.holiday_day, self.holiday_name, add, remove):
            row.addWidget(w)
        note = QLabel(
            "Ngày làm việc = thứ Hai đến thứ Sáu, trừ các ngày nghỉ ở đây "
            "(dùng để tính hạn 30 ngày làm việc). Thêm, bỏ ngày nghỉ được lưu ngay "
            "khi bấm nút, kể cả khi sau đó đóng bằng “Hủy”."
        )
        note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addWidget(self.holidays)
        layout.addLayout(row)
        return page

    def _fill_units(self, select: str = "") -> None:
        self.units.clear()
        self._unit_list = sorted(self.store.units.all(), key=lambda u: natural_key(u.code))
        for u in self._unit_list:
            text = f"{u.code} — {u.name} ({UNIT_KIND_LABELS[u.kind]})"
            self.units.addItem(text)
            self.units.item(self.units.count() - 1).setToolTip(text)
        codes = [u.code for u in self._unit_list]
        if select in codes:
            self.units.setCurrentRow(codes.index(select))

    def _fill_holidays(self) -> None:
        self.holidays.clear()
        for row in self.store.holidays.rows():
            self.holidays.addItem(f"{fmt(date.fromisoformat(row['day']))} {row['name']}")

    # -- actions -----------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b7f3b"
        self.message.setText(f"<span style='color:{colour}'>{text}</span>")

    def add_unit(self) -> None:
        try:
            self.store.units.add(
                Unit(
                    self.unit_code.text(),
                    self.unit_name.text(),
                    UnitKind(self.unit_kind.currentData()),
                )
            )
        except KnownError as exc:
            self._say(str(exc), error=True)
            return
        self._say(f"Đã thêm đơn vị {self.unit_name.text().strip()}.")
        self.unit_code.clear()
        self.unit_name.clear()
        self._fill_units()

    def add_holiday(self) -> None:
        try:
            day = parse_full_date(self.holiday_day.text())
            self.store.holidays.set(day, self.holiday_name.text())
        except (DateError, KnownError) as exc:
            self._say(str(exc), error=True)
            return
        self.holiday_day.clear()
        self.holiday_name.clear()
        self._fill_holidays()

    def remove_holiday(self) -> None:
        item = self.holidays.currentItem()
        if item is None:
            return
        try:
            self.store.holidays.remove(parse_full_date(item.text().split(" ")[0]))
        except (DateError, KnownError) as exc:
            self._say(str(exc), error=True)
            return
        self._fill_holidays()

    def collected(self) -> Settings:
        """The settings as typed; raises ValueError/DateError with a Vietnamese message."""
        values = {k: " ".join(e.text().split()) for k, e in self.fields.items()}
        text = self.consideration.text().strip()
        consideration = parse_full_date(text).isoformat() if text else ""
        year_end = self.year_end.text().strip()
        try:
            day, month = (int(x) for x in year_end.replace("-", "/").replace(".", "/").split("/"))
            date(2001, month, day)
        except ValueError as exc:
            raise ValueError(
                f"Ngày kết thúc năm học “{year_end}” phải có dạng ngày/tháng, ví dụ 31/05."
            ) from exc
        return replace(
            self.settings,
            **values,  # type: ignore[arg-type]  # every field here is a str
            receiving_level=self.receiving.currentText().strip(),
            age_method=self.method.currentData(),
            consideration_date=consideration,
            party_members=self.party_members.value(),
            target_percent=self.target.value(),
            school_year_end=f"{month:02d}-{day:02d}",
        )

    def save(self) -> None:
        try:
            self.store.settings.save(self.collected())
        except (ValueError, KnownError) as exc:
            self._say(str(exc), error=True)
            return
        self.accept()
