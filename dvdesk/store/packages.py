"""Commune packages in the store: what an export reads, what a merge writes.

At the commune the export reads units, live members, recorded procedure steps
and the audit entries not yet sent. At the receiving level a merge replaces
one commune's rows by a newer package's, inside the caller's transaction,
audited row by row like any other write; `received_packages` remembers the
last sequence merged per commune.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from dvdesk.domain.dates import parse_date
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState, stage_of
from dvdesk.domain.validation import validate_member
from dvdesk.store.rows import audit_view, member_from_row, member_row

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

_ALL = "1 = 1"


def _commune_clause(commune_code: str | None, alias: str) -> tuple[str, list[str]]:
    if commune_code is None:
        return _ALL, []
    return f"{alias}.commune_code = ?", [commune_code]


class PackagesMixin:
    """Export and merge operations of `Store` (see gateway.py)."""

    # -- reading (export, and the receiving level's current state) --------

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

    def received_sequence(self: Store, commune_code: str) -> int | None:
        return self.scalar(
            "SELECT sequence FROM received_packages WHERE commune_code = ?", [commune_code]
        )

    def received_packages(self: Store) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM received_packages ORDER BY commune_code")

    def member_identities(self: Store) -> list[dict[str, Any]]:
        """uid, commune, CCCD, name and date of birth of every live member (duplicate checks)."""
        return self.query(
            "SELECT uid, commune_code, cccd, full_name, dob FROM members WHERE deleted_at IS NULL"
        )

    def uid_communes(self: Store, uids: Iterable[str]) -> dict[str, str]:
        """The commune each of these uids already belongs to in this file."""
        out: dict[str, str] = {}
        uids = list(uids)
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT uid, commune_code FROM members WHERE uid IN ({marks})", chunk
            ):
                out[r[0]] = r[1]
        return out

    # -- writing (merge at the receiving level) -----------------------------

    def replace_commune(
        self: Store,
        info: dict[str, Any],
        units: list[Unit],
        members: list[Member],
        steps: dict[str, list[StepRecord]],
        audit_rows: list[dict[str, Any]],
        today: date,
    ) -> None:
        """Make one commune's rows equal to a package's. Call inside `transaction()`."""
        from dvdesk.store.gateway import now_iso

        code = info["commune_code"]
        stamp = now_iso()
        unit_ids = self._merge_units(code, units)
        kinds = {u.code: u.kind for u in units}
        old_rows = {
            r["uid"]: r for r in self.query("SELECT * FROM members WHERE commune_code = ?", [code])
        }
        incoming = {m.uid for m in members}
        # Departures first: a re-entered person may reuse a departed one's CCCD.
        for uid, old in old_rows.items():
            if uid not in incoming and old["deleted_at"] is None:
                self.db["members"].update(old["id"], {"deleted_at": stamp})
                self.audit("delete", "member", uid, {"deleted_at": None}, {"deleted_at": stamp})
        fresh: list[dict[str, Any]] = []
        for member in members:
            m = member.normalized()
            report = validate_member(m, today=today, unit_kinds=kinds)
            row = member_row(m)
            row.update(
                unit_id=unit_ids[m.unit_code],
                commune_code=code,
                deleted_at=None,
                issue_codes=" ".join(i.code for i in report.warnings),
            )
            old = old_rows.get(m.uid)
            if old is None:
                row.update(created_at=stamp, updated_at=stamp)
                fresh.append(row)
                continue
            changed = {k: v for k, v in row.items() if old.get(k) != v}
            if changed:
                changed["updated_at"] = stamp
                self.db["members"].update(old["id"], changed)
                self.audit(
                    "update",
                    "member",
                    m.uid,
                    {k: old[k] for k in audit_view(changed)},
                    audit_view(changed),
                )
        if fresh:
            self.db["members"].insert_all(fresh, batch_size=500)
            for row in fresh:
                self.audit("insert", "member", row["uid"], None, audit_view(row))
        self._merge_steps(code, steps, stamp)
        self.db.execute(
            "UPDATE units SET deleted_at = ? WHERE commune_code = ? AND deleted_at IS NULL "
            f"AND code NOT IN ({','.join('?' * len(units)) or 'NULL'})",
            [stamp, code, *(u.code for u in units)],
        )
        self._record_received(info, audit_rows, stamp)

    def _merge_units(self: Store, code: str, units: list[Unit]) -> dict[str, int]:
        existing = {
            r["code"]: r
            for r in self.query(
                "SELECT id, code, name, kind, deleted_at FROM units WHERE commune_code = ?", [code]
            )
        }
        ids: dict[str, int] = {}
        for u in units:
            new = {"name": u.name, "kind": u.kind.value, "deleted_at": None}
            old = existing.get(u.code)
            if old is None:
                cur = self.db.execute(
                    "INSERT INTO units (commune_code, code, name, kind) VALUES (?, ?, ?, ?)",
                    (code, u.code, u.name, u.kind.value),
                )
                ids[u.code] = int(cur.lastrowid or 0)
                self.audit("insert", "unit", f"{code}/{u.code}", None, new)
                continue
            ids[u.code] = old["id"]
            before = {k: old[k] for k in new}
            if before != new:
                self.db["units"].update(old["id"], new)
                self.audit("update", "unit", f"{code}/{u.code}", before, new)
        return ids

    def _merge_steps(
        self: Store, code: str, steps: dict[str, list[StepRecord]], stamp: str
    ) -> None:
        ids = {
            r[0]: r[1]
            for r in self.db.execute("SELECT uid, id FROM members WHERE commune_code = ?", [code])
        }
        old = self.commune_steps(code)
        for uid in set(old) | set(steps):
            before, after = old.get(uid, []), steps.get(uid, [])
            if sorted(map(_step_view, before), key=str) == sorted(map(_step_view, after), key=str):
                continue
            member_id = ids[uid]
            self.db.execute("DELETE FROM steps WHERE member_id = ?", [member_id])
            self.db["steps"].insert_all(
                {
                    "member_id": member_id,
                    "code": r.code,
                    "state": r.state.value,
                    "done_on": r.done_on.isoformat() if r.done_on else None,
                    "doc_number": r.doc_number,
                    "note": r.note,
                    "updated_at": stamp,
                }
                for r in after
            )
            done = {r.code for r in after if r.state is StepState.DONE}
            self.db.execute(
                "UPDATE members SET stage = ? WHERE id = ?", (stage_of(done).value, member_id)
            )
            self.audit(
                "update",
                "steps",
                uid,
                [_step_view(r) for r in before],
                [_step_view(r) for r in after],
            )

    def _record_received(
        self: Store, info: dict[str, Any], audit_rows: list[dict[str, Any]], stamp: str
    ) -> None:
        code = info["commune_code"]
        old = self.query("SELECT * FROM received_packages WHERE commune_code = ?", [code])
        row = {
            k: info[k]
            for k in (
                "commune_code",
                "commune_name",
                "sequence",
                "created_at",
                "app_version",
                "sha256",
            )
        }
        row["merged_at"] = stamp
        self.db["received_packages"].upsert(row, pk="commune_code")
        self.db["received_audit"].insert_all(
            {"commune_code": code, "sequence": info["sequence"], **r} for r in audit_rows
        )
        self.audit("merge", "package", code, old[0] if old else None, row)


def _step_view(r: StepRecord) -> dict[str, str | None]:
    return {
        "code": r.code,
        "state": r.state.value,
        "done_on": r.done_on.isoformat() if r.done_on else None,
        "doc_number": r.doc_number,
        "note": r.note,
    }


def _without_ids(value: str | None, unit_codes: dict[int, str]) -> str | None:
    if value is None:
        return None
    data = json.loads(value)
    if isinstance(data, dict) and "unit_id" in data:
        data["unit_code"] = unit_codes.get(data.pop("unit_id"), "")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
