"""One member-field registry: adding a field is one entry plus a migration.

A scratch registry with one extra field (monkeypatched in, its column added
the way a migration would) must show the field in the member form, the
package's members.csv, the data dictionary, the XLSX and CSV lists and the
import's header recognition, without touching any of those modules.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.fields import FieldType, MemberField
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.exchange.csv_export import export_csv
from dvdesk.exchange.dictionary import column_names, dictionary_rows
from dvdesk.exchange.headers import field_of, find_header
from dvdesk.exchange.package import write_package
from dvdesk.exchange.records import member_to_row
from dvdesk.exchange.xlsx_export import export_xlsx
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)
EXTRA = MemberField(
    "nickname",
    "Tên gọi khác",
    FieldType.TEXT,
    default="",
    header="Tên gọi khác (bí danh)",
    synonyms=("Bí danh",),
    since="1.1",
)


@pytest.fixture
def scratch_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    fields = (*registry.MEMBER_FIELDS[:3], EXTRA, *registry.MEMBER_FIELDS[3:])
    monkeypatch.setattr(registry, "MEMBER_FIELDS", fields)
    monkeypatch.setattr(registry, "BY_NAME", {f.name: f for f in fields})


@pytest.fixture
def store(tmp_path: Path, scratch_registry: None):
    path = tmp_path / "xa.dvdesk"
    Store.open(path).close()
    with sqlite3.connect(path) as db:  # the field's migration
        db.execute("ALTER TABLE members ADD COLUMN nickname TEXT NOT NULL DEFAULT ''")
    s = Store.open(path)
    settings = s.settings.get()
    settings.commune_code, settings.commune_name = "12345", "Xã Thử"
    s.settings.save(settings)
    s.units.add(Unit("KDC01", "Thôn Đông", UnitKind.RESIDENTIAL))
    s.members.add(Member("Nguyễn Văn An", "KDC01", PartialDate(2005, 3, 25)), TODAY)
    yield s
    s.close()


def test_the_extra_field_is_in_the_package_and_dictionary(store: Store, tmp_path: Path):
    assert "nickname" in column_names("members.csv")
    assert "nickname" in member_to_row(Member("A", "KDC01"))
    described = {(r["file"], r["name"]): r["label"] for r in dictionary_rows()}
    assert described[("members.csv", "nickname")] == "Tên gọi khác"
    out = tmp_path / "goi.zip"
    write_package(store, out, None)
    with zipfile.ZipFile(out) as z:
        members = z.read("members.csv").decode("utf-8-sig")
        dictionary = z.read("data_dictionary.csv").decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(members)))
    assert header.index("nickname") == header.index("gender") + 1  # registry order
    assert "Tên gọi khác" in dictionary


def test_the_extra_field_is_a_column_of_the_xlsx_and_csv_lists(store: Store, tmp_path: Path):
    export_xlsx(store, tmp_path / "ds.xlsx")
    sheet = load_workbook(tmp_path / "ds.xlsx")["Đoàn viên"]
    header = [c.value for c in sheet[1]]
    assert header.index("Tên gọi khác (bí danh)") == header.index("Giới tính") + 1
    export_csv(store, tmp_path / "ds.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "ds.csv").read_text("utf-8-sig"))))
    assert "Tên gọi khác (bí danh)" in rows[0]
    assert len(rows[1]) == len(rows[0])


def test_the_extra_field_is_recognised_in_an_imported_header(scratch_registry: None):
    assert field_of("BÍ DANH") == "nickname"
    assert field_of("Tên gọi khác (bí danh)") == "nickname"
    guess = find_header([["STT", "Họ và tên", "Bí danh", "Ngày sinh"]])
    assert guess is not None and guess.fields[2] == "nickname"


def test_without_the_scratch_entry_the_field_is_nowhere():
    assert "nickname" not in column_names("members.csv")
    assert field_of("Bí danh") is None


def test_the_extra_field_has_a_labelled_input_in_the_form(qtbot, store: Store):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

    from dvdesk.ui.dialogs import DialogService
    from dvdesk.ui.member_form import MemberForm

    form = MemberForm(store, DialogService(), today=TODAY)
    qtbot.addWidget(form)
    widget = form.fields["nickname"]
    assert isinstance(widget, QLineEdit)
    layout = form.findChild(QFormLayout)
    label = layout.labelForField(widget)
    assert isinstance(label, QLabel) and label.text() == "Tên gọi khác"
    # Tab order is registry order: the new input comes right after the gender.
    after = form.gender.nextInFocusChain()
    while not after.focusPolicy() & Qt.FocusPolicy.TabFocus:
        after = after.nextInFocusChain()
    assert after is widget
    # The form still saves; the field has no Member attribute yet, so it stays at its default.
    form.name.setText("Trần Thị Bình")
    form.unit.setCurrentIndex(0)
    widget.setText("Bé Na")
    assert replace(form.member(), uid="x").full_name == "Trần Thị Bình"


def test_form_labels_are_the_registry_labels(qtbot, fresh_store):
    from PySide6.QtWidgets import QFormLayout, QLabel

    from dvdesk.ui.dialogs import DialogService
    from dvdesk.ui.member_form import MemberForm

    form = MemberForm(fresh_store, DialogService(), today=TODAY)
    qtbot.addWidget(form)
    layout = form.findChild(QFormLayout)
    labels = {
        w.text()
        for i in range(layout.rowCount())
        if (item := layout.itemAt(i, QFormLayout.ItemRole.LabelRole))
        and isinstance(w := item.widget(), QLabel)
    }
    texts = {lbl.text() for lbl in form.findChildren(QLabel)}
    assert "Họ và tên *" in labels and "Vào Đoàn" in labels and "Tốt nghiệp" in texts
    # One term for the school year everywhere (the domain's): the form, the lists, the dictionary.
    assert "Niên khóa" in texts and "Năm học" not in texts
    described = {(r["file"], r["name"]): r["label"] for r in dictionary_rows()}
    assert described[("members.csv", "school_year")] == "Niên khóa"


def test_form_reports_every_unreadable_field_by_its_registry_label(qtbot, fresh_store):
    from dvdesk.ui.dialogs import DialogService
    from dvdesk.ui.member_form import MemberForm

    form = MemberForm(fresh_store, DialogService(), today=TODAY)
    qtbot.addWidget(form)
    form.name.setText("Trần Thị Bình")
    form.dob.setText("31/02/2005")
    form.fields["graduation_year"].setText("20x7")
    form.fields["union_joined"].setText("2019")
    problems = form.typing_problems()
    assert [f for f, _ in problems] == ["dob", "graduation_year", "union_joined"]
    assert problems[1][1] == "Năm tốt nghiệp “20x7” không hợp lệ."
    assert problems[2][1] == "Ngày vào Đoàn: cần ngày đầy đủ dd/mm/yyyy."
    with pytest.raises(ValueError, match="Ngày sinh"):
        form.member()
    m = form.member(skip_unreadable=True)
    assert (m.full_name, m.dob, m.graduation_year, m.union_joined) == (
        "Trần Thị Bình",
        None,
        None,
        None,
    )
    assert form.field_widget("dob") is form.dob


def test_list_json_member_keys_are_the_registrys():
    """`list --json` (domain/listing.py) names its member fields as the registry does."""
    from dvdesk.domain.fields import listed_fields
    from dvdesk.domain.listing import LIST_FIELDS

    keys = [f.list_key for f in listed_fields()]
    assert set(keys) <= set(LIST_FIELDS)
    assert {f.name for f in listed_fields()} - {"unit_code"} <= set(LIST_FIELDS)
