"""Member lists: Vietnamese order from the index, and every MemberQuery filter."""

from datetime import date

import pytest

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.eligibility import Method
from dvdesk.domain.member import Member, Presence
from dvdesk.domain.names import sort_key
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.store.member_query import MemberQuery, fts_query
from tests import sql

TODAY = date(2026, 11, 26)
P = PartialDate

PEOPLE = [
    # name, unit, dob, cccd, presence, graduation year, school class
    ("Nguyễn Văn Đức", "KDC01", P(2000, 5, 10), "001200012345", Presence.AT_HOME, None, ""),
    ("Nguyễn Văn Dũng", "KDC01", P(2008, 12, 26), "001208054321", Presence.WORKING_AWAY, None, ""),
    ("Trần Thị Ánh", "KDC01", P(2008, 11, 26), "", Presence.ABROAD, None, ""),
    ("Lê Anh", "THPT1", P(2009, 3, 15), "", Presence.AT_HOME, 2027, "12A1"),
    ("Phạm Ngọc An", "THPT1", P(2009, 8, 1), "", Presence.AT_HOME, 2027, "12A2"),
    ("Đỗ Minh Dũng", "KDC01", P(2000), "", Presence.MOVED, None, ""),  # partial: warned
    ("Hoàng Thị Ân", "KDC01", P(1996, 1, 1), "037196000001", Presence.AT_HOME, None, ""),
]


@pytest.fixture(params=["memory", "disk"])
def store(request):
    s = request.getfixturevalue("fresh_store" if request.param == "memory" else "disk_store")
    s.members.add_many(
        [
            Member(
                n, u, dob=d, cccd=c, presence=p, graduation_year=g, school_class=k, uid=f"uid-{i}"
            )
            for i, (n, u, d, c, p, g, k) in enumerate(PEOPLE)
        ],
        today=TODAY,
    )
    return s


def names(store, query=None):
    return [r["full_name"] for r in store.members.list(query or MemberQuery())]


def test_member_ids_are_in_python_sort_key_order(store):
    rows = store.members.rows(store.members.ids())
    listed = [rows[i]["full_name"] for i in store.members.ids()]
    assert listed == sorted((p[0] for p in PEOPLE), key=sort_key)
    assert listed == names(store)
    assert listed.index("Nguyễn Văn Dũng") < listed.index("Nguyễn Văn Đức")


def test_the_list_is_an_index_scan_not_a_sort(store):
    where, params = MemberQuery().where()
    plan = sql.rows(
        store,
        f"EXPLAIN QUERY PLAN SELECT m.id FROM members m WHERE {where} ORDER BY m.name_sort, m.id",
        params,
    )
    details = " ".join(r["detail"] for r in plan)
    # Read from the covering list index alone: no table lookups, no sort step.
    assert "COVERING INDEX members_list" in details
    # Only ties between equal names are sorted (by row id), never the whole list.
    assert "TEMP B-TREE FOR ORDER BY" not in details


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (MemberQuery(search="nguyen van duc"), ["Nguyễn Văn Đức"]),
        (MemberQuery(search="NGUYỄN VĂN ĐỨC"), ["Nguyễn Văn Đức"]),
        (MemberQuery(search="dung"), ["Nguyễn Văn Dũng", "Đỗ Minh Dũng"]),
        (MemberQuery(search="ng van d"), ["Nguyễn Văn Dũng", "Nguyễn Văn Đức"]),  # prefixes
        (MemberQuery(search="anh"), ["Lê Anh", "Trần Thị Ánh"]),
        (MemberQuery(search="0012000"), ["Nguyễn Văn Đức"]),  # CCCD prefix
        (MemberQuery(search="0012"), ["Nguyễn Văn Dũng", "Nguyễn Văn Đức"]),
        (MemberQuery(search="xyz"), []),
        (MemberQuery(search="  "), [p[0] for p in sorted(PEOPLE, key=lambda p: sort_key(p[0]))]),
        (MemberQuery(unit_code="thpt1"), ["Phạm Ngọc An", "Lê Anh"]),
        (MemberQuery(unit_kind="school"), ["Phạm Ngọc An", "Lê Anh"]),
        # 26/11/2026: Ánh is exactly 18, Dũng (26/12/2008) one month short; Đỗ Minh
        # Dũng (born in 2000) is of age whatever the day: partial dates are not dropped
        (
            MemberQuery(eligible_on=TODAY),
            ["Hoàng Thị Ân", "Trần Thị Ánh", "Đỗ Minh Dũng", "Nguyễn Văn Đức"],
        ),
        (
            MemberQuery(eligible_on=date(2026, 11, 25)),
            ["Hoàng Thị Ân", "Đỗ Minh Dũng", "Nguyễn Văn Đức"],
        ),
        (
            MemberQuery(eligible_on=date(2026, 12, 1), method=Method.CALENDAR),
            ["Hoàng Thị Ân", "Trần Thị Ánh", "Nguyễn Văn Dũng", "Đỗ Minh Dũng", "Nguyễn Văn Đức"],
        ),
        (MemberQuery(upcoming_months=1, reference=TODAY), ["Nguyễn Văn Dũng"]),
        (MemberQuery(upcoming_months=4, reference=TODAY), ["Nguyễn Văn Dũng", "Lê Anh"]),
        (MemberQuery(upcoming_months=0, reference=TODAY), []),
        (MemberQuery(presences=("abroad", "working_away")), ["Trần Thị Ánh", "Nguyễn Văn Dũng"]),
        # graduating 31/05/2027: Lê Anh is 18 on 15/03/2027, Phạm Ngọc An only on 01/08/2027
        (MemberQuery(graduate_before_eligible="05-31"), ["Phạm Ngọc An"]),
        (MemberQuery(has_issues=True), ["Đỗ Minh Dũng"]),
        (MemberQuery(search="duc", unit_code="THPT1"), []),
    ],
)
def test_filters(store, query, expected):
    assert names(store, query) == sorted(expected, key=sort_key)
    assert store.members.count(query) == len(expected)


def test_stages_filter(store):
    store.steps.record("uid-0", StepRecord("source", StepState.DONE, date(2026, 1, 5)), TODAY)
    assert names(store, MemberQuery(stages=("introduced",))) == ["Nguyễn Văn Đức"]
    assert len(names(store, MemberQuery(stages=("member",)))) == len(PEOPLE) - 1


def test_deleted_filter_is_the_recycle_bin(store):
    store.members.delete("uid-0")
    assert "Nguyễn Văn Đức" not in names(store)
    assert names(store, MemberQuery(deleted=True)) == ["Nguyễn Văn Đức"]
    assert names(store, MemberQuery(deleted=True, search="duc")) == ["Nguyễn Văn Đức"]


def test_issue_codes_are_stored_for_the_warnings(store):
    row = {r["full_name"]: r for r in store.members.list()}
    assert row["Đỗ Minh Dũng"]["issue_codes"] == "dob.partial"
    assert row["Lê Anh"]["issue_codes"] == ""


@pytest.mark.parametrize(
    ("text", "fts"),
    [("nguyễn văn Đ", '"nguyen"* "van"* "d"*'), ("  ", None), ('a"b OR c', '"a"* "b"* "or"* "c"*')],
)
def test_search_text_becomes_a_safe_prefix_query(text, fts):
    assert fts_query(text) == fts


UPCOMING_FROM = date(2026, 6, 1)
PARTIAL_CASES = [  # a partial date of birth, the months of the upcoming list
    (P(2008), 6),  # may turn 18 before 1/6 or after: possibly upcoming
    (P(2008, 6), 1),  # born 1/6–30/6/2008: 18 on 1/6 (already) or later in June
    (P(2008, 5), 6),  # 18 in May at the latest: already of age on 1/6
    (P(2009), 6),  # 18 in 2027 only: after the six months from 1/6/2026
    (P(2009), 7),  # from 1/1/2027 possible, inside seven months
    (P(2008, 12), 6),  # 18 in December 2026: the six months end on 1/12
    (P(2007), 6),  # 18 in 2025: already of age
]


def _possible_birthdays(dob: PartialDate) -> list[date]:
    first, last = dob.earliest(), dob.latest()
    return [date.fromordinal(d) for d in range(first.toordinal(), last.toordinal() + 1)]


@pytest.mark.parametrize(("dob", "months"), PARTIAL_CASES)
@pytest.mark.parametrize("method", [Method.COMPLETED, Method.CALENDAR])
def test_upcoming_keeps_a_partial_date_whenever_one_possible_birthday_is_upcoming(
    fresh_store, dob, months, method
):
    """Never dropped (issue #11 item 4): listed when any day the person could be born on
    makes them too young on the first day and of age within the months."""
    days = _possible_birthdays(dob)
    fresh_store.members.add_many(
        [Member("Người Chưa Rõ", "KDC01", dob=dob, uid="partial")]
        + [Member("Người Đủ Ngày", "KDC01", dob=P.of(d), uid=f"d{i}") for i, d in enumerate(days)],
        today=TODAY,
    )
    query = MemberQuery(upcoming_months=months, reference=UPCOMING_FROM, method=method)
    listed = {r["uid"] for r in fresh_store.members.list(query)}
    expected = any(f"d{i}" in listed for i in range(len(days)))
    assert ("partial" in listed) is expected
    assert fresh_store.members.count(query) == len(listed)
