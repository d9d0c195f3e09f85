"""SIGKILL a `dvdesk` process while it upgrades a format-1.0 file to the current format."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from dvdesk import demo
from dvdesk.store import backup, schema
from dvdesk.store.gateway import Store
from dvdesk.store.rows import MEMBER_ROW_COLUMNS as member_columns
from tests import sql
from tests.safety.killing import Contents, assert_audit_matches, contents, dvdesk, kill_after, run
from tests.safety.killing import timed as time_of

OLD = "1.1_holidays_transfers"
CURRENT = (schema.FORMAT_MAJOR, schema.FORMAT_MINOR)
# Tables each format adds over 1.0, cumulatively.
TABLES_OF = {
    (1, 0): set(),
    (1, 1): {"holidays", "transfers"},
    (1, 2): {"holidays", "transfers", "received_packages", "received_audit"},
    (1, 3): {"holidays", "transfers", "received_packages", "received_audit"},  # columns only
    (1, 5): {"holidays", "transfers", "received_packages", "received_audit", "party_totals"},
    (1, 8): {"holidays", "transfers", "received_packages", "received_audit", "party_totals"}
    | {"dossiers", "introducers", "votes", "dossier_exceptions", "unit_positions"}
    | {"signing_key", "commune_keys", "transfers_in"},
}
ALL_NEW = set().union(*TABLES_OF.values())
STEPS = {(1, minor) for minor in range(schema.FORMAT_MINOR + 1)}


def make_format_10(path: Path, members: int) -> None:
    """A file as dvdesk 1.0 left it: the first migration only, with a demo commune."""
    with Store.open(path, migrate=False) as store:
        db = sql.database(store)
        schema.migrations.apply(db, stop_before=OLD)
        assert store.format_version() == (1, 0)
        # Today's code writes the member columns of later formats (fields, and derived
        # ones such as elig_to_a): add them for the demo, then drop them, so the file
        # is exactly what 1.0 had.
        later = [c for c in member_columns if c not in {x.name for x in db["members"].columns}]
        for c in later:
            db.execute(f"ALTER TABLE members ADD COLUMN {c} TEXT")
        demo.build(store, members, seed=3)
        for c in later:
            db.execute(f"ALTER TABLE members DROP COLUMN {c}")


@pytest.fixture(scope="module")
def format_10(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Contents]:
    path = tmp_path_factory.mktemp("v10") / "xa.db"
    make_format_10(path, 1500)
    before = contents(path)
    assert before.version == (1, 0) and "holidays" not in before.tables
    return path, before


def test_format_10_file_opens_migrated_with_a_backup(tmp_path: Path, format_10) -> None:
    template, before = format_10
    db = tmp_path / "xa.db"
    shutil.copy(template, db)
    # Reading commands (`check`, `list`) never migrate; `upgrade` (like the window) does.
    result = run("upgrade", "--db", db)
    assert result.returncode == 0, result.stderr
    after = contents(db)
    assert after.version == CURRENT
    assert after.digest == before.digest
    (saved,) = backup.backups(db)
    assert "truoc-nang-cap" in saved.name
    assert contents(saved) == before


def test_killed_migration_leaves_old_or_new_format_never_half(tmp_path: Path, format_10) -> None:
    template, before = format_10
    probe = tmp_path / "sql.database(probe)"
    shutil.copy(template, probe)
    full = time_of(dvdesk("upgrade", "--db", probe))
    rng = random.Random(10)
    seen = set()
    for i in range(6):
        db = tmp_path / f"run{i}" / "xa.db"
        db.parent.mkdir()
        shutil.copy(template, db)
        # Aim at the second half of the run, where the backup and migration happen.
        kill_after(dvdesk("upgrade", "--db", db), rng.uniform(0.4, 1.0) * full)
        c = contents(db)
        assert_audit_matches(c)
        assert c.digest == before.digest and c.members == before.members
        # Each migration is its own transaction: any format from 1.0 to the current
        # one, with exactly the tables that format has.
        assert c.version in STEPS
        if c.version in TABLES_OF:
            assert {t for t in c.tables if t in ALL_NEW} == TABLES_OF[c.version]
        seen.add(c.version)
        # Any backup that is visible is whole: it was written under a temporary name.
        for saved in backup.backups(db):
            assert contents(saved) == before
        # The next start finishes the job.
        assert run("upgrade", "--db", db).returncode == 0
        assert contents(db).version == CURRENT
        # A copy cut short by the kill is cleaned up by the next backup, not kept forever.
        assert list(backup.backup_dir(db).glob("*.tmp")) == []
    assert seen <= STEPS
