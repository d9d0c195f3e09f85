"""Migration 1.3_roster_sort_key: an older file gets the new roster key and partial-date days."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from dvdesk.domain.dates import parse_date
from dvdesk.domain.names import sort_key
from dvdesk.store.gateway import Store
from dvdesk.store.rows import eligibility_columns

FIXTURE = Path(__file__).parents[1] / "fixtures" / "dvdesk-v1.0.db"
COLUMNS = ("elig_from_a", "over_from_a", "elig_from_b", "over_from_b")


def stored(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            f"SELECT full_name, dob, name_sort, {', '.join(COLUMNS)} FROM members ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


def test_an_older_file_is_migrated_to_the_new_keys(tmp_path):
    path = tmp_path / "xa.db"
    shutil.copy(FIXTURE, path)
    before = stored(path)
    assert any(dob and len(dob) < 10 and elig is None for _, dob, _, elig, *_ in before)
    with Store.open(path):
        pass
    after = stored(path)
    assert [r[:2] for r in after] == [r[:2] for r in before]  # nothing entered changed
    for full_name, dob, key, *days in after:
        assert key == sort_key(full_name)
        expected = eligibility_columns(parse_date(dob))
        assert tuple(days) == tuple(expected[c] for c in COLUMNS)
        if dob:
            assert all(days), full_name  # partial dates too: they are no longer dropped
    # Opening again applies nothing more.
    with Store.open(path) as store:
        assert store.pending_migrations() == []
    assert stored(path) == after
