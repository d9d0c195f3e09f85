"""The admission dossier in the store (hồ sơ kết nạp): checks on recording, dossier data.

`DossierRepository` (store.dossier) keeps what the Party checks besides the
dated steps — introducers, votes, the helping member, education, Youth Union
membership, documented exceptions, where each unit's chi bộ stands — and runs
the one domain check before a step is written: a step that breaks an order or
prerequisite rule is refused with the rule and its source (StepRefused),
nothing written. After every write the member's stage is derived again from
the steps that count and the violation codes are kept on the member row for
the "cần kiểm tra" view. The window and the CLI both come through here.
It is composed on `store.steps` (whose `record` is `record_step`) and reached
as `store.dossier`; its settings (chi bộ position, difficult area) are in
dossier_settings.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from dvdesk.domain.checklist import Checklist, build_checklist
from dvdesk.domain.procedure import DEFINITION, Definition, StepRecord, StepState
from dvdesk.domain.procedure_dossier import (
    KEEP,
    Dossier,
    DossierException,
    Introducer,
    Keep,
    Vote,
)
from dvdesk.domain.procedure_order import Problem, refusal_text, refusals
from dvdesk.errors import Refused
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection
from dvdesk.store.deadlines import HolidaysRepo
from dvdesk.store.dossier_bulk import Checks, Options, dossier_of, violation_codes
from dvdesk.store.dossier_settings import BadDossierInput, DossierSettings
from dvdesk.store.members import MembersRepo
from dvdesk.store.settings import SettingsRepo
from dvdesk.store.units import UnitsRepo


class StepsReader(Protocol):
    """What the dossier needs of `store.steps` (procedure_steps.py imports this module)."""

    def of(self, uid: str) -> dict[str, StepRecord]: ...

    def write_unchecked(self, uid: str, record: StepRecord) -> None: ...


class StepRefused(Refused):
    """Recording a step would break an order or prerequisite rule; nothing was written."""

    def __init__(self, found: Sequence[Problem]) -> None:
        self.problems = tuple(found)
        head = "Không ghi được bước này: " + refusal_text(self.problems[0])
        more = [f"Và: {p.message}" for p in self.problems[1:]]
        super().__init__("\n".join([head, *more]))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class DossierRepository:
    """Dossier data and the checked recording of steps (store.dossier)."""

    def __init__(
        self,
        conn: Connection,
        steps: StepsReader,
        members: MembersRepo,
        settings: SettingsRepo,
        units: UnitsRepo,
        holidays: HolidaysRepo,
        definition: Definition = DEFINITION,
    ) -> None:
        self._conn = conn
        self._steps = steps
        self._members = members
        self._settings = settings
        self._units = units
        self._holidays = holidays
        self.definition = definition
        self.options = DossierSettings(conn, units, definition)

    # -- SQL (the only place this repository touches the connection) ----------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(sql, params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return self._conn.rows(sql, params)

    def _member_id(self, uid: str) -> int:
        return self._members.row_id(uid)

    def has_tables(self) -> bool:
        """False for a file opened without migrating to the dossier format (1.3)."""
        return bool(self._rows("SELECT 1 FROM sqlite_master WHERE name = 'dossiers'"))

    # -- settings (dossier_settings.py); each change re-checks who it touches ----

    @property
    def difficult_area(self) -> bool:
        return self.options.difficult_area

    def set_difficult_area(self, on: bool) -> Changes:
        """The commune is a difficult area: education minimum tiểu học (06-HD/TW 1.2)."""
        with self._conn.transaction():
            self.options.save_difficult_area(on)
            self._refresh_all()
        return Changes.of(Kind.SETTINGS, Kind.STEPS)

    @property
    def default_position(self) -> str:
        return self.options.default_position

    def set_default_position(self, position: str) -> Changes:
        with self._conn.transaction():
            self.options.save_default_position(position)
            self._refresh_all()
        return Changes.of(Kind.SETTINGS, Kind.STEPS)

    def unit_position(self, unit_code: str) -> str:
        """Where the chi bộ of a unit stands: its own setting, else the commune's."""
        return self.options.unit_position(unit_code)

    def set_unit_position(self, unit_code: str, position: str | None) -> Changes:
        """Set (or with None clear) where a unit's chi bộ stands."""
        with self._conn.transaction():
            unit_id = self.options.save_unit_position(unit_code, position)
            self._refresh_all(unit_id)
        return Changes.of(Kind.UNITS, Kind.STEPS)

    # -- reading ---------------------------------------------------------------

    def get(self, uid: str) -> Dossier:
        member_id = self._member_id(uid)
        unit = self._rows(
            "SELECT u.code, u.id, m.education FROM members m JOIN units u ON u.id = m.unit_id "
            "WHERE m.id = ?",
            [member_id],
        )
        row = next(iter(self._rows("SELECT * FROM dossiers WHERE member_id = ?", [member_id])), {})
        return dossier_of(
            row,
            self._rows("SELECT * FROM introducers WHERE member_id = ? ORDER BY seq", [member_id]),
            self._rows("SELECT * FROM votes WHERE member_id = ?", [member_id]),
            self._rows(
                "SELECT * FROM dossier_exceptions WHERE member_id = ? ORDER BY id", [member_id]
            ),
            unit[0]["education"] if unit else "",
            # By the member's own unit row: at the receiving level unit codes repeat.
            self.options.position_of_unit(unit[0]["id"]) if unit else self.default_position,
            self.difficult_area,
        )

    def bulk_checks(self, today: date | None = None) -> Checks:
        """Checklists of many members at once, with this file's settings (dossier_bulk.py)."""
        settings = self._settings.get()
        today = today or date.today()
        meeting = settings.consideration_on(today) if settings.consideration_date else None
        return Checks(
            self._conn,
            Options(
                settings.method,
                meeting,
                self._holidays.get(),
                self.default_position,
                self.difficult_area,
                self.definition,
            ),
        )

    def refresh_many(self, uids: Sequence[str], today: date | None = None) -> Changes:
        """`refresh` for many members at once (a demo file's candidates): stage and flags."""
        today = today or date.today()
        with self._conn.transaction():
            ids = [self._member_id(uid) for uid in uids]
            self.bulk_checks(today).refresh(ids, today)
        return Changes.of(Kind.STEPS, Kind.MEMBERS, uids=uids, reorders=True)

    def checklist(
        self, uid: str, meeting: date | None = None, today: date | None = None
    ) -> Checklist:
        """One candidate's checklist: the office's age method, holidays and this dossier."""
        return self._checklist(uid, self.get(uid), meeting, today)

    def _checklist(
        self, uid: str, dossier: Dossier, meeting: date | None, today: date | None
    ) -> Checklist:
        today = today or date.today()
        settings = self._settings.get()
        if meeting is None and settings.consideration_date:
            meeting = settings.consideration_on(today)
        member = self._members.get(uid)
        return build_checklist(
            self._steps.of(uid),
            member.dob,
            meeting,
            today,
            settings.method,
            self._holidays.get(),
            dossier,
            self.definition,
        )

    # -- recording a step --------------------------------------------------------

    def check_step(self, uid: str, record: StepRecord, today: date | None = None) -> None:
        """Raise KnownError/StepRefused when `record` cannot be written; else nothing."""
        d = self.definition
        if not d.has_step(record.code):
            raise BadDossierInput(f"Không có bước “{record.code}” trong quy trình.")
        step = d.step(record.code)
        if record.state is StepState.DONE and record.done_on is None:
            raise BadDossierInput(f"Bước “{step.label}”: cần ngày hoàn thành.")
        if record.done_on and record.done_on > (today or date.today()):
            raise BadDossierInput(f"Bước “{step.label}”: ngày hoàn thành ở tương lai.")
        dossier = self.get(uid)
        found = refusals(d, self._steps.of(uid), record, dossier, dossier.position)
        if found:
            raise StepRefused(found)

    def record_step(self, uid: str, record: StepRecord, today: date | None = None) -> Changes:
        """Check, then write one step (audited); the stage and flags follow."""
        with self._conn.transaction():
            self.check_step(uid, record, today)
            old_stage = self._conn.scalar("SELECT stage FROM members WHERE uid = ?", [uid])
            self._steps.write_unchecked(uid, record)
            stage = self.refresh(uid)
        return Changes.of(Kind.STEPS, Kind.MEMBERS, uids=[uid], reorders=stage != old_stage)

    # -- dossier data ------------------------------------------------------------

    def _ensure_row(self, member_id: int) -> None:
        self._execute(
            "INSERT INTO dossiers (member_id, updated_at) VALUES (?, ?) "
            "ON CONFLICT(member_id) DO NOTHING",
            (member_id, datetime.now().isoformat(timespec="seconds")),
        )

    def set_introducers(self, uid: str, people: Sequence[Introducer]) -> Changes:
        """Replace the member's introducers (in order)."""
        for p in people:
            if not p.name.strip():
                raise BadDossierInput("Người giới thiệu: cần họ và tên.")
        with self._conn.transaction():
            member_id = self._member_id(uid)
            old = self.get(uid).introducers
            self._execute("DELETE FROM introducers WHERE member_id = ?", [member_id])
            for seq, p in enumerate(people, 1):
                self._execute(
                    "INSERT INTO introducers (member_id, seq, name, status, together_since, "
                    "introduced_on, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        member_id,
                        seq,
                        " ".join(p.name.split()),
                        p.status.value,
                        _iso(p.together_since),
                        _iso(p.introduced_on),
                        p.note.strip(),
                    ),
                )
            self._conn.audit(
                "update",
                "introducers",
                uid,
                [_introducer_view(p) for p in old],
                [_introducer_view(p) for p in people],
            )
            self.refresh(uid)
        return Changes.of(Kind.STEPS, uids=[uid])

    def set_vote(self, uid: str, step_code: str, vote: Vote | None) -> Changes:
        """Record (or with None remove) the vote on a resolution or decision."""
        d = self.definition
        if not d.has_step(step_code) or not d.step(step_code).vote:
            voted = ", ".join(s.cli_code for s in d.steps if s.vote)
            raise BadDossierInput(f"Chỉ ghi biểu quyết cho các bước: {voted}.")
        if vote is not None and (problem := vote.problem()):
            raise BadDossierInput(f"Biểu quyết {d.step(step_code).cli_code}: {problem}")
        with self._conn.transaction():
            member_id = self._member_id(uid)
            old = self.get(uid).votes.get(step_code)
            self._execute(
                "DELETE FROM votes WHERE member_id = ? AND step_code = ?", (member_id, step_code)
            )
            if vote is not None:
                self._execute(
                    "INSERT INTO votes (member_id, step_code, in_favour, total, present) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (member_id, step_code, vote.in_favour, vote.total, vote.present),
                )
            self._conn.audit("update", "vote", uid, _vote_view(old), _vote_view(vote))
            self.refresh(uid)
        return Changes.of(Kind.STEPS, uids=[uid])

    def set_details(
        self,
        uid: str,
        *,
        education: str | None = None,
        union_member: bool | Keep | None = KEEP,
        helper: str | None = None,
        helper_since: date | Keep | None = KEEP,
    ) -> Changes:
        """Education, Youth Union membership, the helping member (only what is given).

        `union_member` and `helper_since` default to KEEP ("leave as it is")
        since None is a value for them (unknown, not recorded).
        """
        with self._conn.transaction():
            member_id = self._member_id(uid)
            self._ensure_row(member_id)
            old = self._rows("SELECT * FROM dossiers WHERE member_id = ?", [member_id])[0]
            new = dict(old)
            if education is not None:
                new["education"] = " ".join(education.split())
            if not isinstance(union_member, Keep):
                new["union_member"] = None if union_member is None else int(union_member)
            if helper is not None:
                new["helper"] = " ".join(helper.split())
            if not isinstance(helper_since, Keep):
                new["helper_since"] = _iso(helper_since)
            keys = ("education", "union_member", "helper", "helper_since")
            if all(old[k] == new[k] for k in keys):
                return Changes()
            self._execute(
                "UPDATE dossiers SET education = ?, union_member = ?, helper = ?, "
                "helper_since = ?, updated_at = ? WHERE member_id = ?",
                (
                    new["education"],
                    new["union_member"],
                    new["helper"],
                    new["helper_since"],
                    datetime.now().isoformat(timespec="seconds"),
                    member_id,
                ),
            )
            self._conn.audit(
                "update",
                "dossier",
                uid,
                {k: old[k] for k in keys if old[k] != new[k]},
                {k: new[k] for k in keys if old[k] != new[k]},
            )
            self.refresh(uid)
        return Changes.of(Kind.STEPS, uids=[uid])

    def add_exception(self, uid: str, exception: DossierException) -> Changes:
        """A documented exception: only for a rule that allows one, with note and document."""
        d = self.definition
        rule = d.rules.get(exception.rule)
        if rule is None:
            raise BadDossierInput(f"Không có quy tắc “{exception.rule}”.")
        if not rule.exception:
            allowed = ", ".join(r.code for r in d.rules.values() if r.exception)
            raise BadDossierInput(
                f"Quy tắc “{rule.code}” không cho phép ngoại lệ ({rule.source}). "
                f"Các quy tắc cho phép: {allowed}."
            )
        if not exception.note.strip() or not exception.document.strip():
            raise BadDossierInput(f"Ngoại lệ cần ghi lý do và văn bản cho phép ({rule.exception}).")
        with self._conn.transaction():
            member_id = self._member_id(uid)
            self._execute(
                "INSERT INTO dossier_exceptions (member_id, rule_code, step_code, note, "
                "document, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(member_id, rule_code, step_code) DO UPDATE SET "
                "note = excluded.note, document = excluded.document",
                (
                    member_id,
                    exception.rule,
                    exception.step,
                    exception.note.strip(),
                    exception.document.strip(),
                    datetime.now().isoformat(timespec="seconds"),
                ),
            )
            self._conn.audit(
                "insert",
                "dossier_exception",
                uid,
                None,
                {
                    "rule": exception.rule,
                    "step": exception.step,
                    "note": exception.note,
                    "document": exception.document,
                },
            )
            self.refresh(uid)
        return Changes.of(Kind.STEPS, uids=[uid])

    def remove_exception(self, uid: str, rule: str, step: str = "") -> Changes:
        """Withdraw a documented exception recorded by mistake (audited)."""
        with self._conn.transaction():
            member_id = self._member_id(uid)
            old = self._conn.one(
                "SELECT rule_code, step_code, note, document FROM dossier_exceptions "
                "WHERE member_id = ? AND rule_code = ? AND step_code = ?",
                (member_id, rule, step),
            )
            if old is None:
                raise BadDossierInput(f"Không có ngoại lệ “{rule}” để bỏ.")
            self._execute(
                "DELETE FROM dossier_exceptions WHERE member_id = ? AND rule_code = ? "
                "AND step_code = ?",
                (member_id, rule, step),
            )
            self._conn.audit("delete", "dossier_exception", uid, old, None)
            self.refresh(uid)
        return Changes.of(Kind.STEPS, uids=[uid])

    def add_many(self, dossiers: Mapping[str, Dossier]) -> Changes:
        """Write many members' dossier data at once (demo data); no checks, not audited
        per row. The caller writes their steps (record_many) in the same transaction.
        """
        stamp = datetime.now().isoformat(timespec="seconds")
        with self._conn.transaction():
            ids = {uid: self._member_id(uid) for uid in dossiers}
            self._conn.executemany(
                "INSERT OR REPLACE INTO dossiers (member_id, helper, helper_since, education, "
                "union_member, checked_version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        ids[uid],
                        d.helper,
                        _iso(d.helper_since),
                        d.education,
                        None if d.union_member is None else int(d.union_member),
                        self.definition.version,
                        stamp,
                    )
                    for uid, d in dossiers.items()
                ],
            )
            self._conn.executemany(
                "INSERT OR REPLACE INTO introducers (member_id, seq, name, status, "
                "together_since, introduced_on, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        ids[uid],
                        seq,
                        p.name,
                        p.status.value,
                        _iso(p.together_since),
                        _iso(p.introduced_on),
                        p.note,
                    )
                    for uid, d in dossiers.items()
                    for seq, p in enumerate(d.introducers, 1)
                ],
            )
            self._conn.executemany(
                "INSERT OR REPLACE INTO votes (member_id, step_code, in_favour, total, present) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (ids[uid], v.step, v.in_favour, v.total, v.present)
                    for uid, d in dossiers.items()
                    for v in d.votes.values()
                ],
            )
        return Changes.of(Kind.STEPS, uids=dossiers)

    # -- derived columns ---------------------------------------------------------

    def refresh(self, uid: str, today: date | None = None) -> str:
        """Derive the stage and the violation codes again; note the version checked."""
        member_id = self._member_id(uid)
        cl = self._checklist(uid, self.get(uid), None, today)
        codes = violation_codes(cl)
        self._execute(
            "UPDATE members SET stage = ?, dossier_issues = ? WHERE id = ?",
            (cl.stage.value, codes, member_id),
        )
        self._ensure_row(member_id)
        self._execute(
            "UPDATE dossiers SET checked_version = ? WHERE member_id = ?",
            (self.definition.version, member_id),
        )
        return cl.stage.value

    def _refresh_all(self, unit_id: int | None = None) -> None:
        """Refresh every candidate (of one unit): a setting their checks read changed."""
        where, params = ("AND m.unit_id = ?", [unit_id]) if unit_id is not None else ("", [])
        for r in self._rows(
            "SELECT DISTINCT m.uid FROM steps s JOIN members m ON m.id = s.member_id "
            f"WHERE m.deleted_at IS NULL {where}",
            params,
        ):
            self.refresh(r["uid"])


def _introducer_view(p: Introducer) -> dict[str, Any]:
    return {
        "name": p.name,
        "status": p.status.value,
        "together_since": _iso(p.together_since),
        "introduced_on": _iso(p.introduced_on),
    }


def _vote_view(v: Vote | None) -> dict[str, Any] | None:
    if v is None:
        return None
    return {"in_favour": v.in_favour, "total": v.total, "present": v.present}
