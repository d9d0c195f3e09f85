"""The first block of a list: the same ids, in the same order, as the whole list.

`first_block` reads a list's first screen without sorting every match (a walk of
the name order for a search with many matches, unit after unit, LIMIT reads);
each answer is checked here against the whole list read by `ids` (one ORDER BY)
and the count against raw SQL of the test's own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dvdesk import demo
from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import Member
from dvdesk.domain.names import fold
from dvdesk.store import members as members_module
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery, fts_query, is_exact_name, matches
from dvdesk.store.members import ORDERS
from tests import sql

TODAY = date(2026, 11, 26)
SEARCHES = ("n", "ng", "nguyen", "nguyen ", "nguyen van", "nguyen van duc", "van", "thi", "s")
SEARCHES += ("soren", "h hen", "nguyen van d")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    path = Path(tmp_path_factory.mktemp("first-block")) / "demo.db"
    store = Store.open(path)
    demo.build(store, 1500, seed=3, today=TODAY)
    unit = store.units.all()[0].code
    people = [
        # Exact names of a search, and longer ones, some with a CCCD (then digits).
        ("Nguyễn Văn", "001201000001"),
        ("Nguyễn Văn Đức", ""),
        ("Nguyễn Văn Đức", "001201000002"),
        ("Nguyễn Văn Đức An", ""),
        ("Nguyễn Văn Đức Anh", "001201000003"),
        # Text the index judges itself (ø is kept by the fold), and punctuation.
        ("Nguyễn Søren", ""),
        ("H'Hen Niê", ""),
        ("Nguyễn Văn Xóa", ""),
    ]
    for name, cccd in people:
        store.members.add(Member(name, unit, dob=parse_date("01/02/2001"), cccd=cccd), TODAY)
    gone = [r["uid"] for r in store.members.list(MemberQuery(search="nguyen"))[:5]]
    for uid in gone:
        store.members.delete(uid)
    # Another commune's unit with the same code: the unit order merges them by name.
    sql.execute(
        store,
        "INSERT INTO units (commune_code, code, name, kind) VALUES ('X99', ?, 'Khác xã', ?)",
        [unit, "residential"],
    )
    other = sql.scalar(store, "SELECT id FROM units WHERE commune_code = 'X99'")
    sql.execute(store, "UPDATE members SET unit_id = ? WHERE id % 7 = 0", [other])
    sql.raw(store).commit()
    yield store
    store.close()


def live_matches(store: Store, text: str) -> int:
    """The test's own count: FTS matches joined to live members."""
    return int(
        sql.scalar(
            store,
            "SELECT count(*) FROM members_fts JOIN members m ON m.id = members_fts.rowid "
            "WHERE members_fts MATCH ? AND m.deleted_at IS NULL",
            [fts_query(text)],
        )
    )


@pytest.mark.parametrize("text", SEARCHES)
@pytest.mark.parametrize("limit", [7, 50])
@pytest.mark.parametrize("descending", [False, True])
def test_a_search_starts_as_the_whole_list_does(store, text, limit, descending):
    query = MemberQuery(search=text)
    whole = store.members.ids(query, descending=descending)
    block = store.members.first_block(query, descending=descending, limit=limit)
    assert list(block.ids) == whole[: len(block.ids)]
    assert len(block.ids) == min(limit, len(whole)) or len(block.ids) == len(whole)
    assert block.total == len(whole) == live_matches(store, text)


def test_many_matches_are_walked_in_name_order_not_sorted(store, monkeypatch):
    walked = []
    real = store.members._searched_head

    def spy(*args, **kwargs):
        walked.append(result := real(*args, **kwargs))
        return result

    monkeypatch.setattr(store.members, "_searched_head", spy)
    query = MemberQuery(search="n")
    block = store.members.first_block(query, limit=7)
    assert walked and walked[0] is not None  # the walk filled the block
    assert list(block.ids) == store.members.ids(query)[:7]


@pytest.mark.parametrize("limit", [2, 50])
def test_the_exact_name_comes_first_in_the_block_too(store, limit):
    query = MemberQuery(search="nguyen van duc")
    block = store.members.first_block(query, limit=limit)
    rows = store.members.rows(block.ids)
    exact = [fold(rows[i]["full_name"]) == "nguyen van duc" for i in block.ids]
    assert exact[0] and exact == sorted(exact, reverse=True)  # every exact name first
    assert not all(exact) or limit == 2


@pytest.mark.parametrize("order", sorted(ORDERS))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    "query",
    [
        MemberQuery(),
        MemberQuery(eligible_on=TODAY),
        MemberQuery(search="nguyen"),
        MemberQuery(search="0012"),  # digits: the CCCD's start or end
        MemberQuery(search="nguyen", stages=("member",)),
    ],
    ids=["all", "eligible", "search", "digits", "search-in-view"],
)
def test_every_order_starts_as_the_whole_list_does(store, order, descending, query):
    whole = store.members.ids(query, order=order, descending=descending)
    block = store.members.first_block(query, order=order, descending=descending, limit=40)
    assert list(block.ids) == whole[: len(block.ids)]
    assert block.total == len(whole) == store.members.count(query)
    assert len(block.ids) == min(40, len(whole)) or len(block.ids) == len(whole)


def test_the_first_block_is_the_default_size(store, monkeypatch):
    monkeypatch.setattr(members_module, "FIRST_BLOCK", 11)
    assert len(store.members.first_block().ids) == 11


def test_a_known_count_is_not_counted_again(store, monkeypatch):
    monkeypatch.setattr(store.members, "count", lambda query: pytest.fail("counted"))
    block = store.members.first_block(MemberQuery(), total=1234, limit=5)
    assert block.total == 1234 and len(block.ids) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nguyen van duc", True),
        ("nguyen van duc 001201000002", True),
        ("h'hen nie", True),  # H'Hen: the index's words are h and hen
        ("nguyen van duc-an", True),
        ("nguyenvan duc", True),  # "nguyen" begins "nguyenvan"
        ("van duc", False),
        ("nguyen søren", None),  # only the index can tell
    ],
)
def test_the_match_rule_is_the_index_rule(text, expected):
    tokens = ["nguyen", "d"] if "duc" in text else ["h", "he"] if "hen" in text else ["ngu"]
    assert matches(tokens, text) is expected


def test_the_match_rule_agrees_with_the_index_on_every_member(store):
    texts = dict(sql.raw(store).execute("SELECT id, search_text FROM members"))
    for typed in SEARCHES:
        tokens = MemberQuery(search=typed).name_tokens()
        by_index = {
            r[0]
            for r in sql.raw(store).execute(
                "SELECT rowid FROM members_fts WHERE members_fts MATCH ?", [fts_query(typed)]
            )
        }
        for row_id, text in texts.items():
            hit = matches(tokens, text)
            if hit is not None:
                assert hit == (row_id in by_index), (typed, text)


def test_an_exact_name_is_the_name_then_only_numbers():
    assert is_exact_name("nguyen van duc", "nguyen van duc")
    assert is_exact_name("nguyen van duc", "nguyen van duc 0012 0912")
    assert not is_exact_name("nguyen van duc", "nguyen van duc an")
    assert not is_exact_name("nguyen van duc", "nguyen van duc ")
    assert not is_exact_name("nguyen van", "nguyen van duc")
