"""Package rows round-trip any member exactly (Hypothesis), formula-looking text included."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Gender, Member, Presence
from dvdesk.exchange.cells import escape_reversible, unescape_reversible
from dvdesk.exchange.csv_files import csv_bytes, dict_rows
from dvdesk.exchange.dictionary import column_names
from dvdesk.exchange.records import member_from_row, member_to_row

# Text as clerks type it: Vietnamese letters, punctuation, and would-be formulas.
_text = st.text(
    alphabet=st.sampled_from(list("aăâđeêoôơuưyAĐÊƠỨữ ,.;'\"=+-@\t\n0123456789()/")),
    max_size=20,
).map(lambda s: " ".join(s.split()))
_dob = st.one_of(
    st.none(),
    st.dates(date(1950, 1, 1), date(2015, 12, 31)).map(PartialDate.of),
    st.builds(PartialDate, st.integers(1950, 2015), st.integers(1, 12)),
    st.builds(PartialDate, st.integers(1950, 2015)),
)
members = st.builds(
    Member,
    full_name=_text,
    unit_code=st.sampled_from(["KDC01", "THPT1"]),
    dob=_dob,
    gender=st.sampled_from([None, *Gender]),
    cccd=st.one_of(st.just(""), st.integers(0, 10**12 - 1).map("{:012d}".format)),
    ethnicity=_text,
    religion=_text,
    hometown=_text,
    address=_text,
    school_class=_text,
    school_year=_text,
    graduation_year=st.one_of(st.none(), st.integers(2000, 2040)),
    union_joined=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2026, 1, 1))),
    union_officer=st.booleans(),
    union_extended=st.booleans(),
    presence=st.sampled_from(list(Presence)),
    phone=_text,
    notes=_text,
    uid=st.uuids().map(str),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(members, max_size=5))
def test_member_rows_round_trip(people: list[Member]):
    names = column_names("members.csv")
    data = csv_bytes(
        names, ([escape_reversible(member_to_row(m)[n]) for n in names] for m in people)
    )
    _, rows = dict_rows(data)
    back = [member_from_row({k: unescape_reversible(v) for k, v in r.items()}) for r in rows]
    assert back == people
