"""Procedure steps per candidate in the store (hồ sơ kết nạp), audited: `store.steps`."""

from __future__ import annotations

from datetime import date

from dvdesk.domain.checklist import Checklist
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
from dvdesk.store.dossier import DossierRepository
from dvdesk.store.members import MembersRepo
from dvdesk.store.rows import step_values, step_view
from dvdesk.store.settings import SettingsRepo
from dvdesk.store.units import UnitsRepo


class StepsRepo:
    """`store.steps`: recorded procedure steps; a member's stage follows them."""

    def __init__(
        self,
        conn: Connection,
        members: MembersRepo,
        settings: SettingsRepo,
        holidays: HolidaysRepo,
        units: UnitsRepo,
    ) -> None:
        self._conn = conn
        self._members = members
        self._settings = settings
        self._holidays = holidays
        # The dossier data and the checks every recorded step goes through.
        self.dossier = DossierRepository(conn, self, members, settings, units, holidays)

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
        """Record one step after the procedure's checks (store.dossier.record_step).

        Refused (StepRefused: the rule and its source) when it breaks the order
        or a prerequisite; nothing is written then. The stage follows.
        """
        return self.dossier.record_step(uid, record, today)

    def write_unchecked(self, uid: str, record: StepRecord) -> None:
        """Write one step, audited, inside the caller's transaction; no checks."""
        member_id = self._members.row_id(uid)
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
                    step_rows.append(step_values(member_id, r, stamp))
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
        """One candidate's checklist with the office's age method, holidays and dossier.

        `meeting` is the planned branch meeting; without one, the consideration
        date from the settings (when set) stands in.
        """
        return self.dossier.checklist(uid, meeting, today)
