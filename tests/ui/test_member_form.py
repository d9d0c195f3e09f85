"""Entering a member by keyboard, with validation messages and Vietnamese text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from dvdesk.store.member_query import MemberQuery
from dvdesk.ui.member_form import MemberForm
from tests.ui.conftest import TODAY, type_text


def make_form(qtbot, store, dialogs) -> MemberForm:
    form = MemberForm(store, dialogs, today=TODAY)
    qtbot.addWidget(form)
    return form


def test_keyboard_entry_saves_a_member(qtbot, demo_store, dialogs):
    form = make_form(qtbot, demo_store, dialogs)
    form.show()
    qtbot.waitExposed(form)
    type_text(form.name, "trần thị ngọc hưởng")
    type_text(form.dob, "05032008")
    # Typing part of the unit's name picks it (the completer's popup is not needed).
    form.unit.lineEdit().setText("Nguyễn Trãi")
    type_text(form.school_class, "12a1")
    type_text(form.cccd, "001308999999")
    with qtbot.waitSignal(form.member_saved) as saved:
        qtbot.keyClick(form.name, Qt.Key.Key_Return)
    member = demo_store.members.get(saved.args[0])
    assert member.full_name == "Trần Thị Ngọc Hưởng"
    assert member.dob is not None and member.dob.iso() == "2008-03-05"
    assert member.unit_code == "THPT1"
    assert member.school_class == "12A1"


def test_errors_block_the_save_and_are_shown(qtbot, demo_store, dialogs):
    form = make_form(qtbot, demo_store, dialogs)
    before = demo_store.members.count()
    type_text(form.name, "Lê Văn 3")
    type_text(form.dob, "30/02/2008")
    form.save()
    assert "không tồn tại" in form.messages.text()
    form.dob.setText("01/01/2008")
    type_text(form.cccd, "12345")
    form.save()
    text = form.messages.text()
    assert "chữ số" in text and "12 chữ số" in text and "Chưa chọn" in text
    assert demo_store.members.count() == before


def test_save_and_next_keeps_unit_and_school_year(qtbot, demo_store, dialogs):
    form = make_form(qtbot, demo_store, dialogs)
    form.unit.setCurrentIndex(form.unit.findData("THPT1"))
    type_text(form.school_year, "2026-2027")
    for name in ("Phạm Minh Khôi", "Đỗ Thu Hà"):
        type_text(form.name, name)
        type_text(form.dob, "2009")
        type_text(form.school_class, "11A2")
        form.save_and_next()
        assert form.name.text() == ""
        assert form.unit.currentData() == "THPT1"
        assert form.school_year.text() == "2026-2027"
    assert demo_store.members.count(MemberQuery(search="do thu ha")) == 1


def test_probable_duplicate_asks_first(qtbot, demo_store, dialogs):
    existing = demo_store.members.list()[0]
    form = make_form(qtbot, demo_store, dialogs)
    dialogs.answer = False
    type_text(form.name, existing["full_name"])
    form.dob.setText(existing["dob"])
    form.unit.setCurrentIndex(form.unit.findData(existing["unit_code"]))
    form.school_class.setText("10A1")
    before = demo_store.members.count()
    form.save()
    assert dialogs.calls and dialogs.calls[-1][0] == "confirm"
    assert demo_store.members.count() == before


def test_editing_saves_changes_and_offers_no_save_and_next(qtbot, demo_store, dialogs):
    uid = demo_store.members.list()[5]["uid"]
    form = MemberForm(demo_store, dialogs, demo_store.members.get(uid), today=TODAY)
    qtbot.addWidget(form)
    form.show()
    assert not form.save_next.isVisible()
    form.phone.setText("0912345678")
    form.save()
    assert demo_store.members.get(uid).phone == "0912345678"
    assert "phone" in demo_store.audit.history(uid)[-1]["new"]
