"""Merged packages at the receiving level (dữ liệu tổng hợp của cấp nhận).

A merge replaces one commune's rows by a newer package's, inside the caller's
transaction, audited row by row like any other write; `received_packages`
remembers the last sequence merged per commune and `received_audit` keeps the
audit entries each package carried.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from dvdesk.domain.member import Member, Unit
from dvdesk.domain.procedure import StepRecord, StepState, stage_of
from dvdesk.domain.validation import validate_member
from dvdesk.store.rows import audit_view, member_row, step_view

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


class ReceivedMixin:
    """Merge operations of `Store` (see gateway.py)."""

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
            if sorted(map(step_view, before), key=str) == sorted(map(step_view, after), key=str):
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
                [step_view(r) for r in before],
                [step_view(r) for r in after],
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
