"""The add/edit member form (phiếu đoàn viên), made for fast keyboard entry.

Tab goes down the fields in reading order; Enter saves; Esc cancels; "Lưu
và thêm tiếp" saves and clears the form but keeps the unit and school year.
Dates are typed as dd/mm/yyyy (also ddmmyyyy, d/m/yy, mm/yyyy or a year).
Validation is the same `validate_member` the store runs; errors block the
save and are shown beside the form, warnings are shown and allowed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.dates import DateError, PartialDate, parse_date
from dvdesk.domain.member import (
    GENDER_LABELS,
    PRESENCE_LABELS,
    Gender,
    Member,
    Presence,
)
from dvdesk.domain.validation import Report, Severity
from dvdesk.errors import KnownError, ValidationFailed
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService, translate_buttons


class DateField(QLineEdit):
    """A date typed as text; `value()` raises DateError for unreadable text."""

    def __init__(self, placeholder: str = "dd/mm/yyyy") -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setMaximumWidth(130)

    def value(self) -> PartialDate | None:
        return parse_date(self.text())

    def set_value(self, value: PartialDate | date | None) -> None:
        if isinstance(value, date):
            value = PartialDate.of(value)
        self.setText(value.vi() if value else "")


class MemberForm(QDialog):
    """Add or edit one member.

    Signals:
        member_saved(str): the uid of the member just saved.
    """

    member_saved = Signal(str)

    def __init__(
        self,
        store: Store,
        dialogs: DialogService,
        member: Member | None = None,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.dialogs = dialogs
        self.today = today or date.today()
        self.editing = member
        self._confirmed_duplicate = False
        self.setWindowTitle("Sửa thông tin đoàn viên" if member else "Thêm đoàn viên")
        self.setMinimumWidth(560)
        self._build()
        if member:
            self._load(member)
        self.name.setFocus()

    # -- layout ------------------------------------------------------------

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Nguyễn Văn An")
        self.dob = DateField("dd/mm/yyyy, mm/yyyy hoặc năm")
        self.gender = QComboBox()
        self.gender.addItem("", None)
        for g in Gender:
            self.gender.addItem(GENDER_LABELS[g], g.value)
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for u in self.store.units.all():
            self.unit.addItem(f"{u.name} ({u.code})", u.code)
        self.unit.setCurrentIndex(-1)
        completer = QCompleter(self.unit.model(), self.unit)
        # Typing any part of a unit's name finds it ("đông" → "Thôn Đông (KDC01)").
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.unit.setCompleter(completer)
        self.cccd = QLineEdit()
        self.cccd.setPlaceholderText("12 chữ số")
        self.cccd.setMaxLength(14)
        self.school_class = QLineEdit()
        self.school_year = QLineEdit()
        self.school_year.setPlaceholderText("2026-2027")
        self.graduation_year = QLineEdit()
        self.graduation_year.setPlaceholderText("năm tốt nghiệp THPT")
        self.union_joined = DateField()
        self.presence = QComboBox()
        for p in Presence:
            self.presence.addItem(PRESENCE_LABELS[p], p.value)
        self.phone = QLineEdit()
        self.ethnicity = QLineEdit("Kinh")
        self.religion = QLineEdit("Không")
        self.hometown = QLineEdit()
        self.address = QLineEdit()
        self.officer = QCheckBox("Cán bộ Đoàn")
        self.extended = QCheckBox("Được kéo dài sinh hoạt Đoàn (đến 35 tuổi)")
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(60)

        school = QHBoxLayout()
        for label, widget in (
            ("Lớp", self.school_class),
            ("Niên khóa", self.school_year),
            ("Tốt nghiệp", self.graduation_year),
        ):
            school.addWidget(QLabel(label))
            school.addWidget(widget)
        flags = QHBoxLayout()
        flags.addWidget(self.officer)
        flags.addWidget(self.extended)

        form.addRow("Họ và tên *", self.name)
        form.addRow("Ngày sinh", self.dob)
        form.addRow("Giới tính", self.gender)
        form.addRow("Chi đoàn / đơn vị *", self.unit)
        form.addRow("Số CCCD / định danh", self.cccd)
        form.addRow("Học sinh", school)
        form.addRow("Ngày vào Đoàn", self.union_joined)
        form.addRow("Tình trạng", self.presence)
        form.addRow("Điện thoại", self.phone)
        form.addRow("Dân tộc", self.ethnicity)
        form.addRow("Tôn giáo", self.religion)
        form.addRow("Quê quán", self.hometown)
        form.addRow("Nơi ở hiện nay", self.address)
        form.addRow("", flags)
        form.addRow("Ghi chú", self.notes)

        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setTextFormat(Qt.TextFormat.RichText)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(self.buttons)
        self.save_next = QPushButton("Lưu và thêm tiếp")
        self.buttons.addButton(self.save_next, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_next.setVisible(self.editing is None)  # after addButton, which shows it
        # Enter anywhere in the form means "Lưu": only Save may be the default button.
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        for button in self.buttons.buttons():
            button.setAutoDefault(button is self.save_button)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_next.clicked.connect(self.save_and_next)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.messages)
        layout.addWidget(self.buttons)

    def _load(self, m: Member) -> None:
        self.name.setText(m.full_name)
        self.dob.set_value(m.dob)
        self.gender.setCurrentIndex(self.gender.findData(m.gender.value if m.gender else None))
        self.unit.setCurrentIndex(self.unit.findData(m.unit_code))
        self.cccd.setText(m.cccd)
        self.school_class.setText(m.school_class)
        self.school_year.setText(m.school_year)
        self.graduation_year.setText(str(m.graduation_year or ""))
        self.union_joined.set_value(m.union_joined)
        self.presence.setCurrentIndex(self.presence.findData(m.presence.value))
        self.phone.setText(m.phone)
        self.ethnicity.setText(m.ethnicity)
        self.religion.setText(m.religion)
        self.hometown.setText(m.hometown)
        self.address.setText(m.address)
        self.officer.setChecked(m.union_officer)
        self.extended.setChecked(m.union_extended)
        self.notes.setPlainText(m.notes)

    # -- reading the form --------------------------------------------------

    def _unit_code(self) -> str:
        index = self.unit.currentIndex()
        text = self.unit.currentText().strip()
        if index >= 0 and self.unit.itemText(index) == text:
            return str(self.unit.itemData(index))
        match = self.unit.findText(text, Qt.MatchFlag.MatchContains)
        return str(self.unit.itemData(match)) if match >= 0 and text else ""

    def member(self) -> Member:
        """The member as typed; raises DateError for an unreadable date."""
        try:
            dob = self.dob.value()
        except DateError as exc:
            raise DateError(f"Ngày sinh: {exc}") from exc
        try:
            joined = self.union_joined.value()
        except DateError as exc:
            raise DateError(f"Ngày vào Đoàn: {exc}") from exc
        if joined is not None and not joined.is_full:
            raise DateError("Ngày vào Đoàn: cần ngày đầy đủ dd/mm/yyyy.")
        grad = self.graduation_year.text().strip()
        if grad and not (grad.isdigit() and 1950 <= int(grad) <= 2100):
            raise DateError(f"Năm tốt nghiệp “{grad}” không hợp lệ.")
        base = self.editing or Member(full_name="", unit_code="")
        return replace(
            base,
            full_name=self.name.text(),
            unit_code=self._unit_code(),
            dob=dob,
            gender=Gender(self.gender.currentData()) if self.gender.currentData() else None,
            cccd=self.cccd.text(),
            school_class=self.school_class.text(),
            school_year=self.school_year.text(),
            graduation_year=int(grad) if grad else None,
            union_joined=joined.as_date() if joined else None,
            presence=Presence(self.presence.currentData()),
            phone=self.phone.text(),
            ethnicity=self.ethnicity.text(),
            religion=self.religion.text(),
            hometown=self.hometown.text(),
            address=self.address.text(),
            union_officer=self.officer.isChecked(),
            union_extended=self.extended.isChecked(),
            notes=self.notes.toPlainText(),
        ).normalized()

    def show_report(self, report: Report, extra: str = "") -> None:
        lines = [f"<span style='color:#b00020'>✖ {extra}</span>"] if extra else []
        for i in report.issues:
            colour, mark = ("#b00020", "✖") if i.severity is Severity.ERROR else ("#8a5a00", "⚠")
            lines.append(f"<span style='color:{colour}'>{mark} {i.message}</span>")
        self.messages.setText("<br>".join(lines))

    # -- saving ------------------------------------------------------------

    def _save(self) -> str | None:
        """Validate and write; returns the uid, or None when it was not saved."""
        try:
            member = self.member()
        except DateError as exc:
            self.show_report(Report(), str(exc))
            return None
        report = self.store.members.validate(member, self.today)
        self.show_report(report)
        if not report.is_valid:
            return None
        if self.editing is None and not self._confirmed_duplicate:
            same = self.store.members.probable_duplicates(member)
            if same and not self.dialogs.confirm(
                "Có thể trùng",
                f"Đã có {', '.join(same[:3])} cùng ngày sinh {member.dob}. Vẫn lưu người này?",
            ):
                return None
            self._confirmed_duplicate = bool(same)
        try:
            if self.editing is None:
                self.store.members.add(member, self.today)
            else:
                self.store.members.update(member, self.today)
        except ValidationFailed as exc:
            self.show_report(exc.report)  # type: ignore[arg-type]
            return None
        except KnownError as exc:
            self.dialogs.error("Không lưu được", str(exc))
            return None
        self.member_saved.emit(member.uid)
        return member.uid

    def save(self) -> None:
        if self._save():
            self.accept()

    def save_and_next(self) -> None:
        """Save, then clear for the next person, keeping unit and school year."""
        if not self._save():
            return
        keep_unit, keep_year = self.unit.currentIndex(), self.school_year.text()
        saved = self.name.text()
        for field in (
            self.name,
            self.cccd,
            self.school_class,
            self.graduation_year,
            self.phone,
            self.hometown,
            self.address,
            self.dob,
            self.union_joined,
        ):
            field.clear()
        self.notes.clear()
        self.gender.setCurrentIndex(0)
        self.presence.setCurrentIndex(0)
        self.officer.setChecked(False)
        self.extended.setChecked(False)
        self.unit.setCurrentIndex(keep_unit)
        self.school_year.setText(keep_year)
        self._confirmed_duplicate = False
        self.messages.setText(f"<span style='color:#1b7f3b'>✔ Đã lưu {saved}.</span>")
        self.name.setFocus()
