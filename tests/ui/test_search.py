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


def test_a_search_shows_its_first_block_in_the_whole_lists_order(
    qtbot, demo_store, dialogs, monkeypatch
):
    from dvdesk.store import members

    monkeypatch.setattr(members, "FIRST_BLOCK", 10)
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    model = window.model
    type_text(window.search, "n")
    qtbot.waitUntil(lambda: model.query.search == "n", timeout=5000)
    whole = names(demo_store, MemberQuery(search="n"))
    assert len(whole) > 10
    # Every match is a row at once, the first block's in the whole list's order.
    assert model.rowCount() == len(whole) and not model.all_ids_read
    assert [model.data(model.index(r, 0)) for r in range(10)] == whole[:10]
    assert window.current_uid() is not None and window.procedure.uid == window.current_uid()
    assert f"{len(whole)} người" in window.count_label.text()
    with qtbot.waitSignal(model.ids_loaded, timeout=5000):
        assert model.data(model.index(len(whole) - 1, 0)) == "…"  # painted below the block
    assert [model.data(model.index(r, 0)) for r in range(len(whole))] == whole


def test_a_keystroke_that_does_not_change_the_search_reads_nothing(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    type_text(window.search, "nguyen")
    qtbot.waitUntil(lambda: window.model.query.search == "nguyen", timeout=5000)
    reads = []
    real = window.jobs.read
    window.jobs.read = lambda *a, **k: reads.append(a) or real(*a, **k)
    shown = window.model.rowCount()
    type_text(window.search, " ")
    qtbot.waitUntil(lambda: window.model.query.search == "nguyen ", timeout=5000)
    assert reads == [] and window.model.rowCount() == shown
    type_text(window.search, "v")
    qtbot.waitUntil(lambda: window.model.query.search == "nguyen v", timeout=5000)
    assert len(reads) == 1 and window.model.rowCount() == len(
        names(demo_store, MemberQuery(search="nguyen v"))
    )


def test_the_view_counts_wait_for_a_pause_and_stop_for_the_officer(
    qtbot, demo_store, dialogs, monkeypatch
):
    from dvdesk.services import views

    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.counts_ready, timeout=5000):
        pass
    real, calls = views.counts, []

    def endless_then_real(store, on, chosen):
        calls.append(on)
        if len(calls) == 1:  # a count that only an interrupt stops
            store.members._conn.scalar(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                "SELECT count(*) FROM c"
            )
        return real(store, on, chosen)

    monkeypatch.setattr(views, "counts", endless_then_real)
    window.refresh_counts()  # as after a change
    assert not window._counts_fresh and window._counts_op is None  # waiting for a pause
    qtbot.waitUntil(lambda: bool(calls), timeout=5000)
    op = window._counts_op
    cancelled = []
    op.cancelled.connect(lambda: cancelled.append(True))
    type_text(window.search, "n")  # the officer types while they count
    qtbot.waitUntil(lambda: bool(cancelled), timeout=5000)  # stopped mid-statement
    with qtbot.waitSignal(window.counts_ready, timeout=5000):
        pass  # counted again after the pause
    assert len(calls) == 2 and window._counts_fresh
    assert window._counts["all"] == demo_store.members.count()
    assert not [c for c in dialogs.calls if c[0] == "error"]
