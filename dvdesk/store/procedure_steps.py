"""Procedure steps per candidate in the store (hồ sơ kết nạp), audited: `store.steps`."""

from __future__ import annotations

from datetime import date

from dvdesk.domain.checklist import Checklist, build_checklist
from dvdesk.domain.dates import parse_date
from dvdesk.domain.procedure import (
    STEP_BY_CODE,
    STEP_CODES,
    StepRecord,
    StepState,
    default_record,
    stage_of,
)
from dvdesk.errors import BadInput, NotFound
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import AUDIT_INSERT, Connection, now_iso
from dvdesk.store.deadlines import HolidaysRepo
from dvdesk.store.members import MembersRepo
from dvdesk.store.rows import step_view
from dvdesk.store.settings import SettingsRepo


class StepsRepo:
    """`store.steps`: recorded procedure steps; a member's stage follows them."""

    def __init__(
        self,
        conn: Connection,
        members: MembersRepo,
        settings: SettingsRepo,
        holidays: HolidaysRepo,
    ) -> None:
        self._conn = conn
        self._members = members
        self._settings = settings
        self._holidays = holidays

    def of(self, uid: str) -> dict[str, StepRecord]:
        """Every step of the definition, recorded or default, in procedure order."""
        rows = {
            r["code"]: r
            for r in self._conn.rows(
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

    def record(self, uid: str, record: StepRecord, today: date | None = None) -> Changes:
        """Record one step; the member's stage column follows."""
        if record.code not in STEP_BY_CODE:
            raise BadInput(f"Không có bước “{record.code}” trong quy trình.")
        if record.state is StepState.DONE and record.done_on is None:
            raise BadInput(f"Bước “{STEP_BY_CODE[record.code].title}”: cần ngày hoàn thành.")
        if record.done_on and record.done_on > (today or date.today()):
            raise BadInput("Ngày hoàn thành ở tương lai.")
        with self._conn.transaction():
            member_id = self._members.row_id(uid)
            old_stage = self._conn.scalar("SELECT stage FROM members WHERE id = ?", [member_id])
            old = self.of(uid)[record.code]
            self._conn.execute(
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
            self._conn.audit("update", "step", uid, step_view(old), step_view(record))
            done = {c for c, r in self.of(uid).items() if r.state is StepState.DONE}
            stage = stage_of(done).value
            self._conn.execute("UPDATE members SET stage = ? WHERE id = ?", (stage, member_id))
        return Changes.of(Kind.STEPS, Kind.MEMBERS, uids=[uid], reorders=stage != old_stage)

    def record_many(self, records: dict[str, list[StepRecord]]) -> Changes:
        """Record many candidates' steps in one transaction (demo data, imports).

        Set-based: one query for the row ids and steps already recorded, then
        executemany for steps, audit rows and stages (per-candidate queries
        made a 200k-member demo spend minutes here).
        """
        stamp = now_iso()
        with self._conn.transaction():
            ids: dict[str, int] = {}
            uids = list(records)
            for start in range(0, len(uids), 500):
                chunk = uids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                ids.update(
                    self._conn.tuples(f"SELECT uid, id FROM members WHERE uid IN ({marks})", chunk)
                )
            if missing := [uid for uid in uids if uid not in ids]:
                raise NotFound(f"Không tìm thấy đoàn viên mã {missing[0]}.")
            done: dict[int, set[str]] = {i: set() for i in ids.values()}
            for member_id, code in self._conn.tuples(
                "SELECT member_id, code FROM steps WHERE state = 'done'"
            ):
                if member_id in done:
                    done[member_id].add(code)
            step_rows: list[tuple[object, ...]] = []
            audit_rows: list[tuple[object, ...]] = []
            for uid, steps in records.items():
                member_id = ids[uid]
                for r in steps:
                    if r.code not in STEP_BY_CODE:
                        raise BadInput(f"Không có bước “{r.code}” trong quy trình.")
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
                        self._conn.audit_row("update", "step", uid, None, step_view(r), at=stamp)
                    )
                    if r.state is StepState.DONE:
                        done[member_id].add(r.code)
                    else:
                        done[member_id].discard(r.code)
            self._conn.executemany(
                "INSERT OR REPLACE INTO steps (member_id, code, state, done_on, doc_number, "
                "note, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                step_rows,
            )
            self._conn.executemany(AUDIT_INSERT, audit_rows)
            self._conn.executemany(
                "UPDATE members SET stage = ? WHERE id = ?",
                [(stage_of(done[ids[uid]]).value, ids[uid]) for uid in records],
            )
        if not records:
            return Changes()
        return Changes.of(Kind.STEPS, Kind.MEMBERS, uids=records, reorders=True)

    def checklist(
        self, uid: str, meeting: date | None = None, today: date | None = None
    ) -> Checklist:
        """One candidate's checklist with the office's age method and holidays.

        `meeting` is the planned branch meeting; without one, the consideration
        date from the settings (when set) stands in.
        """
        today = today or date.today()
        settings = self._settings.get()
        if meeting is None and settings.consideration_date:
            meeting = settings.consideration_on(today)
        member = self._members.get(uid)
        return build_checklist(
            self.of(uid), member.dob, meeting, today, settings.method, self._holidays.get()
        )
