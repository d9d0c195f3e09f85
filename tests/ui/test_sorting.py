"""Sorting by any column but the unit is an index scan, not a sort of every row."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from dvdesk.store.member_query import MemberQuery
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY

ORDERS = {
    "dob": "m.dob, m.name_sort",
    "class": "m.school_class, m.name_sort",
    "stage": "m.stage, m.name_sort",
    "gender": "m.gender, m.name_sort",
    "presence": "m.presence, m.name_sort",
    "eligible_from": "m.elig_from_a, m.name_sort",
}


def test_every_ordering_but_name_and_unit_is_checked_here():
    # The name order's index ends at the sort key: only ties (same name) get sorted.
    from dvdesk.store.members import ORDERS as STORE_ORDERS

    assert {k: v for k, v in STORE_ORDERS.items() if k not in ("name", "unit")} == ORDERS


@pytest.mark.parametrize("order", sorted(ORDERS))
@pytest.mark.parametrize("direction", ["", " DESC"])
def test_the_sorted_id_list_needs_no_sort_step(demo_store, order, direction):
    by = ", ".join(f"{c}{direction}" for c in ORDERS[order].split(", "))
    sql = (
        f"EXPLAIN QUERY PLAN SELECT m.id FROM members m WHERE m.deleted_at IS NULL "
        f"ORDER BY {by}, m.id{direction}"
    )
    with sqlite3.connect(demo_store.path) as conn:
        plan = " ".join(str(row[-1]) for row in conn.execute(sql))
    assert "TEMP B-TREE" not in plan and "INDEX" in plan, plan


def test_sorting_the_table_by_class_shows_the_first_screen_in_order(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.AscendingOrder)  # Lớp
    model = window.model
    classes = [model._row(r)["school_class"] for r in range(model.rowCount())]
    assert classes == sorted(classes) and model.rowCount() == demo_store.members.count()
    assert len(demo_store.members.ids(MemberQuery(), order="class")) == model.rowCount()
