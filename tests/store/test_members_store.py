"""Member writes in the store: validated, one transaction each, audited with old and new values."""

import json
import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.errors import KnownError, NotFound, ValidationFailed
from dvdesk.store.connection import Connection
from dvdesk.store.member_query import MemberQuery
from tests import sql

TODAY = date(2026, 11, 26)


@pytest.fixture(params=["memory", "disk"])
def store(request):
    return request.getfixturevalue("fresh_store" if request.param == "memory" else "disk_store")


def member(name="Nguyễn Văn Đức", **kw) -> Member:
    kw.setdefault("dob", PartialDate(2000, 5, 10))
    return Member(name, kw.pop("unit_code", "KDC01"), **kw)


def audit_rows(store, uid):
    return [
        {
            **r,
            "old": json.loads(r["old"]) if r["old"] else None,
            "new": json.loads(r["new"]) if r["new"] else None,
        }
        for r in sql.rows(store, "SELECT * FROM audit WHERE entity_uid = ? ORDER BY id", [uid])
    ]


def counts(store):
    return (
        sql.scalar(store, "SELECT count(*) FROM members"),
        sql.scalar(store, "SELECT count(*) FROM audit"),
    )


def test_add_writes_the_row_and_an_audit_entry(store):
    m = member("  nguyễn   văn  đức ", cccd="001200012345")
    report = store.members.add(m, TODAY).report
    assert report.is_valid
    saved = store.members.get(m.uid)
    assert saved.full_name == "Nguyễn Văn Đức" and saved.dob == PartialDate(2000, 5, 10)
    [entry] = audit_rows(store, m.uid)
    assert (entry["action"], entry["entity"], entry["old"]) == ("insert", "member", None)
    assert entry["new"]["full_name"] == "Nguyễn Văn Đức"
    assert entry["new"]["cccd"] == "001200012345"
    assert entry["actor"] == store.actor and entry["at"]


def test_update_audits_old_and_new_values_of_changed_fields_only(store):
    m = member(phone="0912345678")
    store.members.add(m, TODAY)
    store.members.update(replace(m, full_name="Nguyễn Văn Đạt", phone="0912345678"), TODAY)
    entry = audit_rows(store, m.uid)[-1]
    assert entry["action"] == "update"
    assert entry["old"] == {"full_name": "Nguyễn Văn Đức"}
    assert entry["new"] == {"full_name": "Nguyễn Văn Đạt"}
    assert store.members.get(m.uid).full_name == "Nguyễn Văn Đạt"
    # the derived columns follow the name
    assert store.members.ids(MemberQuery(search="dat")) == [store.members.row_id(m.uid)]
    assert store.members.ids(MemberQuery(search="duc")) == []


def test_saving_an_unchanged_member_logs_nothing(store):
    m = member(phone="0912345678")
    store.members.add(m, TODAY)
    stamp = sql.scalar(store, "SELECT updated_at FROM members")
    before = counts(store)
    store.members.update(replace(m, full_name="  nguyễn văn đức "), TODAY)  # same once normalized
    assert counts(store) == before
    assert sql.scalar(store, "SELECT updated_at FROM members") == stamp


def test_soft_delete_and_restore_are_audited_and_keep_the_row(store):
    m = member()
    store.members.add(m, TODAY)
    store.members.delete(m.uid)
    assert store.members.count() == 0
    assert store.members.count(MemberQuery(deleted=True)) == 1
    assert store.members.get(m.uid).full_name == "Nguyễn Văn Đức"  # still readable
    store.members.delete(m.uid)  # a second delete changes nothing and logs nothing
    store.members.restore(m.uid)
    assert store.members.count() == 1
    entries = audit_rows(store, m.uid)
    assert [e["action"] for e in entries] == ["insert", "delete", "restore"]
    deleted, restored = entries[1], entries[2]
    assert deleted["old"] == {"deleted_at": None} and deleted["new"]["deleted_at"]
    assert restored["old"] == deleted["new"] and restored["new"] == {"deleted_at": None}


def test_restore_refuses_when_the_cccd_was_taken_meanwhile(store):
    first = member(cccd="001200012345")
    store.members.add(first, TODAY)
    store.members.delete(first.uid)
    store.members.add(member("Trần Thị Bình", cccd="001200012345"), TODAY)
    before = counts(store)
    with pytest.raises(KnownError, match="001200012345 đã có ở đoàn viên Trần Thị Bình"):
        store.members.restore(first.uid)
    assert counts(store) == before
    assert store.members.count(MemberQuery(deleted=True)) == 1


@pytest.mark.parametrize(
    "bad",
    [
        member("Nguyễn Văn 2"),
        member(cccd="123"),
        member(unit_code="KDC99"),
        member(dob=PartialDate(2030, 1, 1)),
    ],
)
def test_invalid_member_writes_nothing(store, bad):
    before = counts(store)
    with pytest.raises(ValidationFailed) as info:
        store.members.add(bad, TODAY)
    assert info.value.report.errors and str(info.value)
    assert counts(store) == before


def test_duplicate_cccd_in_the_commune_is_refused(store):
    store.members.add(member(cccd="001200012345"), TODAY)
    before = counts(store)
    with pytest.raises(ValidationFailed, match="đã có ở đoàn viên Nguyễn Văn Đức"):
        store.members.add(member("Lê Thị Hoa", cccd="001200012345"), TODAY)
    assert counts(store) == before


def test_same_cccd_in_another_commune_is_allowed(store):
    store.members.add(member(cccd="001200012345"), TODAY)
    settings = store.settings.get()
    settings.commune_code = "54321"
    store.settings.save(settings)
    store.members.add(member("Lê Thị Hoa", cccd="001200012345"), TODAY)
    assert store.members.count() == 2


def test_adding_the_same_uid_twice_is_a_known_error(store):
    m = member()
    store.members.add(m, TODAY)
    before = counts(store)
    with pytest.raises(KnownError, match="Đã có đoàn viên mã"):
        store.members.add(replace(m, full_name="Lê Văn Khác"), TODAY)
    assert counts(store) == before


def test_a_failing_audit_leaves_neither_row_nor_audit(store, monkeypatch):
    def broken_audit(*args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Connection, "audit", lambda self, *a: broken_audit(*a))
    m = member()
    before = counts(store)
    with pytest.raises(sqlite3.OperationalError):
        store.members.add(m, TODAY)
    assert counts(store) == before
    with pytest.raises(NotFound):
        store.members.get(m.uid)


def test_a_failing_update_keeps_the_old_values(store, monkeypatch):
    m = member()
    store.members.add(m, TODAY)
    before = counts(store)
    monkeypatch.setattr(Connection, "audit", lambda self, *a: (_ for _ in ()).throw(OSError()))
    with pytest.raises(OSError):
        store.members.update(replace(m, full_name="Nguyễn Văn Đạt"), TODAY)
    assert store.members.get(m.uid).full_name == "Nguyễn Văn Đức"
    assert counts(store) == before


def test_a_failing_batch_writes_nothing(store):
    people = [member(f"Nguyễn Văn {n}") for n in ("An", "Bình", "Cường")]
    people.append(member("Sai Tên 4"))
    before = counts(store)
    with pytest.raises(ValidationFailed, match="Sai Tên 4"):
        store.members.add_many(people, today=TODAY)
    assert counts(store) == before


def test_batch_insert_audits_every_member_and_checks_cccd_within_the_batch(store):
    people = [member("Nguyễn Văn An", cccd="001200000001"), member("Lê Văn Bình")]
    assert store.members.add_many(people, today=TODAY).count == 2
    assert [len(audit_rows(store, m.uid)) for m in people] == [1, 1]
    with pytest.raises(ValidationFailed, match="001200000002"):
        store.members.add_many(
            [member("A B", cccd="001200000002"), member("C D", cccd="001200000002")], today=TODAY
        )


def test_update_of_a_missing_member_is_not_found(store):
    with pytest.raises(NotFound):
        store.members.update(member(), TODAY)
    with pytest.raises(NotFound):
        store.members.delete("no-such-uid")


def test_audit_is_append_only(store):
    store.members.add(member(), TODAY)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        sql.execute(store, "UPDATE audit SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        sql.execute(store, "DELETE FROM audit")
    assert sql.scalar(store, "SELECT count(*) FROM audit WHERE actor = 'someone else'") == 0


def test_steps_single_and_bulk_set_the_stage_and_audit(store):
    a, b = member("Nguyễn Văn An"), member("Lê Văn Bình")
    store.members.add_many([a, b], today=TODAY)
    store.steps.record(a.uid, StepRecord("source", StepState.DONE, date(2026, 1, 5), "1-NQ"), TODAY)
    store.steps.record_many(
        {
            b.uid: [
                StepRecord("source", StepState.DONE, date(2026, 1, 5)),
                StepRecord("course", StepState.DONE, date(2026, 3, 5)),
            ]
        }
    )
    stages = {r["uid"]: r["stage"] for r in store.members.list()}
    assert stages == {a.uid: "introduced", b.uid: "course"}
    assert store.steps.of(b.uid)["course"].done_on == date(2026, 3, 5)
    assert [e["entity"] for e in audit_rows(store, b.uid)] == ["member", "step", "step"]
    before = counts(store)
    with pytest.raises(KnownError):
        store.steps.record_many(
            {
                a.uid: [StepRecord("course", StepState.DONE, date(2026, 2, 1))],
                "missing": [StepRecord("source", StepState.DONE, TODAY)],
            }
        )
    assert counts(store) == before
    assert store.steps.of(a.uid)["course"].state is StepState.NOT_STARTED


def test_bulk_steps_keep_earlier_steps_in_the_stage(store):
    a = member()
    store.members.add(a, TODAY)
    store.steps.record_many({a.uid: [StepRecord("course", StepState.DONE, date(2026, 3, 5))]})
    store.steps.record_many({a.uid: [StepRecord("source", StepState.DONE, date(2026, 1, 5))]})
    assert store.members.list()[0]["stage"] == "course"


def _triggers(store):
    return {
        r["name"] for r in sql.rows(store, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }


def test_batch_insert_indexes_search_text_and_keeps_the_triggers(store):
    triggers = _triggers(store)
    store.members.add(member("Trần Văn Cũ"), TODAY)
    store.members.add_many([member("Nguyễn Văn Đức"), member("Lê Thị Đào")], today=TODAY)
    assert _triggers(store) == triggers
    for text, count in (("duc", 1), ("dao", 1), ("cu", 1), ("van", 2)):
        assert store.members.count(MemberQuery(search=text)) == count, text
    store.members.add(member("Phạm Văn Đông"), TODAY)  # the trigger works again afterwards
    assert store.members.count(MemberQuery(search="dong")) == 1
    with pytest.raises(ValidationFailed):
        store.members.add_many([member("Hồ Văn Hai"), member("Sai 2")], today=TODAY)
    assert _triggers(store) == triggers  # a rolled-back batch brings the trigger back
    assert store.members.count(MemberQuery(search="hai")) == 0
    assert store.integrity_problems() == []
    # FTS5 compares its index with the members table and raises on any mismatch
    sql.execute(store, "INSERT INTO members_fts (members_fts, rank) VALUES ('integrity-check', 1)")


def test_member_row_values_are_member_row_in_column_order() -> None:
    """The tuple bulk inserts use holds exactly `member_row`, column for column."""
    from dvdesk.domain.dates import PartialDate
    from dvdesk.domain.member import Gender, Member, Presence
    from dvdesk.store.rows import MEMBER_ROW_COLUMNS, member_row, member_row_values

    people = [
        Member("Nguyễn Văn An", "KDC01"),
        Member(
            "Trần Thị Bình",
            "THPT1",
            dob=PartialDate(2008, 3),
            gender=Gender.FEMALE,
            cccd="001208000001",
            phone="0912345678",
            union_officer=True,
            presence=Presence.ABROAD,
            graduation_year=2026,
        ),
    ]
    for m in people:
        row = member_row(m.normalized())
        assert list(row) == list(MEMBER_ROW_COLUMNS)
        assert member_row_values(m.normalized()) == tuple(row.values())
