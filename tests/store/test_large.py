"""A 20,000-member commune: the indexed queries agree with the rules computed in Python."""

from datetime import date

import pytest

from dvdesk import demo
from dvdesk.domain.dates import parse_date
from dvdesk.domain.eligibility import Method, Status, evaluate
from dvdesk.domain.names import sort_key
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from tests import sql

TODAY = date(2026, 11, 26)
N = 20_000


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Store:
    store = Store.open(tmp_path_factory.mktemp("big") / "xa.db")
    assert demo.build(store, N, seed=5, today=TODAY) == N
    yield store
    store.close()


@pytest.mark.slow
def test_order_is_the_python_sort_key_order(big):
    rows = big.members.list()
    assert len(rows) == N
    keys = [sort_key(r["full_name"]) for r in rows]
    assert keys == sorted(keys)


@pytest.mark.slow
@pytest.mark.parametrize("method", [Method.COMPLETED, Method.CALENDAR])
@pytest.mark.parametrize("on", [TODAY, date(2027, 5, 31)])
def test_eligible_filter_matches_the_rule_row_by_row(big, method, on):
    listed = {r["uid"] for r in big.members.list(MemberQuery(eligible_on=on, method=method))}
    expected = {
        r["uid"]
        for r in big.members.list()
        if evaluate(parse_date(r["dob"]), on, method).status is Status.ELIGIBLE
    }
    assert listed == expected and 0 < len(listed) < N


@pytest.mark.slow
def test_audit_has_one_insert_per_member_and_the_file_is_sound(big):
    assert sql.scalar(big, "SELECT count(*) FROM audit WHERE entity = 'member'") == N
    assert big.integrity_problems() == []
