"""Search as a clerk searches: the last digits of a CCCD, the exact name first."""

from __future__ import annotations

import pytest

from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import Member
from dvdesk.store.member_query import MemberQuery
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY, type_text


@pytest.fixture
def namesakes(demo_store):
    people = [
        Member("Nguyễn Văn Đức An", "KDC01", dob=parse_date("01/02/2001"), cccd="001201009911"),
        Member("Nguyễn Văn Đức", "KDC02", dob=parse_date("03/04/2002"), cccd="001202004455"),
        Member("Nguyễn Văn Đức Anh", "KDC01", dob=parse_date("05/06/2003"), phone="0912004455"),
    ]
    for p in people:
        demo_store.members.add(p, TODAY)
    return people


def names(store, query: MemberQuery) -> list[str]:
    rows = store.members.rows(store.members.ids(query))
    return [rows[i]["full_name"] for i in store.members.ids(query)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("4455", {"Nguyễn Văn Đức", "Nguyễn Văn Đức Anh"}),  # CCCD end, phone end
        ("9911", {"Nguyễn Văn Đức An"}),
        ("001202", {"Nguyễn Văn Đức"}),  # the start still works
        ("0012 0200 4455", {"Nguyễn Văn Đức"}),  # typed in groups
    ],
)
def test_digits_match_the_end_or_the_start_of_a_number(demo_store, namesakes, typed, expected):
    query = MemberQuery(search=typed)
    found = set(names(demo_store, query))
    assert expected <= found
    assert all(
        r["cccd"].endswith(typed.replace(" ", ""))
        or r["cccd"].startswith(typed.replace(" ", ""))
        or r["phone"].endswith(typed.replace(" ", ""))
        or r["phone"].startswith(typed.replace(" ", ""))
        for r in demo_store.members.rows(demo_store.members.ids(query)).values()
    )
    assert demo_store.members.count(query) == len(demo_store.members.ids(query))


def test_the_exact_name_comes_before_longer_ones(demo_store, namesakes):
    found = names(demo_store, MemberQuery(search="nguyen van duc"))
    assert found[0] == "Nguyễn Văn Đức"
    assert {"Nguyễn Văn Đức An", "Nguyễn Văn Đức Anh"} <= set(found[1:])
    # Without a search the order stays the Vietnamese one.
    everyone = names(demo_store, MemberQuery())
    assert everyone == [r["full_name"] for r in demo_store.members.list()]


def test_typing_the_last_digits_in_the_window_finds_the_member(
    qtbot, demo_store, namesakes, dialogs
):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    # Six digits: four would also match a demo phone number ending in …9911.
    type_text(window.search, "009911")
    qtbot.waitUntil(lambda: window.model.query.search == "009911", timeout=3000)
    assert window.model.rowCount() == 1
    assert window.model.data(window.model.index(0, 0)) == "Nguyễn Văn Đức An"
