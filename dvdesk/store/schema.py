"""The file format: tables, indexes, triggers and their migrations.

The format version `major.minor` lives in `PRAGMA user_version` as
major * 1000 + minor so it can be read before anything else. A newer minor is
additive and opens; a newer major is refused. Every schema change is a
migration registered here, applied in order, each in its own transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

FORMAT_MAJOR = 1
FORMAT_MINOR = 11
APPLICATION_ID = 0x64766B31  # "dvk1": marks the file as dvdesk's

MIGRATION_SET = "dvdesk"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of the applied ones

Step = Callable[["Database"], None]


class _Registry:
    """The migrations, in order: sqlite-utils' `Migrations`, built on first use.

    Registering records the functions only; `apply`, `pending` and the rest
    are sqlite-utils' own, so the file records them as before. Importing
    sqlite-utils costs ~50 ms, so a command that only reads (`dvdesk list`)
    asks `pending_names` (plain SQL) and never loads it.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._steps: list[tuple[str, Step]] = []
        self._real: Migrations | None = None

    def __call__(self, *, name: str) -> Callable[[Step], Step]:
        def register(fn: Step) -> Step:
            if any(n == name for n, _ in self._steps):
                raise ValueError(f"Migration {name!r} is already registered")
            self._steps.append((name, fn))
            if self._real is not None:
                self._real(name=name)(fn)
            return fn

        return register

    def names(self) -> list[str]:
        return [n for n, _ in self._steps]

    def pending_names(self, conn: sqlite3.Connection) -> list[str]:
        """The migrations not yet applied to the file of `conn` (what `pending` names)."""
        has_table = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
        ).fetchone()
        applied: set[str] = set()
        if has_table:
            applied = {
                r[0]
                for r in conn.execute(
                    f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [self.name]
                )
            }
        return [n for n in self.names() if n not in applied]

    def _build(self) -> Migrations:
        if self._real is None:
            from sqlite_utils.migrations import Migrations

            real = Migrations(self.name)
            for name, fn in self._steps:
                real(name=name)(fn)
            self._real = real
        return self._real

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._build(), attribute)


migrations = _Registry(MIGRATION_SET)


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


@migrations(name="1.3_roster_sort_key")
def m_roster_sort_key_v2(db: Database) -> None:
    """Format 1.3: the roster order key and the partial-date eligibility days, recomputed.

    The name key now compares the given name with its tone before the surname
    (domain/names.py: every "Anh" before every "Ánh"); the eligibility days
    are now also kept for a partial date of birth, spanning every possible
    birthday (rows.eligibility_columns), so the eligible and upcoming views
    no longer drop those members. Both are derived columns: recomputed from
    the stored name and date of birth, nothing a user entered changes. Runs
    in the migration's transaction; the same text gives the same key, so
    running it again changes nothing.
    """
    from dvdesk.domain.dates import parse_date
    from dvdesk.domain.names import sort_key
    from dvdesk.store.rows import eligibility_columns

    conn = db.conn
    rows = conn.execute("SELECT id, full_name, dob FROM members").fetchall()

    def updated() -> Iterator[tuple[object, ...]]:
        for row_id, full_name, dob in rows:
            cols = eligibility_columns(parse_date(dob))
            yield (
                sort_key(full_name),
                cols["elig_from_a"],
                cols["over_from_a"],
                cols["elig_from_b"],
                cols["over_from_b"],
                row_id,
            )

    conn.executemany(
        "UPDATE members SET name_sort = ?, elig_from_a = ?, over_from_a = ?, "
        "elig_from_b = ?, over_from_b = ? WHERE id = ?",
        updated(),
    )
    _set_version(db, 1, 3)


# The unit kind a step was done in, as the statistics count it (notes/domain.md §8:
# "unit type as at the time"): a THPT student's steps up to their graduation day
# (the school-year end setting of the graduation year) count as a student's even
# after they move to a residential area; anyone in a school unit counts as a
# student. Kept on the step when it is recorded (the triggers), so later changes
# of unit do not rewrite a past year's figures.
_STEP_UNIT_KIND = """(
    SELECT CASE
        WHEN u.kind = 'school' THEN 'school'
        WHEN m.graduation_year IS NOT NULL AND {done} <= printf('%04d-%s', m.graduation_year,
            coalesce((SELECT value FROM settings WHERE key = 'school_year_end'), '05-31'))
            THEN 'school'
        ELSE 'residential'
    END
    FROM members m JOIN units u ON u.id = m.unit_id WHERE m.id = {member}
)"""


@migrations(name="1.4_step_unit_kind")
def m_step_unit_kind(db: Database) -> None:
    """Format 1.4: each step keeps the unit kind (khu dân cư / THPT) it was done in."""
    kind = _STEP_UNIT_KIND
    _run(
        db,
        f"""
ALTER TABLE steps ADD COLUMN unit_kind TEXT CHECK (unit_kind IN ('residential', 'school'));
UPDATE steps SET unit_kind = {kind.format(done="steps.done_on", member="steps.member_id")};
CREATE TRIGGER steps_unit_kind_insert AFTER INSERT ON steps BEGIN
    UPDATE steps SET unit_kind = {kind.format(done="new.done_on", member="new.member_id")}
        WHERE id = new.id;
END;
CREATE TRIGGER steps_unit_kind_update AFTER UPDATE OF state, done_on ON steps BEGIN
    UPDATE steps SET unit_kind = {kind.format(done="new.done_on", member="new.member_id")}
        WHERE id = new.id;
END;
CREATE INDEX steps_statistics ON steps (code, done_on) WHERE state = 'done'
""",
    )
    _set_version(db, 1, 4)


@migrations(name="1.5_party_totals")
def m_party_totals(db: Database) -> None:
    """Format 1.5: the đảng bộ's own figures per year, entered by the officer.

    For the 3–4% target (NQ 21-NQ/TW): Party members at the start of the year
    and new members admitted from outside the tracked Youth Union lists, with
    where the figures come from. A year without a row is "not entered".
    """
    _run(
        db,
        """
CREATE TABLE party_totals (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 1900 AND 2200),
    members_at_start INTEGER CHECK (members_at_start >= 0),
    outside_admitted INTEGER CHECK (outside_admitted >= 0),
    source TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT
""",
    )
    _set_version(db, 1, 5)


@migrations(name="1.6_dossier")
def m_dossier(db: Database) -> None:
    """Format 1.6: what the Party checks in a dossier besides the dated steps (issue #12).

    Introducers, votes, the helping member, education and Youth Union
    membership (`dossiers`), documented exceptions, where each unit's chi bộ
    stands (which forms apply) and, per member, the codes of the violations
    found (`members.dossier_issues`, read by the "cần kiểm tra" view). Steps
    an older version let through out of order are kept as they are: they are
    flagged here and the stage is derived again from the steps that count.
    """
    _run(
        db,
        """
CREATE TABLE dossiers (
    member_id INTEGER PRIMARY KEY REFERENCES members(id),
    helper TEXT NOT NULL DEFAULT '',
    helper_since TEXT,
    education TEXT NOT NULL DEFAULT '',
    union_member INTEGER CHECK (union_member IN (0, 1)),
    checked_version TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;
CREATE TABLE introducers (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('official', 'probationary', 'none')),
    together_since TEXT,
    introduced_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (member_id, seq)
) STRICT;
CREATE TABLE votes (
    member_id INTEGER NOT NULL REFERENCES members(id),
    step_code TEXT NOT NULL,
    in_favour INTEGER NOT NULL,
    total INTEGER NOT NULL,
    present INTEGER,
    PRIMARY KEY (member_id, step_code)
) STRICT;
CREATE TABLE dossier_exceptions (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    rule_code TEXT NOT NULL,
    step_code TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (member_id, rule_code, step_code)
) STRICT;
CREATE TABLE unit_positions (
    unit_id INTEGER PRIMARY KEY REFERENCES units(id),
    position TEXT NOT NULL
) STRICT;
ALTER TABLE members ADD COLUMN dossier_issues TEXT NOT NULL DEFAULT ''
""",
    )
    from dvdesk.domain.procedure import DEFINITION, StepRecord, StepState, stage_of
    from dvdesk.domain.procedure_order import problems

    position = DEFINITION.default_position
    records: dict[int, dict[str, StepRecord]] = {}
    for member_id, code, state, done_on in db.execute(
        "SELECT member_id, code, state, done_on FROM steps ORDER BY member_id"
    ).fetchall():
        if DEFINITION.has_step(code):
            day = date.fromisoformat(done_on) if done_on else None
            records.setdefault(member_id, {})[code] = StepRecord(code, StepState(state), day)
    updates = []
    for member_id, recs in records.items():
        found = problems(DEFINITION, recs, None, position)
        codes = " ".join(dict.fromkeys(p.rule.code for p in found if p.severe))
        updates.append((codes, stage_of(recs, DEFINITION, position).value, member_id))
    db.conn.executemany("UPDATE members SET dossier_issues = ?, stage = ? WHERE id = ?", updates)
    _set_version(db, 1, 6)


@migrations(name="1.6_sort_indexes")
def m_window_sort_indexes(db: Database) -> None:
    """Indexes for sorting the member table by date of birth, class or stage.

    The id list in those orders becomes an index scan instead of a sort of
    every row (1.5 s at 200,000 members), and the window's first screen of a
    sorted list (a LIMIT read) is immediate. Indexes only: the format version
    stays, and an older dvdesk reads the file as before.
    """
    _run(
        db,
        """
CREATE INDEX IF NOT EXISTS members_by_dob ON members (deleted_at, dob, name_sort);
CREATE INDEX IF NOT EXISTS members_by_class ON members (deleted_at, school_class, name_sort);
CREATE INDEX IF NOT EXISTS members_by_stage ON members (deleted_at, stage, name_sort);
""",
    )


@migrations(name="1.7_member_office_fields")
def m_member_office_fields(db: Database) -> None:
    """Format 1.7: the member fields offices keep (domain/fields.py), empty for old rows.

    Nơi vào Đoàn, số thẻ đoàn viên, chức vụ Đoàn, the two-level address (xã,
    tỉnh), trình độ học vấn, nghề nghiệp / nơi làm việc. Adding a column that
    is already there is skipped, so running it again changes nothing.
    """
    existing = {c.name for c in db["members"].columns}
    for column in (
        "union_joined_place",
        "union_card_no",
        "union_position",
        "residence_commune",
        "residence_province",
        "education",
        "occupation",
    ):
        if column not in existing:
            db.execute(f"ALTER TABLE members ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    _set_version(db, 1, 7)


@migrations(name="1.8_signing_keys")
def m_signing_keys(db: Database) -> None:
    """Format 1.8: signed packages, the communes' keys, transfer files.

    `signing_key` holds this data file's own Ed25519 key (one row, made here,
    so a new file has it from its creation and every backup carries it);
    `commune_keys` the public key the receiving level recorded for each
    commune on its first package. `transfers` gains the letter number, the
    transfer file's id and the receiver's confirmation; `transfers_in` keeps
    the transfer files a receiving organisation loaded. `received_packages`
    keeps each commune's party membership and target (for its summary line);
    `members_commune` finds one commune's rows without reading the others'
    (a merge of a hundred communes read the whole table once per package).
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    _run(
        db,
        """
CREATE TABLE signing_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    private_key BLOB NOT NULL CHECK (length(private_key) = 32),
    public_key BLOB NOT NULL CHECK (length(public_key) = 32),
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE commune_keys (
    commune_code TEXT PRIMARY KEY,
    commune_name TEXT NOT NULL,
    public_key BLOB NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
ALTER TABLE transfers ADD COLUMN letter_number TEXT NOT NULL DEFAULT '';
ALTER TABLE transfers ADD COLUMN transfer_id TEXT;
ALTER TABLE transfers ADD COLUMN confirmed_at TEXT;
CREATE UNIQUE INDEX transfers_id ON transfers (transfer_id) WHERE transfer_id IS NOT NULL;
CREATE TABLE transfers_in (
    id INTEGER PRIMARY KEY,
    transfer_id TEXT NOT NULL UNIQUE,
    member_id INTEGER NOT NULL REFERENCES members(id),
    from_name TEXT NOT NULL,
    from_code TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL,
    letter_number TEXT NOT NULL DEFAULT '',
    on_date TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
CREATE INDEX transfers_in_member ON transfers_in (member_id);
CREATE INDEX members_commune ON members (commune_code, deleted_at);
ALTER TABLE received_packages ADD COLUMN party_members INTEGER NOT NULL DEFAULT 0;
ALTER TABLE received_packages ADD COLUMN target_percent REAL NOT NULL DEFAULT 3.0
""",
    )
    key = Ed25519PrivateKey.generate()
    db.execute(
        "INSERT INTO signing_key (id, private_key, public_key, created_at) "
        "VALUES (1, ?, ?, datetime('now', 'localtime'))",
        [
            key.private_bytes_raw(),
            key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
        ],
    )
    _set_version(db, 1, 8)


@migrations(name="1.9_sort_indexes")
def m_sort_indexes(db: Database) -> None:
    """Format 1.9: indexes to sort the member table by gender, presence, eligible-from; digits.

    With 1.6's (date of birth, class, stage) and the name index, every column
    of the window's table but the unit (a small sort on the join) reads its
    ids by an index scan: the first screen of a sorted list (a LIMIT read) is
    immediate and the whole list costs ~0.1 s instead of a sort of every row.
    `members_digits` lets a search for the last digits of a CCCD or phone
    number scan a small index rather than every member's row (0.45 → 0.1 s).
    """
    _run(
        db,
        """
CREATE INDEX IF NOT EXISTS members_by_gender ON members (deleted_at, gender, name_sort);
CREATE INDEX IF NOT EXISTS members_by_presence ON members (deleted_at, presence, name_sort);
CREATE INDEX IF NOT EXISTS members_by_elig_a ON members (deleted_at, elig_from_a, name_sort);
CREATE INDEX IF NOT EXISTS members_digits ON members (cccd, phone);
""",
    )
    _set_version(db, 1, 9)


@migrations(name="1.10_exact_name_index")
def m_exact_name_index(db: Database) -> None:
    """An index on the search text, for "the exact name first" in search as you type.

    The window shows the first screen of a search before reading every match:
    the members whose whole name is what was typed ("Nguyễn Văn Đức" before
    "Nguyễn Văn Đức An") are then two lookups in this index instead of a read
    of every matching row (0.4 s at 200,000 members). Index only: the format
    version stays, and an older dvdesk reads the file as before.
    """
    _run(db, "CREATE INDEX IF NOT EXISTS members_search ON members (search_text)")


@migrations(name="1.10_latest_eligible")
def m_latest_eligible(db: Database) -> None:
    """Format 1.10: the last possible 18th birthday of a partial date of birth.

    `elig_to_a` / `elig_to_b` (rows.eligibility_columns) are set for members
    whose date of birth is a month or a year only, NULL otherwise; the
    upcoming view keeps such a member whenever one possible birthday makes
    them of age in its months, instead of judging by the earliest one. A
    derived column, recomputed from the stored date; running it again
    changes nothing.
    """
    from dvdesk.domain.dates import parse_date
    from dvdesk.store.rows import eligibility_columns

    existing = {c.name for c in db["members"].columns}
    for column in ("elig_to_a", "elig_to_b"):
        if column not in existing:
            db.execute(f"ALTER TABLE members ADD COLUMN {column} TEXT")
    conn = db.conn
    partial = conn.execute(
        "SELECT id, dob FROM members WHERE dob IS NOT NULL AND length(dob) < 10"
    ).fetchall()
    updates = []
    for row_id, dob in partial:
        cols = eligibility_columns(parse_date(dob))
        updates.append((cols["elig_to_a"], cols["elig_to_b"], row_id))
    conn.executemany("UPDATE members SET elig_to_a = ?, elig_to_b = ? WHERE id = ?", updates)
    _set_version(db, 1, 10)


@migrations(name="1.11_received_party_totals")
def m_received_party_totals(db: Database) -> None:
    """Format 1.11: at the receiving level, each commune's yearly đảng bộ figures.

    The rows of a commune's `party_totals` as its last package carried them
    (party_totals.csv, package format 1.3), replaced on every merge, so the
    3–4% target per commune uses the commune's own figures.
    """
    _run(
        db,
        """
CREATE TABLE received_party_totals (
    commune_code TEXT NOT NULL,
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    members_at_start INTEGER CHECK (members_at_start >= 0),
    outside_admitted INTEGER CHECK (outside_admitted >= 0),
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (commune_code, year)
) STRICT
""",
    )
    _set_version(db, 1, 11)


CORE_TABLES = frozenset({"settings", "units", "members", "steps", "audit"})  # since 1.0
_expected: frozenset[str] | None = None


def expected_tables() -> frozenset[str]:
    """The tables a fully migrated file has (computed once from the migrations)."""
    global _expected
    if _expected is None:
        from sqlite_utils import Database

        db = Database(sqlite3.connect(":memory:"))
        try:
            migrations.apply(db)
            _expected = frozenset(db.table_names())
        finally:
            db.close()
    return _expected
