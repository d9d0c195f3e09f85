"""The commune's units (chi đoàn: thôn, khu phố, trường) in the store."""

from __future__ import annotations

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.errors import BadInput, Refused
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection
from dvdesk.store.settings import SettingsRepo


class UnitsRepo:
    """`store.units`: live units, and adding one (audited)."""

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
