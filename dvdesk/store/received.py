"""Merged packages at the receiving level (dữ liệu tổng hợp của cấp nhận).

A merge replaces one commune's rows by a newer package's, inside the caller's
transaction, audited row by row like any other write; `received_packages`
remembers the last sequence merged per commune and `received_audit` keeps the
audit entries each package carried.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from dvdesk.domain.member import Member, Unit
from dvdesk.domain.procedure import StepRecord, StepState, stage_of
from dvdesk.domain.validation import validate_member
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection, now_iso
from dvdesk.store.packages import PackagesRepo
from dvdesk.store.rows import audit_view, member_row, step_view


class ReceivedRepo:
    """`store.received`: merged packages at the receiving level."""

    def __init__(self, conn: Connection, packages: PackagesRepo) -> None:
        self._conn = conn
        self._packages = packages

    def sequence(self, commune_code: str) -> int | None:
        found = self._conn.scalar(
            "SELECT sequence FROM received_packages WHERE commune_code = ?", [commune_code]
        )
        return None if found is None else int(found)

    def all(self) -> list[dict[str, Any]]:
        return self._conn.rows("SELECT * FROM received_packages ORDER BY commune_code")

    def member_identities(self) -> list[dict[str, Any]]:
        """uid, commune, CCCD, name and date of birth of every live member (duplicate checks)."""
        return self._conn.rows(
            "SELECT uid, commune_code, cccd, full_name, dob FROM members WHERE deleted_at IS NULL"
        )

    def uid_communes(self, uids: Iterable[str]) -> dict[str, str]:
        """The commune each of these uids already belongs to in this file."""
        out: dict[str, str] = {}
        uids = list(uids)
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._conn.tuples(
                f"SELECT uid, commune_code FROM members WHERE uid IN ({marks})", chunk
            ):
                out[r[0]] = r[1]
        return out

    # -- writing (merge at the receiving level) -----------------------------

    def replace_commune(
        self,
        info: dict[str, Any],
        units: list[Unit],
        members: list[Member],
        steps: dict[str, list[StepRecord]],
        audit_rows: list[dict[str, Any]],
        today: date,
    ) -> Changes:
        """Make one commune's rows equal to a package's. Call inside `store.transaction()`."""
        code = info["commune_code"]
        stamp = now_iso()
        unit_ids = self._merge_units(code, units)
        kinds = {u.code: u.kind for u in units}
        old_rows = {
            r["uid"]: r
            for r in self._conn.rows("SELECT * FROM members WHERE commune_code = ?", [code])
        }
        incoming = {m.uid for m in members}
        # Departures first: a re-entered person may reuse a departed one's CCCD.
        for uid, gone in old_rows.items():
            if uid not in incoming and gone["deleted_at"] is None:
                self._conn.update("members", gone["id"], {"deleted_at": stamp})
                self._conn.audit(
                    "delete", "member", uid, {"deleted_at": None}, {"deleted_at": stamp}
                )
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
                self._conn.update("members", old["id"], changed)
                self._conn.audit(
                    "update",
                    "member",
                    m.uid,
                    {k: old[k] for k in audit_view(changed)},
                    audit_view(changed),
                )
        if fresh:
            self._conn.insert_all("members", fresh)
            for row in fresh:
                self._conn.audit("insert", "member", row["uid"], None, audit_view(row))
        self._merge_steps(code, steps, stamp)
        self._conn.execute(
            "UPDATE units SET deleted_at = ? WHERE commune_code = ? AND deleted_at IS NULL "
            f"AND code NOT IN ({','.join('?' * len(units)) or 'NULL'})",
            [stamp, code, *(u.code for u in units)],
        )
        self._record_received(info, audit_rows, stamp)
        return Changes.of(
            Kind.MEMBERS, Kind.UNITS, Kind.STEPS, Kind.PACKAGES, reorders=True, commune=code
        )

    def _merge_units(self, code: str, units: list[Unit]) -> dict[str, int]:
        existing = {
            r["code"]: r
            for r in self._conn.rows(
                "SELECT id, code, name, kind, deleted_at FROM units WHERE commune_code = ?", [code]
            )
        }
        ids: dict[str, int] = {}
        for u in units:
            new = {"name": u.name, "kind": u.kind.value, "deleted_at": None}
            old = existing.get(u.code)
            if old is None:
                cur = self._conn.execute(
                    "INSERT INTO units (commune_code, code, name, kind) VALUES (?, ?, ?, ?)",
                    (code, u.code, u.name, u.kind.value),
                )
                ids[u.code] = int(cur.lastrowid or 0)
                self._conn.audit("insert", "unit", f"{code}/{u.code}", None, new)
                continue
            ids[u.code] = old["id"]
            before = {k: old[k] for k in new}
            if before != new:
                self._conn.update("units", old["id"], new)
                self._conn.audit("update", "unit", f"{code}/{u.code}", before, new)
        return ids

    def _merge_steps(self, code: str, steps: dict[str, list[StepRecord]], stamp: str) -> None:
        ids = {
            r[0]: r[1]
            for r in self._conn.tuples("SELECT uid, id FROM members WHERE commune_code = ?", [code])
        }
        old = self._packages.steps(code)
        for uid in set(old) | set(steps):
            before, after = old.get(uid, []), steps.get(uid, [])
            if sorted(map(step_view, before), key=str) == sorted(map(step_view, after), key=str):
                continue
            member_id = ids[uid]
            self._conn.execute("DELETE FROM steps WHERE member_id = ?", [member_id])
            self._conn.insert_all(
                "steps",
                (
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
                ),
            )
            done = {r.code for r in after if r.state is StepState.DONE}
            self._conn.execute(
                "UPDATE members SET stage = ? WHERE id = ?", (stage_of(done).value, member_id)
            )
            self._conn.audit(
                "update",
                "steps",
                uid,
                [step_view(r) for r in before],
                [step_view(r) for r in after],
            )

    def _record_received(
        self, info: dict[str, Any], audit_rows: list[dict[str, Any]], stamp: str
    ) -> None:
        code = info["commune_code"]
        old = self._conn.one("SELECT * FROM received_packages WHERE commune_code = ?", [code])
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
        self._conn.upsert("received_packages", row, pk="commune_code")
        self._conn.insert_all(
            "received_audit",
            ({"commune_code": code, "sequence": info["sequence"], **r} for r in audit_rows),
        )
        self._conn.audit("merge", "package", code, old, row)
