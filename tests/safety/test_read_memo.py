"""Repeated reads are remembered, but never past a write, here or in another connection."""

from __future__ import annotations

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery


def add(store: Store, name: str) -> str:
    member = Member(name, "KDC01", PartialDate(2000, 1, 2))
    store.members.add(member)
    return member.uid


def test_own_writes_are_seen_at_once(disk_store: Store) -> None:
    add(disk_store, "Lê Văn An")
    assert len(disk_store.members.ids()) == disk_store.members.count() == 1
    uid = add(disk_store, "Trần Văn Bình")
    assert len(disk_store.members.ids()) == disk_store.members.count() == 2
    disk_store.members.delete(uid)
    assert len(disk_store.members.ids()) == disk_store.members.count() == 1
    assert disk_store.members.ids(MemberQuery(search="binh")) == []


def test_writes_of_another_connection_are_seen(disk_store: Store) -> None:
    add(disk_store, "Lê Văn An")
    assert disk_store.members.count() == 1
    with Store.open(disk_store.path) as other:
        add(other, "Phạm Thị Cúc")
    assert disk_store.members.count() == 2
    assert len(disk_store.members.ids(MemberQuery(search="cuc"))) == 1


def test_callers_get_their_own_list(fresh_store: Store) -> None:
    add(fresh_store, "Lê Văn An")
    first = fresh_store.members.ids()
    first.clear()
    assert len(fresh_store.members.ids()) == 1


def test_a_rolled_back_write_leaves_answers_right(fresh_store: Store) -> None:
    add(fresh_store, "Lê Văn An")
    assert fresh_store.members.count() == 1
    try:
        with fresh_store.transaction():
            add(fresh_store, "Võ Văn Dũng")
            assert fresh_store.members.count() == 2
            raise RuntimeError("undo")
    except RuntimeError:
        pass
    assert fresh_store.members.count() == 1
