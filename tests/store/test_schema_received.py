"""Format 1.2 (received packages): a 1.1 file migrates after a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from dvdesk.store import backup, schema
from dvdesk.store.gateway import Store
from tests import sql


def test_a_1_1_file_migrates_to_1_2(tmp_path: Path):
    path = tmp_path / "cu.db"
    db = Database(sqlite3.connect(path))
    schema.migrations.apply(db, stop_before="1.2_received_packages")
    assert schema.decode_version(db.execute("PRAGMA user_version").fetchone()[0]) == (1, 1)
    db.execute("INSERT INTO settings (key, value) VALUES ('commune_code', '00001')")
    db.conn.commit()
    db.close()

    with Store.open(path) as store:
        assert store.format_version() == (1, schema.FORMAT_MINOR) == (1, 2)
        assert {"received_packages", "received_audit"} <= set(sql.table_names(store))
        assert store.received.sequence("00001") is None
        assert store.settings.get().commune_code == "00001"
    assert any("truoc-nang-cap" in p.name for p in backup.backups(path))
