"""Procedure steps per candidate in the store (hồ sơ kết nạp), audited."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain.dates import parse_date
from dvdesk.domain.procedure import (
    STEP_BY_CODE,
    STEP_CODES,
    StepRecord,
    StepState,
    default_record,
    stage_of,
)
from dvdesk.store.errors import KnownError
from dvdesk.store.rows import audit_json, step_view

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


class StepsMixin:
    """Procedure-step operations of `Store` (see gateway.py)."""

    def steps_of(self: Store, uid: str) -> dict[str, StepRecord]:
        """Every step of the definition, recorded or default, in procedure order."""
        rows = {
            r["code"]: r
            for r in self.db.query(
                "SELECT s.code, s.state, s.done_on, s.doc_number, s.note FROM steps s "
                "JOIN members m ON m.id = s.member_id WHERE m.uid = ?",
                [uid],
            )
        }
        out: dict[str, StepRecord] = {}
        for code in STEP_CODES:
            r = rows.get(code)
            if r is None:
                out[code] = default_record(code)
                continue
            done = parse_date(r["done_on"])
            out[code] = StepRecord(
                code,
                StepState(r["state"]),
                done.as_date() if done else None,
                r["doc_number"],
                r["note"],
            )
        return out

    def set_step(self: Store, uid: str, record: StepRecord, today: date | None = None) -> None:
        """Record one step after the procedure's checks (store.dossier.record_step)."""
        self.dossier.record_step(uid, record, today)

    def _write_step(self: Store, uid: str, record: StepRecord) -> None:
        """Write one step, audited, inside the caller's transaction; no checks."""
        from dvdesk.store.gateway import now_iso

        member_id = self.member_row_id(uid)
        old = self.steps_of(uid)[record.code]
        self.db.execute(
            "INSERT INTO steps (member_id, code, state, done_on, doc_number, note, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, code) DO UPDATE SET "
            "state = excluded.state, done_on = excluded.done_on, "
            "doc_number = excluded.doc_number, note = excluded.note, "
            "updated_at = excluded.updated_at",
            (
                member_id,
                record.code,
                record.state.value,
                record.done_on.isoformat() if record.done_on else None,
                record.doc_number.strip(),
                record.note.strip(),
                now_iso(),
            ),
        )
        self.audit("update", "step", uid, step_view(old), step_view(record))

    def set_steps_bulk(self: Store, records: dict[str, list[StepRecord]]) -> None:
        """Record many candidates' steps in one transaction (demo data, imports).

        Set-based: one query for the row ids and steps already recorded, then
        executemany for steps, audit rows and stages (per-candidate queries
        made a 200k-member demo spend minutes here).
        """
        from dvdesk.store.gateway import now_iso

        stamp = now_iso()
        with self.transaction():
            ids: dict[str, int] = {}
            uids = list(records)
            for start in range(0, len(uids), 500):
                chunk = uids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                ids.update(
                    self.db.execute(
                        f"SELECT uid, id FROM members WHERE uid IN ({marks})", chunk
                    ).fetchall()
                )
            if missing := [uid for uid in uids if uid not in ids]:
                raise KnownError(f"Không tìm thấy đoàn viên mã {missing[0]}.")
            done: dict[int, set[str]] = {i: set() for i in ids.values()}
            for member_id, code in self.db.execute(
                "SELECT member_id, code FROM steps WHERE state = 'done'"
            ):
                if member_id in done:
                    done[member_id].add(code)
            step_rows, audit_rows = [], []
            for uid, steps in records.items():
                member_id = ids[uid]
                for r in steps:
                    if r.code not in STEP_BY_CODE:
                        raise KnownError(f"Không có bước “{r.code}” trong quy trình.")
                    step_rows.append(
                        (
                            member_id,
                            r.code,
                            r.state.value,
                            r.done_on.isoformat() if r.done_on else None,
                            r.doc_number,
                            r.note,
                            stamp,
                        )
                    )
                    audit_rows.append(
                        (stamp, self.actor, "update", "step", uid, None, audit_json(step_view(r)))
                    )
                    if r.state is StepState.DONE:
                        done[member_id].add(r.code)
                    else:
                        done[member_id].discard(r.code)
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO steps (member_id, code, state, done_on, doc_number, "
                "note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                step_rows,
            )
            self.db.conn.executemany(
                "INSERT INTO audit (at, actor, action, entity, entity_uid, old, new) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                audit_rows,
            )
            self.db.conn.executemany(
                "UPDATE members SET stage = ? WHERE id = ?",
                [(stage_of(done[ids[uid]]).value, ids[uid]) for uid in records],
            )
