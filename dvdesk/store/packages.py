"""Commune packages in the store: what an export reads (gói dữ liệu xã).

At the commune the export reads units, live members, recorded procedure steps
and the audit entries not yet sent; the receiving level reads the same to
compare a package with what it holds (received.py writes the merge).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection
from dvdesk.store.errors import DamagedFile
from dvdesk.store.rows import member_from_row
from dvdesk.store.settings import SettingsRepo

_ALL = "1 = 1"


def _commune_clause(commune_code: str | None, alias: str) -> tuple[str, list[str]]:
    if commune_code is None:
        return _ALL, []
    return f"{alias}.commune_code = ?", [commune_code]


class PackagesRepo:
    """`store.packages`: what an export reads; merges compare with it too."""

    def __init__(self, conn: Connection, settings: SettingsRepo) -> None:
        self._conn = conn
        self._settings = settings

    def units(self, commune_code: str | None = None) -> list[Unit]:
        """Live units of one commune (None: every unit in the file)."""
        where, params = _commune_clause(commune_code, "u")
        return [
            Unit(r["code"], r["name"], UnitKind(r["kind"]), r["id"])
            for r in self._conn.rows(
                f"SELECT id, code, name, kind FROM units u WHERE {where} "
                "AND deleted_at IS NULL ORDER BY code",
                params,
            )
        ]

    def members(self, commune_code: str | None = None) -> list[Member]:
        """Live members of one commune (None: every member), in Vietnamese order."""
        return list(self.each_member(commune_code))

    def each_member(self, commune_code: str | None = None) -> Iterator[Member]:
        """`members()` read through a cursor, for exports of any size."""
        where, params = _commune_clause(commune_code, "m")
        for r in self._conn.stream(
            f"SELECT m.*, u.code AS unit_code FROM members m JOIN units u "
            f"ON u.id = m.unit_id WHERE {where} AND m.deleted_at IS NULL "
            "ORDER BY m.name_sort, m.uid",
            params,
        ):
            yield member_from_row(r, r["unit_code"])

    def steps(self, commune_code: str | None = None) -> dict[str, list[StepRecord]]:
        """Recorded steps of live members, by member uid."""
        out: dict[str, list[StepRecord]] = {}
        for uid, record in self.each_step(commune_code):
            out.setdefault(uid, []).append(record)
        return out

    def each_step(self, commune_code: str | None = None) -> Iterator[tuple[str, StepRecord]]:
        """(member uid, step) of live members, by uid then step code, through a cursor."""
        where, params = _commune_clause(commune_code, "m")
        for r in self._conn.stream(
            f"SELECT m.uid, s.code, s.state, s.done_on, s.doc_number, s.note FROM steps s "
            f"JOIN members m ON m.id = s.member_id WHERE {where} AND m.deleted_at IS NULL "
            "ORDER BY m.uid, s.code",
            params,
        ):
            done = parse_date(r["done_on"])
            yield (
                r["uid"],
                StepRecord(
                    r["code"],
                    StepState(r["state"]),
                    done.as_date() if done else None,
                    r["doc_number"],
                    r["note"],
                ),
            )

    def signing_key(self) -> tuple[bytes, bytes]:
        """This data file's Ed25519 key: (private, public), 32 raw bytes each.

        Made with the file (schema.m_signing_keys) and kept in it, so every
        backup carries it; a file that somehow lost it cannot sign.
        """
        row = self._conn.one("SELECT private_key, public_key FROM signing_key WHERE id = 1")
        if row is None:
            raise DamagedFile(
                "Tệp dữ liệu không có khóa ký gói dữ liệu (bảng signing_key trống): "
                "hãy khôi phục từ bản sao lưu."
            )
        return bytes(row["private_key"]), bytes(row["public_key"])

    def audit_since(self, mark: int) -> tuple[list[dict[str, Any]], int]:
        """Audit entries after `mark`, without row ids, and the new mark."""
        upto = self.audit_mark()
        return list(self.each_audit(mark, upto)), max(mark, upto)

    def audit_mark(self) -> int:
        """The newest audit entry's id: what an export started now carries up to."""
        return int(self._conn.scalar("SELECT coalesce(max(id), 0) FROM audit"))

    def each_audit(self, after: int, upto: int) -> Iterator[dict[str, Any]]:
        """Audit entries `after` < id <= `upto`, through a cursor.

        Unit row ids inside old/new values become unit codes: row ids never
        leave the file.
        """
        codes = {r[0]: r[1] for r in self._conn.tuples("SELECT id, code FROM units")}
        for r in self._conn.stream(
            "SELECT at, actor, action, entity, entity_uid, old, new FROM audit "
            "WHERE id > ? AND id <= ? ORDER BY id",
            [after, upto],
        ):
            r["old"] = _without_ids(r["old"], codes)
            r["new"] = _without_ids(r["new"], codes)
            yield r

    def record_export(self, sequence: int, mark: int, details: dict[str, Any]) -> Changes:
        """Remember a package as sent: its sequence and the last audit entry it carried."""
        with self._conn.transaction():
            settings = self._settings.get()
            settings.export_sequence = sequence
            settings.export_audit_mark = mark
            changes = self._settings.save(settings)
            self._conn.audit(
                "export", "package", settings.commune_code, None, {"sequence": sequence, **details}
            )
        return changes | Changes.of(Kind.PACKAGES)


def _without_ids(value: str | None, unit_codes: dict[int, str]) -> str | None:
    if value is None:
        return None
    data = json.loads(value)
    if isinstance(data, dict) and "unit_id" in data:
        data["unit_code"] = unit_codes.get(data.pop("unit_id"), "")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
