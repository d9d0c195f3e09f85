"""Raw SQL for tests that look inside a data file (the store has no public door for it).

In-memory stores have no path a second connection could open, so these helpers
use the store's private connection; they are for tests only.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from dvdesk.store.gateway import Store


def raw(store: Store) -> sqlite3.Connection:
    return store._conn.sqlite


def database(store: Store) -> Database:
    return store._conn.database


def execute(store: Store, sql: str, params: Any = ()) -> sqlite3.Cursor:
    """Run a statement directly, bypassing the store's error translation."""
    return raw(store).execute(sql, params)


def rows(store: Store, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    return list(database(store).query(sql, params))


def scalar(store: Store, sql: str, params: Any = ()) -> Any:
    row = raw(store).execute(sql, params).fetchone()
    return row[0] if row else None


def table_names(store: Store) -> list[str]:
    return database(store).table_names()
