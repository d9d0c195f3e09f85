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
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
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

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import DateError, PartialDate, parse_date
from dvdesk.domain.fields import FieldType, MemberField
from dvdesk.domain.member import Member
from dvdesk.domain.validation import Report, Severity
from dvdesk.errors import KnownError, ValidationFailed
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService, placeholder_room, translate_buttons
from dvdesk.ui.help import add_help


class DateField(QLineEdit):
    """A date typed as text; `value()` raises DateError for unreadable text."""

    def __init__(self, placeholder: str = "dd/mm/yyyy") -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        # Wide enough for the whole hint ("dd/mm/yyyy, mm/yyyy hoặc năm"), never less than a date.
        self.setMaximumWidth(max(130, placeholder_room(self)))

    def value(self) -> PartialDate | None:
        return parse_date(self.text())

    def set_value(self, value: PartialDate | date | None) -> None:
        if isinstance(value, date):
            value = PartialDate.of(value)
        self.setText(value.vi() if value else "")


# Widget attribute names that differ from the field names (tests and callers use them).
_ATTRIBUTES = {
    "full_name": "name",
    "unit_code": "unit",
    "union_officer": "officer",
    "union_extended": "extended",
}


def _set(f: MemberField, widget: QWidget, value: Any) -> None:
    """Show a value in a field's widget (the field's default clears it)."""
    if isinstance(widget, DateField):
        widget.set_value(value)
    elif isinstance(widget, QComboBox):
        if f.type is FieldType.UNIT:
            widget.setCurrentIndex(widget.findData(value) if value else -1)
        else:
            data = getattr(value, "value", value)
            widget.setCurrentIndex(max(0, widget.findData(data)) if data else 0)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value or "")
    elif isinstance(widget, QLineEdit):
        widget.setText("" if value is None else str(value))


class MemberForm(QDialog):
    """Add or edit one member.

    Signals:
        member_saved(str): the uid of the member just saved.
        saved(object, object, object): before (None for an add), after, the `Changes`.
    """

    member_saved = Signal(str)
    saved = Signal(object, object, object)
    # Inputs made from the field registry (domain/fields.py), by the names callers use.
    name: QLineEdit
    dob: DateField
    gender: QComboBox
    unit: QComboBox
    cccd: QLineEdit
    school_class: QLineEdit
    school_year: QLineEdit
    phone: QLineEdit
    notes: QPlainTextEdit

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
        self._clean = self._snapshot()
        add_help(self, "form")
        self.name.setFocus()

    # -- layout ------------------------------------------------------------

    def _widget(self, f: MemberField) -> QWidget:
        """The input for a field, chosen by its type (domain/fields.py)."""
        widget: QWidget
        if f.type is FieldType.UNIT:
            unit = QComboBox()
            unit.setEditable(True)
            unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for u in self.store.units.all():
                unit.addItem(f"{u.name} ({u.code})", u.code)
            unit.setCurrentIndex(-1)
            completer = QCompleter(unit.model(), unit)
            # Typing any part of a unit's name finds it ("đông" → "Thôn Đông (KDC01)").
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            unit.setCompleter(completer)
            return unit
        if f.type in (FieldType.DATE, FieldType.PARTIAL_DATE):
            return DateField(f.placeholder or "dd/mm/yyyy")
        if f.type is FieldType.ENUM:
            combo = QComboBox()
            if not f.default:
                combo.addItem("(chưa rõ)", None)  # blank is a choice, and says so
            for value, label in f.choices():
                combo.addItem(label, value)
            return combo
        if f.type is FieldType.FLAG:
            return QCheckBox(f.label)
        if f.multiline:
            notes = QPlainTextEdit()
            notes.setTabChangesFocus(True)
            notes.setMaximumHeight(60)
            return notes
        widget = QLineEdit(f.default or "")
        widget.setPlaceholderText(f.placeholder)
        if f.placeholder:
            placeholder_room(widget)
        if f.max_length:
            widget.setMaxLength(f.max_length)
        return widget

    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        rows: dict[str, QHBoxLayout] = {}
        for f in registry.form_fields():
            widget = self._widget(f)
            self.fields[f.name] = widget
            setattr(self, _ATTRIBUTES.get(f.name, f.name), widget)
            if not f.form_row:
                form.addRow(f"{f.label} *" if f.required else f.label, widget)
                continue
            # Fields sharing a row: "Học sinh: Lớp … Niên khóa … Năm tốt nghiệp …".
            if f.form_row not in rows:
                rows[f.form_row] = QHBoxLayout()
                form.addRow("" if f.form_row == "-" else f.form_row, rows[f.form_row])
            if not isinstance(widget, QCheckBox):
                rows[f.form_row].addWidget(QLabel(f.short or f.label))
            rows[f.form_row].addWidget(widget)

        self.messages = QLabel()
        self.messages.setWordWrap(True)
        self.messages.setTextFormat(Qt.TextFormat.RichText)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        translate_buttons(self.buttons)
        self.save_next = QPushButton("Lưu và thêm tiếp (Ctrl+Enter)")
        self.save_next.setShortcut(QKeySequence("Ctrl+Return"))
        self.save_next.setToolTip("Lưu người này rồi nhập người tiếp theo cùng đơn vị, niên khóa")
        self.buttons.addButton(self.save_next, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_next.setVisible(self.editing is None)  # after addButton, which shows it
        # Enter anywhere in the form means "Lưu": only Save may be the default button.
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):
                button.setAutoDefault(button is self.save_button)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_next.clicked.connect(self.save_and_next)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.messages)
        layout.addWidget(self.buttons)

    def _snapshot(self) -> tuple[object, ...]:
        """Everything typed or chosen, to tell whether the form has unsaved changes."""
        texts = tuple(w.text() for w in self.findChildren(QLineEdit))
        choices = tuple(w.currentIndex() for w in self.findChildren(QComboBox))
        checks = tuple(w.isChecked() for w in self.findChildren(QCheckBox))
        return (texts, choices, checks, self.notes.toPlainText())

    def is_dirty(self) -> bool:
        return self._snapshot() != self._clean

    def reject(self) -> None:
        """Esc, Hủy or the close box: ask before throwing away what was typed."""
        if self.is_dirty() and not self.dialogs.confirm(
            "Bỏ thay đổi?",
            "Phiếu có thông tin chưa lưu. Đóng phiếu và bỏ các thay đổi này?",
            default_no=True,
        ):
            return
        super().reject()

    def _load(self, m: Member) -> None:
        for f in registry.form_fields():
            _set(f, self.fields[f.name], getattr(m, f.name, f.default))

    # -- reading the form --------------------------------------------------

    def _unit_code(self) -> str:
        index = self.unit.currentIndex()
        text = self.unit.currentText().strip()
        if index >= 0 and self.unit.itemText(index) == text:
            return str(self.unit.itemData(index))
        match = self.unit.findText(text, Qt.MatchFlag.MatchContains)
        return str(self.unit.itemData(match)) if match >= 0 and text else ""

    def _read(self, f: MemberField) -> Any:
        """One field as typed; raises DateError (with the field's label) for unreadable text."""
        widget = self.fields[f.name]
        if f.type is FieldType.UNIT:
            return self._unit_code()
        if isinstance(widget, DateField):
            try:
                value = widget.value()
            except DateError as exc:
                raise DateError(f"{f.label}: {exc}") from exc
            if f.type is FieldType.DATE and value is not None:
                if not value.is_full:
                    raise DateError(f"{f.label}: cần ngày đầy đủ dd/mm/yyyy.")
                return value.as_date()
            return value
        if isinstance(widget, QComboBox):
            return f.parse_enum(widget.currentData())
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        assert isinstance(widget, QLineEdit)
        text = widget.text()
        if f.type is FieldType.NUMBER:
            text = text.strip()
            low, high = f.minimum, f.maximum
            if text and not (
                text.isdigit()
                and (low is None or int(text) >= low)
                and (high is None or int(text) <= high)
            ):
                raise DateError(f"{f.label} “{text}” không hợp lệ.")
            return int(text) if text else None
        return text

    def typing_problems(self) -> list[tuple[str, str]]:
        """(field, message) for every date or number typed that cannot be read."""
        problems: list[tuple[str, str]] = []
        for f in registry.form_fields():
            try:
                self._read(f)
            except DateError as exc:
                problems.append((f.name, str(exc)))
        return problems

    def member(self, skip_unreadable: bool = False) -> Member:
        """The member as typed; raises DateError for an unreadable date or number (or, with
        `skip_unreadable`, leaves such a field at its default so the rest can be checked)."""
        values: dict[str, Any] = {}
        for f in registry.form_fields():
            try:
                values[f.name] = self._read(f)
            except DateError:
                if not skip_unreadable:
                    raise
                values[f.name] = f.default
        base = self.editing or Member(full_name="", unit_code="")
        return replace(base, **registry.member_values(values)).normalized()

    def field_widget(self, field: str) -> QWidget | None:
        """The input of a registry field (domain/fields.py), for moving the cursor to it."""
        return self.fields.get(field)

    def show_report(
        self, report: Report, extra: str = "", problems: list[tuple[str, str]] | None = None
    ) -> None:
        """Every problem at once; the cursor goes to the first field with an error."""
        problems = list(problems or [])
        lines = [f"<span style='color:#b00020'>✖ {extra}</span>"] if extra else []
        lines += [f"<span style='color:#b00020'>✖ {text}</span>" for _, text in problems]
        errors = [f for f, _ in problems]
        errors += [i.field for i in report.issues if i.severity is Severity.ERROR]
        for field in errors:
            widget = self.field_widget(field)
            if widget is not None:
                widget.setFocus()
                break
        for i in report.issues:
            colour, mark = ("#b00020", "✖") if i.severity is Severity.ERROR else ("#8a5a00", "⚠")
            lines.append(f"<span style='color:{colour}'>{mark} {i.message}</span>")
        self.messages.setText("<br>".join(lines))

    # -- saving ------------------------------------------------------------

    def _save(self) -> str | None:
        """Validate and write; returns the uid, or None when it was not saved."""
        problems = self.typing_problems()
        member = self.member(skip_unreadable=True)
        report = self.store.members.validate(member, self.today)
        self.show_report(report, problems=problems)
        if problems or not report.is_valid:
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
                saved = self.store.members.add(member, self.today)
            else:
                saved = self.store.members.update(member, self.today)
        except ValidationFailed as exc:
            self.show_report(exc.report)
            return None
        except KnownError as exc:
            self.dialogs.error("Không lưu được", str(exc))
            return None
        before, self.editing = self.editing, member if self.editing is not None else None
        self._clean = self._snapshot()
        self.saved.emit(before, member, saved.changes)
        self.member_saved.emit(member.uid)
        return member.uid

    def save(self) -> None:
        if self._save():
            self.accept()

    def save_and_next(self) -> None:
        """Save, then clear for the next person, keeping unit and school year."""
        if not self._save():
            return
        saved = self.name.text()
        for f in registry.form_fields():
            if not f.sticky:
                _set(f, self.fields[f.name], f.default)
        self._confirmed_duplicate = False
        self._clean = self._snapshot()
        self.messages.setText(f"<span style='color:#1b7f3b'>✔ Đã lưu {saved}.</span>")
        self.name.setFocus()
