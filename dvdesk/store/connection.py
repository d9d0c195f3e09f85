"""The one door to SQLite inside the store (private to `dvdesk.store`).

`Connection` owns the `sqlite_utils.Database` of an open file. Every statement
the repositories run goes through it, reads included, so any SQLite or OS
failure reaches the caller as a Vietnamese `KnownError` (translated by result
code in `store/errors.py`) and a bug stays a bug. It also owns transactions
(BEGIN IMMEDIATE, savepoints when nested) and the audit write.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.errors import KnownError
from dvdesk.store import schema
from dvdesk.store.errors import translate

if TYPE_CHECKING:
    from sqlite_utils import Database

Params = Sequence[Any] | dict[str, Any]
AUDIT_INSERT = (
    "INSERT INTO audit (at, actor, action, entity, entity_uid, old, new) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Connection:
    """One open data file's SQLite connection, guarded."""

    def __init__(self, raw: sqlite3.Connection, path: Path | None, actor: str) -> None:
        self._raw = raw
        self._sqlite_utils: Database | None = None
        self.path = path
        self.actor = actor
        self._savepoints = 0  # savepoints made, for unique names

    # -- error translation ---------------------------------------------------

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Turn an SQLite or OS failure into the `KnownError` it means."""
        try:
            yield
        except KnownError:
            raise
        except (sqlite3.Error, OSError) as exc:
            known = translate(exc, self.path, self._schema_damaged)
            if known is None:
                raise
            raise known from exc

    def _schema_damaged(self) -> bool:
        """True when the file lacks tables it must have (damaged, or not dvdesk's)."""
        try:
            present = {
                r[0]
                for r in self._raw.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table'"
                ).fetchall()
            }
            pending = bool(schema.migrations.pending_names(self._raw))
        except sqlite3.Error:
            return True  # cannot even read the schema
        expected = schema.CORE_TABLES if pending else schema.expected_tables()
        return not expected <= present

    # -- statements ----------------------------------------------------------

    def interrupt(self) -> None:
        """Abort the statement running now (safe from another thread)."""
        self._raw.interrupt()

    def stop_when(self, stop: threading.Event | None) -> None:
        """From now on every statement stops (SQLite's "interrupted") once `stop` is set,
        even one that starts after it was; None: never again."""
        if stop is None:
            self._raw.set_progress_handler(None, 0)
        else:
            self._raw.set_progress_handler(lambda: 1 if stop.is_set() else 0, 20_000)

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Run one statement; for its `lastrowid`/`rowcount` (use `rows`/`tuples` to read)."""
        with self.guard():
            return self._raw.execute(sql, params)

    def executemany(self, sql: str, seq: Iterable[Any]) -> None:
        with self.guard():
            self._raw.executemany(sql, seq)

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """Every row of a query as a dict, read inside the guard."""
        with self.guard():
            cur = self._raw.execute(sql, params)
            names = [d[0] for d in cur.description or ()]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def stream(self, sql: str, params: Params = (), size: int = 5000) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, `size` at a time: memory stays flat for any table."""
        with self.guard():
            cur = self._raw.execute(sql, params)
            names = [d[0] for d in cur.description or ()]
        while True:
            with self.guard():
                batch = cur.fetchmany(size)
            if not batch:
                return
            for r in batch:
                yield dict(zip(names, r, strict=True))

    def tuples(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self.guard():
            return self._raw.execute(sql, params).fetchall()

    def one(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def scalar(self, sql: str, params: Params = ()) -> Any:
        with self.guard():
            row = self._raw.execute(sql, params).fetchone()
        return row[0] if row else None

    def table_names(self) -> list[str]:
        with self.guard():
            return [
                r[0]
                for r in self._raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]

    def insert(self, table: str, row: dict[str, Any]) -> None:
        with self.guard():
            self._db.table(table).insert(row)

    def insert_all(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        with self.guard():
            self._db.table(table).insert_all(rows, batch_size=500)

    def update(self, table: str, row_id: int, values: dict[str, Any]) -> None:
        with self.guard():
            self._db.table(table).update(row_id, values)

    def upsert(self, table: str, row: dict[str, Any], pk: str) -> None:
        with self.guard():
            self._db.table(table).upsert(row, pk=pk)

    # -- state -----------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self._raw.in_transaction

    def data_version(self) -> tuple[int, int]:
        """Changes by this connection and by others: equal while nothing was written."""
        return (self._raw.total_changes, int(self.scalar("PRAGMA data_version")))

    @property
    def _db(self) -> Database:
        """The sqlite-utils Database (table helpers, savepoints, migrations), made on
        first use: a command that only reads never imports sqlite-utils (~50 ms)."""
        if self._sqlite_utils is None:
            from sqlite_utils import Database

            self._sqlite_utils = Database(self._raw)
        return self._sqlite_utils

    @property
    def database(self) -> Database:
        """The sqlite-utils Database (migrations only)."""
        return self._db

    @property
    def sqlite(self) -> sqlite3.Connection:
        """The raw connection (the backup API only)."""
        return self._raw

    # -- transactions and the audit log --------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: SQLite and OS failures surface as `KnownError`.

        The outermost transaction takes the write lock at once (BEGIN IMMEDIATE):
        a deferred one that read first could not upgrade after another process
        committed meanwhile (SQLITE_BUSY_SNAPSHOT), so it would fail instead of
        waiting out the busy timeout. Nested calls become savepoints.
        """
        with self.guard():
            if self._raw.in_transaction:
                with self._savepoint():
                    yield
                return
            self._raw.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._rollback()
                raise
            try:
                self._raw.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        """A nested transaction (what sqlite-utils' `atomic` does, without importing
        sqlite-utils, ~100 ms, for one statement)."""
        self._savepoints += 1
        name = f"dvdesk_{self._savepoints}"
        self._raw.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            # A RAISE(ROLLBACK) trigger can end the whole transaction, savepoints and all:
            # cleaning up then would mask the first error with "no such savepoint".
            if self._raw.in_transaction:
                self._raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
                self._raw.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            self._raw.execute(f"RELEASE SAVEPOINT {name}")

    def _rollback(self) -> None:
        if self._raw.in_transaction:
            self._raw.rollback()

    def rollback(self) -> None:
        with self.guard():
            self._rollback()

    def audit(self, action: str, entity: str, uid: str, old: Any, new: Any) -> None:
        """Append to the audit log; call inside the change's own transaction."""
        self.execute(AUDIT_INSERT, self.audit_row(action, entity, uid, old, new))

    def audit_row(
        self, action: str, entity: str, uid: str, old: Any, new: Any, at: str | None = None
    ) -> tuple[Any, ...]:
        from dvdesk.store.rows import audit_json  # the members' row code: only when writing

        return (
            at or now_iso(),
            self.actor,
            action,
            entity,
            uid,
            None if old is None else audit_json(old),
            None if new is None else audit_json(new),
        )

    def close(self) -> None:
        self._raw.close()
