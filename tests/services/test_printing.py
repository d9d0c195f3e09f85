"""Issuing a transfer letter prints it and records the handover once; list rows as JSON."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from dvdesk.domain.listing import LIST_FIELDS, ListRow
from dvdesk.errors import KnownError
from dvdesk.services import member_list, printing
from tests.reports.conftest import LONG, pdf_pages, populate


def test_a_reprint_records_no_second_transfer(fresh_store, tmp_path):
    store = populate(fresh_store)
    uid = store.people["long"].uid
    first = printing.issue_transfer_letter(
        store, uid, "Chi bộ thôn Yên Lạc", tmp_path / "a.pdf", today=date(2026, 6, 2)
    )
    again = printing.issue_transfer_letter(
        store, uid, "  Chi bộ thôn   Yên Lạc ", tmp_path / "b.pdf", today=date(2026, 6, 20)
    )
    assert (first.recorded, again.recorded) == (True, False)
    assert again.on == date(2026, 6, 2)  # the copy carries the handover's date
    (transfer,) = store.transfers.of(uid)
    assert transfer["on_date"] == "2026-06-02"
    text = " ".join(pdf_pages(tmp_path / "b.pdf"))
    assert "02" in text and "2026" in text and LONG.split()[0] in text
    other = printing.issue_transfer_letter(
        store, uid, "Đoàn trường Đại học Vinh", tmp_path / "c.pdf", today=date(2026, 9, 5)
    )
    assert other.recorded and len(store.transfers.of(uid)) == 2


def test_a_refused_letter_records_nothing(fresh_store, tmp_path):
    store = populate(fresh_store)
    uid = store.people["young"].uid  # no step done: not on the source list
    with pytest.raises(KnownError, match="cảm tình Đảng"):
        printing.issue_transfer_letter(store, uid, "Chi bộ", tmp_path / "x.pdf")
    assert store.transfers.of(uid) == []


def test_json_objects_are_the_contract_and_survive_any_text():
    row = ListRow(
        'u"1\\',
        'Nguyễn "Văn" A\\b\n',
        "2008-03",
        None,
        "KDC01",
        "Thôn Đông",
        "",
        "at_home",
        "member",
        "unknown",
        None,
        None,
        "2026-03-01",
        "2026-03-31",
        None,
        "chú \x00 thích",
        ("too_young", "eligible"),
        "residential",
        None,
        True,
        False,
    )
    out = io.StringIO()
    assert member_list.write_json([row, row], out) == 2
    data = json.loads(out.getvalue())
    assert list(data[0]) == list(LIST_FIELDS)
    assert data[0] == {
        f: (list(v) if isinstance(v, tuple) else v)
        for f, v in zip(LIST_FIELDS, row.contract, strict=True)
    }
    empty = io.StringIO()
    assert member_list.write_json([], empty) == 0 and json.loads(empty.getvalue()) == []
