"""Commune packages in the store: what an export reads (gói dữ liệu xã).

At the commune the export reads units, live members, recorded procedure steps
and the audit entries not yet sent; the receiving level reads the same to
compare a package with what it holds (received.py writes the merge).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.store.rows import member_from_row

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

_ALL = "1 = 1"


def _commune_clause(commune_code: str | None, alias: str) -> tuple[str, list[str]]:
    if commune_code is None:
        return _ALL, []
    return f"{alias}.commune_code = ?", [commune_code]


class PackagesMixin:
    """Export reads of `Store` (see gateway.py); merges compare with them too."""

    def commune_units(self: Store, commune_code: str | None = None) -> list[Unit]:
        """Live units of one commune (None: every unit in the file)."""
        where, params = _commune_clause(commune_code, "u")
        return [
            Unit(r["code"], r["name"], UnitKind(r["kind"]), r["id"])
            for r in self.db.query(
                f"SELECT id, code, name, kind FROM units u WHERE {where} "
                "AND deleted_at IS NULL ORDER BY code",
                params,
            )
        ]

    def commune_members(self: Store, commune_code: str | None = None) -> list[Member]:
        """Live members of one commune (None: every member), in Vietnamese order."""
        where, params = _commune_clause(commune_code, "m")
        return [
            member_from_row(r, r["unit_code"])
            for r in self.db.query(
                f"SELECT m.*, u.code AS unit_code FROM members m JOIN units u "
                f"ON u.id = m.unit_id WHERE {where} AND m.deleted_at IS NULL "
                "ORDER BY m.name_sort, m.uid",
                params,
            )
        ]

    def commune_steps(self: Store, commune_code: str | None = None) -> dict[str, list[StepRecord]]:
        """Recorded steps of live members, by member uid."""
        where, params = _commune_clause(commune_code, "m")
        out: dict[str, list[StepRecord]] = {}
        for r in self.db.query(
            f"SELECT m.uid, s.code, s.state, s.done_on, s.doc_number, s.note FROM steps s "
            f"JOIN members m ON m.id = s.member_id WHERE {where} AND m.deleted_at IS NULL "
            "ORDER BY m.uid, s.code",
            params,
        ):
            done = parse_date(r["done_on"])
            out.setdefault(r["uid"], []).append(
                StepRecord(
                    r["code"],
                    StepState(r["state"]),
                    done.as_date() if done else None,
                    r["doc_number"],
                    r["note"],
                )
            )
        return out

    def audit_since(self: Store, mark: int) -> tuple[list[dict[str, Any]], int]:
        """Audit entries after `mark`, without row ids, and the new mark.

        Unit row ids inside old/new values become unit codes: row ids never
        leave the file.
        """
        codes = {r[0]: r[1] for r in self.db.execute("SELECT id, code FROM units")}
        rows: list[dict[str, Any]] = []
        new_mark = mark
        for r in self.db.query("SELECT * FROM audit WHERE id > ? ORDER BY id", [mark]):
            new_mark = r["id"]
            rows.append(
                {
                    "at": r["at"],
                    "actor": r["actor"],
                    "action": r["action"],
                    "entity": r["entity"],
                    "entity_uid": r["entity_uid"],
                    "old": _without_ids(r["old"], codes),
                    "new": _without_ids(r["new"], codes),
                }
            )
        return rows, new_mark

    def record_export(self: Store, sequence: int, mark: int, details: dict[str, Any]) -> None:
        """Remember a package as sent: its sequence and the last audit entry it carried."""
        with self.transaction():
            settings = self.settings()
            settings.export_sequence = sequence
            settings.export_audit_mark = mark
            self.save_settings(settings)
            self.audit(
                "export", "package", settings.commune_code, None, {"sequence": sequence, **details}
            )


def _without_ids(value: str | None, unit_codes: dict[int, str]) -> str | None:
    if value is None:
        return None
    data = json.loads(value)
    if isinstance(data, dict) and "unit_id" in data:
        data["unit_code"] = unit_codes.get(data.pop("unit_id"), "")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
