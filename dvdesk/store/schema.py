"""The file format: tables, indexes, triggers and their migrations.

The format version `major.minor` lives in `PRAGMA user_version` as
major * 1000 + minor so it can be read before anything else. A newer minor is
additive and opens; a newer major is refused. Every schema change is a
migration registered here, applied in order, each in its own transaction.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

FORMAT_MAJOR = 1
FORMAT_MINOR = 2
APPLICATION_ID = 0x64766B31  # "dvk1": marks the file as dvdesk's

migrations = Migrations("dvdesk")


def encode_version(major: int, minor: int) -> int:
    return major * 1000 + minor


def decode_version(user_version: int) -> tuple[int, int]:
    return divmod(user_version, 1000)


def _set_version(db: Database, major: int, minor: int) -> None:
    # user_version is in the file header and commits with the migration's transaction.
    db.execute(f"PRAGMA user_version = {encode_version(major, minor)}")


def _run(db: Database, script: str) -> None:
    # executescript would COMMIT the migration's transaction; run statements one by one.
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            db.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.execute(buffer)


@migrations(name="1.0_initial")
def _initial(db: Database) -> None:
    """Format 1.0: settings, units, members, procedure steps, audit log."""
    _run(
        db,
        """
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    commune_code TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('residential', 'school')),
    deleted_at TEXT,
    UNIQUE (commune_code, code)
) STRICT;
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    commune_code TEXT NOT NULL DEFAULT '',
    unit_id INTEGER NOT NULL REFERENCES units(id),
    full_name TEXT NOT NULL CHECK (full_name <> ''),
    name_sort TEXT NOT NULL,
    search_text TEXT NOT NULL,
    gender TEXT CHECK (gender IN ('nam', 'nu')),
    dob TEXT,
    dob_precision TEXT CHECK (dob_precision IN ('day', 'month', 'year')),
    elig_from_a TEXT,
    over_from_a TEXT,
    elig_from_b TEXT,
    over_from_b TEXT,
    cccd TEXT NOT NULL DEFAULT '',
    ethnicity TEXT NOT NULL DEFAULT '',
    religion TEXT NOT NULL DEFAULT '',
    hometown TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    school_class TEXT NOT NULL DEFAULT '',
    school_year TEXT NOT NULL DEFAULT '',
    graduation_year INTEGER,
    union_joined TEXT,
    union_officer INTEGER NOT NULL DEFAULT 0,
    union_extended INTEGER NOT NULL DEFAULT 0,
    presence TEXT NOT NULL DEFAULT 'at_home',
    phone TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    stage TEXT NOT NULL DEFAULT 'member',
    issue_codes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
) STRICT;
CREATE INDEX members_sort ON members (deleted_at, name_sort);
CREATE INDEX members_unit ON members (unit_id, name_sort);
CREATE INDEX members_elig_a ON members (elig_from_a);
CREATE INDEX members_stage ON members (stage);
CREATE UNIQUE INDEX members_cccd ON members (commune_code, cccd)
    WHERE cccd <> '' AND deleted_at IS NULL;
CREATE VIRTUAL TABLE members_fts USING fts5 (
    search_text, content='members', content_rowid='id', tokenize='unicode61'
);
CREATE TRIGGER members_fts_insert AFTER INSERT ON members BEGIN
    INSERT INTO members_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER members_fts_delete AFTER DELETE ON members BEGIN
    INSERT INTO members_fts (members_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER members_fts_update AFTER UPDATE OF search_text ON members BEGIN
    INSERT INTO members_fts (members_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO members_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    code TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('not_started', 'done', 'not_applicable')),
    done_on TEXT,
    doc_number TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (member_id, code)
) STRICT;
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_uid TEXT NOT NULL,
    old TEXT,
    new TEXT
) STRICT;
CREATE INDEX audit_entity ON audit (entity_uid, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END
""",
    )
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    _set_version(db, 1, 0)


@migrations(name="1.1_holidays_transfers")
def _holidays_transfers(db: Database) -> None:
    """Format 1.1: holidays, student transfers (chuyển nguồn), a covering list index.

    Every list and view filters on these columns and orders by the name key;
    with all of them in one index a list of 200,000 members is read from the
    index alone, never row by row from the table.
    """
    _run(
        db,
        """
CREATE TABLE holidays (
    day TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    on_date TEXT NOT NULL,
    to_organisation TEXT NOT NULL,
    documents TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX transfers_member ON transfers (member_id);
DROP INDEX members_sort;
DROP INDEX members_elig_a;
CREATE INDEX members_list ON members (
    deleted_at, name_sort, unit_id, elig_from_a, over_from_a, elig_from_b, over_from_b,
    stage, presence, graduation_year, issue_codes
)
""",
    )
    _set_version(db, 1, 1)


@migrations(name="1.2_received_packages")
def _received_packages(db: Database) -> None:
    """Format 1.2: packages merged at the receiving level and the audit they carried.

    `received_packages` keeps the last sequence merged per commune so a repeated
    or older package changes nothing; `received_audit` keeps each commune's
    audit log as it arrived (the local `audit` table records the merge itself).
    """
    _run(
        db,
        """
CREATE TABLE received_packages (
    commune_code TEXT PRIMARY KEY,
    commune_name TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    app_version TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    merged_at TEXT NOT NULL
) STRICT;
CREATE TABLE received_audit (
    id INTEGER PRIMARY KEY,
    commune_code TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_uid TEXT NOT NULL,
    old TEXT,
    new TEXT
) STRICT;
CREATE INDEX received_audit_commune ON received_audit (commune_code, sequence)
""",
    )
    _set_version(db, 1, 2)


CORE_TABLES = frozenset({"settings", "units", "members", "steps", "audit"})  # since 1.0
_expected: frozenset[str] | None = None


def expected_tables() -> frozenset[str]:
    """The tables a fully migrated file has (computed once from the migrations)."""
    global _expected
    if _expected is None:
        db = Database(sqlite3.connect(":memory:"))
        try:
            migrations.apply(db)
            _expected = frozenset(db.table_names())
        finally:
            db.close()
    return _expected
