"""The one gateway to a data file: opening, versions, transactions, integrity.

`Store` holds no SQL of its own beyond opening: the repositories composed on
it (store.members, store.steps, …, one small class per module) do the work,
all through one private `Connection` (connection.py). Nothing outside
`dvdesk/store/` reaches SQLite: there is no public `db`, `query` or `scalar`
(tests that look inside a file use tests/sql.py).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from dvdesk.errors import KnownError, NotFound
from dvdesk.store import schema
from dvdesk.store.connection import Connection, now_iso
from dvdesk.store.errors import NewerFormat, NotDvdeskFile, translate
from dvdesk.store.uri import sqlite_uri

if TYPE_CHECKING:
    from dvdesk.store.audit import AuditRepo
    from dvdesk.store.deadlines import HolidaysRepo
    from dvdesk.store.dossier import DossierRepository
    from dvdesk.store.dossier_rows import DossierRows
    from dvdesk.store.imports import ImportsRepo
    from dvdesk.store.members import MembersRepo
    from dvdesk.store.packages import PackagesRepo
    from dvdesk.store.procedure_steps import StepsRepo
    from dvdesk.store.received import ReceivedRepo
    from dvdesk.store.received_index import ReceivedIndex
    from dvdesk.store.settings import SettingsRepo
    from dvdesk.store.statistics_queries import StatisticsRepo
    from dvdesk.store.transfers import TransfersRepo
    from dvdesk.store.units import UnitsRepo

__all__ = ["MEMORY", "Store", "now_iso"]  # now_iso: for older imports

log = logging.getLogger(__name__)
MEMORY = ":memory:"


class Store:
    """An open dvdesk data file: a thin gateway over composed repositories.

    Each repository is a small class given the one private `Connection`
    (which runs every statement, translates errors, owns transactions and the
    audit write): `members`, `steps`, `holidays`, `settings`, `units`,
    `statistics`, `packages`, `received` (and its light half `received_index`),
    `imports`, `transfers`, `audit`, and `dossier` (the steps' dossier data and
    checks, store/dossier.py).
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._closed = False

    # Each repository is made (and its module imported) on first use: a command
    # that reads the statistics does not load the members', dossiers' or
    # packages' code (CLI start-up, issue #11).

    @cached_property
    def settings(self) -> SettingsRepo:
        from dvdesk.store.settings import SettingsRepo

        return SettingsRepo(self._conn)

    @cached_property
    def units(self) -> UnitsRepo:
        from dvdesk.store.units import UnitsRepo

        return UnitsRepo(self._conn, self.settings)

    @cached_property
    def members(self) -> MembersRepo:
        from dvdesk.store.members import MembersRepo

        return MembersRepo(self._conn, self.settings, self.units)

    @cached_property
    def holidays(self) -> HolidaysRepo:
        from dvdesk.store.deadlines import HolidaysRepo

        return HolidaysRepo(self._conn)

    @cached_property
    def steps(self) -> StepsRepo:
        from dvdesk.store.procedure_steps import StepsRepo

        return StepsRepo(self._conn, self.members, self.settings, self.holidays, self.units)

    @cached_property
    def dossier(self) -> DossierRepository:
        return self.steps.dossier

    @cached_property
    def dossier_rows(self) -> DossierRows:
        from dvdesk.store.dossier_rows import DossierRows

        return DossierRows(self._conn)

    @cached_property
    def statistics(self) -> StatisticsRepo:
        from dvdesk.store.statistics_queries import StatisticsRepo

        return StatisticsRepo(self._conn, self.settings)

    @cached_property
    def packages(self) -> PackagesRepo:
        from dvdesk.store.packages import PackagesRepo

        return PackagesRepo(self._conn, self.settings)

    @cached_property
    def received(self) -> ReceivedRepo:
        from dvdesk.store.received import ReceivedRepo

        return ReceivedRepo(self._conn, self.packages)

    @cached_property
    def received_index(self) -> ReceivedIndex:
        from dvdesk.store.received_index import ReceivedIndex

        return ReceivedIndex(self._conn)

    @cached_property
    def imports(self) -> ImportsRepo:
        from dvdesk.store.imports import ImportsRepo

        return ImportsRepo(self._conn, self.units, self.members)

    @cached_property
    def transfers(self) -> TransfersRepo:
        from dvdesk.store.transfers import TransfersRepo

        return TransfersRepo(self._conn, self.members)

    @cached_property
    def audit(self) -> AuditRepo:
        from dvdesk.store.audit import AuditRepo

        return AuditRepo(self._conn)

    @property
    def path(self) -> Path | None:
        return self._conn.path

    @property
    def actor(self) -> str:
        return self._conn.actor

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
        any_thread: bool = False,
    ) -> Store:
        """Open (or create) a data file, migrating an older format after a backup.

        A file that is refused (not dvdesk's, newer format) is only read, never
        written: its identity is checked before WAL mode or anything else is set.

        Args:
            timeout: seconds to wait for another program's write lock.
            read_only: look without changing a byte (a backup before restoring
                it): no WAL switch, no migration, every write refused.
            any_thread: a read-only file that threads hand on to each other (one at
                a time): the window keeps a few open so quick reads start warm.

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
                conn = sqlite3.connect(
                    sqlite_uri(file, mode="ro"),
                    uri=True,
                    timeout=timeout,
                    check_same_thread=not any_thread,
                )
            else:
                conn = sqlite3.connect(str(file) if file else MEMORY, timeout=timeout)
            store = cls(Connection(conn, file, actor or _default_actor()))
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
        execute = self._conn.execute
        execute("PRAGMA foreign_keys = ON")
        if self.path is not None:
            # WAL keeps readers working during a write; FULL sync survives power loss.
            execute("PRAGMA journal_mode = WAL")
            execute("PRAGMA synchronous = FULL")
        # 64 MB of page cache: a 200k-member import touches every index page at
        # random (uid, sort key, FTS); with the 2 MB default it spills and thrashes.
        execute("PRAGMA cache_size = -65536")

    def _user_version(self) -> int:
        return int(self._conn.scalar("PRAGMA user_version"))

    def format_version(self) -> tuple[int, int]:
        return schema.decode_version(self._user_version())

    def _check_identity(self) -> None:
        app_id = self._conn.scalar("PRAGMA application_id")
        has_tables = bool(self._conn.table_names())
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
        with self._conn.guard():
            return schema.migrations.pending_names(self._conn.sqlite)

    def _migrate(self) -> None:
        pending = self.pending_migrations()
        if not pending:
            return
        if self.path is not None and self._user_version() > 0:
            from dvdesk.store import backup

            backup.make_backup(self, reason="truoc-nang-cap")
        try:
            with self._conn.guard():
                schema.migrations.apply(self._conn.database)
        except BaseException:
            # A failed step is rolled back whole; leave no half-open transaction.
            self._conn.rollback()
            raise

    @property
    def closed(self) -> bool:
        return self._closed

    def interrupt(self) -> None:
        """Stop the statement running on this file's connection (from any thread): it
        fails with SQLite's "interrupted"."""
        self._conn.interrupt()

    def stop_when(self, stop: threading.Event | None) -> None:
        """Every statement from now on fails as interrupted once `stop` is set (None: no
        longer): a read that `interrupt` would miss, just before its statement starts."""
        self._conn.stop_when(stop)

    def close(self) -> None:
        """Close the file; calling it again does nothing."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(KnownError, sqlite3.Error):
            if self.path is not None:
                # Fold the WAL back into the file, but never wait for another process's
                # write to do it (a reader closing would stall for the busy timeout).
                self._conn.execute("PRAGMA busy_timeout = 0")
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """All or nothing across several repository writes (BEGIN IMMEDIATE; nested: savepoint).

        SQLite and OS failures surface as `KnownError`.
        """
        return self._conn.transaction()

    def copy_to(self, target: Path) -> None:
        """A consistent copy of this file at `target` (written whole, then renamed)."""
        from dvdesk.store import backup

        with self._conn.guard():
            backup.copy_file(self._conn.sqlite, target)

    # -- integrity ---------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """`PRAGMA integrity_check` and foreign keys; empty when the file is sound."""
        raw = self._conn.sqlite
        try:
            rows = [r[0] for r in raw.execute("PRAGMA integrity_check").fetchall()]
            problems = [] if rows == ["ok"] else rows
            problems += [
                f"Khóa ngoại hỏng: bảng {r[0]} dòng {r[1]}"
                for r in raw.execute("PRAGMA foreign_key_check").fetchall()
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
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "dvdesk"
