"""Transfers of a graduating student's introduction (chuyển nguồn) are kept and audited."""

from datetime import date

import pytest

from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import Member
from dvdesk.errors import KnownError, NotFound


def test_a_transfer_is_recorded_with_its_audit(fresh_store):
    student = Member("Đỗ Thu Hà", "THPT1", dob=parse_date("10/09/2009"), school_class="12A1")
    fresh_store.members.add(student, date(2026, 11, 26))
    fresh_store.transfers.record(
        student.uid, date(2027, 6, 1), "  Chi bộ thôn  Yên Lạc ", "Giấy chứng nhận CN-NTVĐ"
    )
    (row,) = fresh_store.transfers.of(student.uid)
    assert row["to_organisation"] == "Chi bộ thôn Yên Lạc" and row["on_date"] == "2027-06-01"
    last = fresh_store.audit.history(student.uid)[-1]
    assert last["entity"] == "transfer" and "Yên Lạc" in last["new"]


def test_a_transfer_needs_a_receiver_and_a_member(fresh_store):
    student = Member("Đỗ Thu Hà", "THPT1", dob=parse_date("10/09/2009"), school_class="12A1")
    fresh_store.members.add(student, date(2026, 11, 26))
    with pytest.raises(KnownError, match="nơi nhận"):
        fresh_store.transfers.record(student.uid, date(2027, 6, 1), "   ")
    with pytest.raises(NotFound):
        fresh_store.transfers.record("khong-co", date(2027, 6, 1), "Chi bộ")
    assert fresh_store.transfers.of(student.uid) == []
