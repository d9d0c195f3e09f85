"""The commune's units (chi đoàn: thôn, khu phố, trường) in the store."""

from __future__ import annotations

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.errors import BadInput, NotFound, Refused
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection
from dvdesk.store.settings import SettingsRepo


class UnitsRepo:
    """`store.units`: live units; adding, renaming and removing one (audited)."""

    def __init__(self, conn: Connection, settings: SettingsRepo) -> None:
        self._conn = conn
        self._settings = settings

    def add(self, unit: Unit) -> Changes:
        """Add a unit; `.details["id"]` of the result is its row id."""
        code = unit.code.strip().upper()
        name = " ".join(unit.name.split())
        if not code or not name:
            raise BadInput("Đơn vị cần có mã và tên.")
        if self.id_of(code) is not None:
            raise Refused(f"Đã có đơn vị mã “{code}”.")
        with self._conn.transaction():
            cur = self._conn.execute(
                "INSERT INTO units (commune_code, code, name, kind) VALUES (?, ?, ?, ?)",
                (self._settings.get().commune_code, code, name, unit.kind.value),
            )
            self._conn.audit(
                "insert", "unit", code, None, {"code": code, "name": name, "kind": unit.kind.value}
            )
        return Changes.of(Kind.UNITS, id=int(cur.lastrowid or 0), code=code)

    def rename(self, code: str, name: str) -> Changes:
        """Give a unit a new name (a typo fixed); its code, and so its members, stay."""
        unit_id, name = self._existing(code), " ".join(name.split())
        if not name:
            raise BadInput("Đơn vị cần có tên.")
        with self._conn.transaction():
            old = self._conn.scalar("SELECT name FROM units WHERE id = ?", (unit_id,))
            self._conn.execute("UPDATE units SET name = ? WHERE id = ?", (name, unit_id))
            self._conn.audit("update", "unit", code.strip().upper(), {"name": old}, {"name": name})
        return Changes.of(Kind.UNITS, Kind.MEMBERS, code=code.strip().upper())

    def remove(self, code: str) -> Changes:
        """Remove a unit nobody belongs to (not even a deleted member); refused otherwise."""
        unit_id = self._existing(code)
        used = int(self._conn.scalar("SELECT count(*) FROM members WHERE unit_id = ?", (unit_id,)))
        if used:
            raise Refused(
                f"Đơn vị “{code.strip().upper()}” còn {used} đoàn viên (kể cả người đã xóa): "
                "hãy chuyển họ sang đơn vị khác trước khi xóa đơn vị."
            )
        with self._conn.transaction():
            row = self._conn.rows("SELECT code, name, kind FROM units WHERE id = ?", (unit_id,))
            self._conn.execute("DELETE FROM units WHERE id = ?", (unit_id,))
            self._conn.audit("delete", "unit", code.strip().upper(), row[0], None)
        return Changes.of(Kind.UNITS, code=code.strip().upper())

    def _existing(self, code: str) -> int:
        unit_id = self.id_of(code)
        if unit_id is None:
            raise NotFound(f"Không có đơn vị mã “{code.strip().upper()}”.")
        return unit_id

    def all(self) -> list[Unit]:
        rows = self._conn.rows(
            "SELECT id, code, name, kind FROM units WHERE deleted_at IS NULL ORDER BY kind, code"
        )
        return [Unit(r["code"], r["name"], UnitKind(r["kind"]), r["id"]) for r in rows]

    def kinds(self) -> dict[str, UnitKind]:
        return {u.code: u.kind for u in self.all()}

    def id_of(self, code: str) -> int | None:
        found = self._conn.scalar(
            "SELECT id FROM units WHERE code = ? AND deleted_at IS NULL "
            "ORDER BY commune_code = ? DESC LIMIT 1",
            (code.strip().upper(), self._settings.get().commune_code),
        )
        return None if found is None else int(found)
