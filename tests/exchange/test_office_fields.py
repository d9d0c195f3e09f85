"""The fields offices keep (issue #15 point 9): registry, data file, packages, lists, import."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlite_utils import Database

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.exchange.dictionary import column_names, required_column_names
from dvdesk.exchange.records import member_from_row, member_to_row
from dvdesk.exchange.sheet_import import plan_import
from dvdesk.exchange.xlsx_export import export_xlsx
from dvdesk.store import schema
from dvdesk.store.gateway import Store

TODAY = date(2026, 11, 26)
NEW = (
    "union_joined_place",
    "union_card_no",
    "union_position",
    "residence_commune",
    "residence_province",
    "education",
    "occupation",
)


def test_an_older_file_gains_the_columns_empty(tmp_path: Path):
    path = tmp_path / "cu.db"
    db = Database(sqlite3.connect(path))
    schema.migrations.apply(db, stop_before="1.7_member_office_fields")
    db.execute("INSERT INTO units (code, name, kind) VALUES ('KDC01', 'Thôn Đông', 'residential')")
    db.conn.commit()
    db.close()
    with Store.open(path) as store:
        assert store.format_version() == (1, schema.FORMAT_MINOR)
        store.members.add(Member("Nguyễn Văn An", "KDC01", PartialDate(2005, 3, 25)), TODAY)
        [m] = store.packages.members()
        assert all(getattr(m, n) == "" for n in NEW)
    conn = sqlite3.connect(path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(members)")}
    conn.close()
    assert set(NEW) <= columns


def test_the_migration_is_safe_to_run_twice(tmp_path: Path):
    db = Database(sqlite3.connect(tmp_path / "x.db"))
    schema.migrations.apply(db)
    schema.m_member_office_fields(db)  # columns already there: nothing fails, nothing doubles
    columns = [c.name for c in db["members"].columns]
    assert sorted(n for n in columns if n in NEW) == sorted(NEW)


def test_the_fields_round_trip_through_the_store_and_packages(fresh_store):
    m = Member(
        "Nguyễn Văn An",
        "KDC01",
        PartialDate(2005, 3, 25),
        union_joined_place="Chi đoàn Trường THCS Đông Hòa",
        union_card_no="012345678",
        union_position="Phó bí thư chi đoàn",
        residence_commune="Xã Đông Hòa",
        residence_province="Tỉnh Nghệ An",
        education="12/12",
        occupation="Công nhân, KCN Nam Cấm",
    )
    fresh_store.members.add(m, TODAY)
    assert fresh_store.members.get(m.uid) == m.normalized()
    assert set(NEW) <= set(column_names("members.csv"))
    assert member_from_row(member_to_row(m)) == m


def test_a_package_of_format_1_0_lacks_them_and_still_reads():
    row = member_to_row(Member("Nguyễn Văn An", "KDC01"))
    assert not set(NEW) & set(required_column_names("members.csv"))
    old = {k: v for k, v in row.items() if k not in NEW}
    assert member_from_row(old).education == ""


def test_they_are_read_from_office_headers_and_exported(fresh_store, tmp_path: Path):
    book = Workbook()
    ws = book.active
    ws.append(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "Trình độ văn hóa",
            "Nghề nghiệp/Nơi học tập, làm việc",
            "Số thẻ Đoàn",
            "Chức vụ",
            "Nơi kết nạp Đoàn",
            "Xã/Phường",
            "Tỉnh/Thành phố",
        ]
    )
    ws.append(
        [
            1,
            "Nguyễn Văn An",
            "25/03/2005",
            "12/12",
            "Thợ hàn",
            "012345678",
            "Bí thư chi đoàn",
            "Chi đoàn Thôn Đông",
            "Xã Đông Hòa",
            "Tỉnh Nghệ An",
        ]
    )
    path = tmp_path / "ds.xlsx"
    book.save(path)
    plan = plan_import(fresh_store, path, default_unit="KDC01", today=TODAY)
    [m] = plan.to_add
    assert (m.education, m.occupation, m.union_card_no, m.union_position) == (
        "12/12",
        "Thợ hàn",
        "012345678",
        "Bí thư chi đoàn",
    )
    assert (m.union_joined_place, m.residence_commune, m.residence_province) == (
        "Chi đoàn Thôn Đông",
        "Xã Đông Hòa",
        "Tỉnh Nghệ An",
    )
    fresh_store.members.add(m, TODAY)
    export_xlsx(fresh_store, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["Đoàn viên"]
    row = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True))
    assert row["Trình độ học vấn"] == "12/12" and row["Số thẻ đoàn viên"] == "012345678"
    assert row["Xã / phường"] == "Xã Đông Hòa" and row["Tỉnh / thành phố"] == "Tỉnh Nghệ An"


def test_the_form_has_an_input_for_each(qtbot, fresh_store):
    from dvdesk.ui.dialogs import DialogService
    from dvdesk.ui.member_form import MemberForm

    form = MemberForm(fresh_store, DialogService(), today=TODAY)
    qtbot.addWidget(form)
    assert set(NEW) <= set(form.fields)
    form.name.setText("Trần Thị Bình")
    form.unit.setCurrentIndex(0)
    form.fields["education"].setText("9/12")
    assert form.member().education == "9/12"


def test_the_dossier_reads_the_members_education_unless_it_has_its_own(fresh_store):
    m = Member("Nguyễn Văn An", "KDC01", PartialDate(2000, 3, 25), education="12/12")
    fresh_store.members.add(m, TODAY)
    assert fresh_store.dossier.get(m.uid).education == "12/12"
    fresh_store.dossier.set_details(m.uid, education="9/12")
    assert fresh_store.dossier.get(m.uid).education == "9/12"
