"""The one gateway to SQLite: opening, versions, transactions, settings, units.

`Store` is the only object that runs SQL. Member, procedure and audit queries
live in mixins beside this module so each file stays small, but they all go
through this class's single `sqlite_utils.Database`.
"""

from __future__ import annotations

import contextlib
import getpass
import logging
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.store import backup, schema
from dvdesk.store.deadlines import DeadlinesMixin
from dvdesk.store.errors import (
    KnownError,
    NewerFormat,
    NotDvdeskFile,
    NotFound,
    translate,
)
from dvdesk.store.imports import ImportsMixin
from dvdesk.store.members import MembersMixin
from dvdesk.store.packages import PackagesMixin
from dvdesk.store.procedure_steps import StepsMixin
from dvdesk.store.received import ReceivedMixin
from dvdesk.store.rows import audit_json
from dvdesk.store.settings import Settings
from dvdesk.store.statistics_queries import StatisticsMixin
from dvdesk.store.transfers import TransfersMixin
from dvdesk.store.uri import sqlite_uri

log = logging.getLogger(__name__)
MEMORY = ":memory:"


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Store(
    MembersMixin,
    StepsMixin,
    StatisticsMixin,
    DeadlinesMixin,
    PackagesMixin,
    ReceivedMixin,
    ImportsMixin,
    TransfersMixin,
):
    """An open dvdesk data file."""

    def __init__(self, db: Database, path: Path | None, actor: str) -> None:
        self.db = db
        self.path = path
        self.actor = actor
        self._closed = False

    # -- opening ---------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path = MEMORY,
        *,
        create: bool = True,
        actor: str | None = None,
        migrate: bool = True,
        timeout: float = 3.0,
        read_only: bool = False,
    ) -> Store:
        """Open (or create) a data file, migrating an older format after a backup.

        A file that is refused (not dvdesk's, newer format) is only read, never
        written: its identity is checked before WAL mode or anything else is set.

        Args:
            timeout: seconds to wait for another program's write lock.
            read_only: look without changing a byte (a backup before restoring
                it): no WAL switch, no migration, every write refused.

        Raises:
            KnownError: not a dvdesk file, newer format, locked, damaged, …
        """
        file = None if str(path) == MEMORY else Path(path)
        if file is not None and not create and not file.exists():
            raise NotFound(f"Không tìm thấy tệp dữ liệu “{file}”.")
        if file is not None and file.is_dir():
            raise NotDvdeskFile(f"“{file}” là một thư mục, không phải tệp dữ liệu dvdesk.")
        if file is not None and not _looks_like_sqlite(file):
            # SQLite treats a file shorter than its header as empty and would
            # format it, destroying whatever the user had there.
            raise NotDvdeskFile(f"“{file}” không phải là tệp dữ liệu dvdesk.")
        conn: sqlite3.Connection | None = None
        try:
            if read_only and file is not None:
                conn = sqlite3.connect(sqlite_uri(file, mode="ro"), uri=True, timeout=timeout)
            else:
                conn = sqlite3.connect(str(file) if file else MEMORY, timeout=timeout)
            store = cls(Database(conn), file, actor or _default_actor())
            store._check_identity()
            if read_only:
                return store
            store._configure()
            if migrate:
                store._migrate()
            return store
        except Exception as exc:
            if conn is not None:
                conn.close()
            known = translate(exc, file)
            if known is None:
                raise
            raise known from exc

    def _configure(self) -> None:
        self.db.execute("PRAGMA foreign_keys = ON")
        if self.path is not None:
            # WAL keeps readers working during a write; FULL sync survives power loss.
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
        # 64 MB of page cache: a 200k-member import touches every index page at
        # random (uid, sort key, FTS); with the 2 MB default it spills and thrashes.
        self.db.execute("PRAGMA cache_size = -65536")

    def _user_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def format_version(self) -> tuple[int, int]:
        return schema.decode_version(self._user_version())

    def _check_identity(self) -> None:
        app_id = self.db.execute("PRAGMA application_id").fetchone()[0]
        has_tables = bool(self.db.table_names())
        if has_tables and app_id != schema.APPLICATION_ID:
            raise NotDvdeskFile(
                f"“{self.path}” là một tệp SQLite nhưng không phải tệp dữ liệu dvdesk."
            )
        major, minor = self.format_version()
        if major > schema.FORMAT_MAJOR:
            raise NewerFormat(
                f"Tệp “{self.path}” được tạo bởi phiên bản dvdesk mới hơn (định dạng "
                f"{major}.{minor}, phiên bản này đọc được {schema.FORMAT_MAJOR}.x). "
                "Hãy cập nhật dvdesk rồi mở lại."
            )

    def pending_migrations(self) -> list[str]:
        return [m.name for m in schema.migrations.pending(self.db)]

    def _migrate(self) -> None:
        pending = self.pending_migrations()
        if not pending:
            return
        if self.path is not None and self._user_version() > 0:
            backup.make_backup(self, reason="truoc-nang-cap")
        try:
            schema.migrations.apply(self.db)
        except BaseException:
            # A failed step is rolled back whole; leave no half-open transaction.
            self.db.rollback()
            raise

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the file; calling it again does nothing."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(sqlite3.Error):
            if self.path is not None:
                # Fold the WAL back into the file, but never wait for another process's
                # write to do it (a reader closing would stall for the busy timeout).
                self.db.execute("PRAGMA busy_timeout = 0")
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """All or nothing: SQLite and OS failures surface as `KnownError`.

        The outermost transaction takes the write lock at once (BEGIN IMMEDIATE):
        a deferred one that read first could not upgrade after another process
        committed meanwhile (SQLITE_BUSY_SNAPSHOT), so it would fail instead of
        waiting out the busy timeout. Nested calls become savepoints.
        """
        try:
            if self.db.conn.in_transaction:
                with self.db.atomic():
                    yield self.db
            else:
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    yield self.db
                except BaseException:
                    self.db.rollback()
                    raise
                try:
                    self.db.execute("COMMIT")
                except BaseException:
                    self.db.rollback()
                    raise
        except KnownError:
            raise
        except (sqlite3.Error, OSError) as exc:
            known = translate(exc, self.path)
            if known is None:
                raise
            raise known from exc

    def query(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    def audit(self, action: str, entity: str, uid: str, old: Any, new: Any) -> None:
        """Append to the audit log; call inside the change's own transaction."""
        self.db.execute(
            "INSERT INTO audit (at, actor, action, entity, entity_uid, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                now_iso(),
                self.actor,
                action,
                entity,
                uid,
                None if old is None else audit_json(old),
                None if new is None else audit_json(new),
            ),
        )

    # -- settings ----------------------------------------------------------

    def settings(self) -> Settings:
        pairs = {r["key"]: r["value"] for r in self.db.query("SELECT key, value FROM settings")}
        return Settings.from_pairs(pairs)

    def save_settings(self, settings: Settings) -> None:
        old = self.settings().as_pairs()
        new = settings.as_pairs()
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        if not changed:
            return
        with self.transaction():
            for key, value in changed.items():
                self.db.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            self.audit("update", "settings", "settings", {k: old.get(k) for k in changed}, changed)

    # -- units -------------------------------------------------------------

    def add_unit(self, unit: Unit) -> int:
        code = unit.code.strip().upper()
        name = " ".join(unit.name.split())
        if not code or not name:
            raise KnownError("Đơn vị cần có mã và tên.")
        if self.unit_id(code) is not None:
            raise KnownError(f"Đã có đơn vị mã “{code}”.")
        with self.transaction():
            cur = self.db.execute(
                "INSERT INTO units (commune_code, code, name, kind) VALUES (?, ?, ?, ?)",
                (self.settings().commune_code, code, name, unit.kind.value),
            )
            self.audit(
                "insert", "unit", code, None, {"code": code, "name": name, "kind": unit.kind.value}
            )
            return int(cur.lastrowid or 0)

    def units(self) -> list[Unit]:
        rows = self.db.query(
            "SELECT id, code, name, kind FROM units WHERE deleted_at IS NULL ORDER BY kind, code"
        )
        return [Unit(r["code"], r["name"], UnitKind(r["kind"]), r["id"]) for r in rows]

    def unit_kinds(self) -> dict[str, UnitKind]:
        return {u.code: u.kind for u in self.units()}

    def unit_id(self, code: str) -> int | None:
        return self.scalar(
            "SELECT id FROM units WHERE code = ? AND deleted_at IS NULL "
            "ORDER BY commune_code = ? DESC LIMIT 1",
            (code.strip().upper(), self.settings().commune_code),
        )

    # -- integrity ---------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """`PRAGMA integrity_check` and foreign keys; empty when the file is sound."""
        try:
            rows = [r[0] for r in self.db.execute("PRAGMA integrity_check").fetchall()]
            problems = [] if rows == ["ok"] else rows
            problems += [
                f"Khóa ngoại hỏng: bảng {r[0]} dòng {r[1]}"
                for r in self.db.execute("PRAGMA foreign_key_check").fetchall()
            ]
        except sqlite3.DatabaseError as exc:
            # So damaged the check itself cannot run: that is the answer, not a crash.
            return [f"Tệp bị hỏng ({exc})."]
        return problems


SQLITE_HEADER = b"SQLite format 3\x00"


def _looks_like_sqlite(file: Path) -> bool:
    """True for a missing or empty file (a new one) or one with SQLite's header."""
    try:
        with file.open("rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return True
    except OSError:
        return True  # let SQLite report the real problem (permissions, …)
    return head in (b"", SQLITE_HEADER)


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "dvdesk"
