"""One candidate's procedure checklist (phiếu theo dõi hồ sơ kết nạp).

From the recorded steps, the date of birth, the planned branch meeting
(ngày chi bộ dự kiến họp xét), today, the age method and the holiday list,
`build_checklist` tells per step its state and deadline, what comes next (the
first step still to do after the furthest one done) and which earlier steps
were never recorded (gaps), what is overdue (quá hạn), what expires soon or
before the meeting (sắp hết hạn), and what the officer should check (lưu ý).
Every flag carries the rule it applies (deadline_rules.py); the checks are in
deadline_checks.py. Pure: callers pass `today`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from dvdesk.domain.dates import PartialDate
from dvdesk.domain.deadline_checks import (
    Findings,
    check_age,
    check_certificate,
    check_dossier,
    check_probation,
)
from dvdesk.domain.deadline_rules import (
    CEREMONY,
    CEREMONY_WORKING_DAYS,
    FLAG_KIND_LABELS,
    Flag,
    FlagKind,
)
from dvdesk.domain.eligibility import Eligibility, Method, evaluate
from dvdesk.domain.procedure import (
    STEP_CODES,
    STEPS,
    Stage,
    StepDef,
    StepRecord,
    StepState,
    stage_of,
)
from dvdesk.domain.workdays import NO_HOLIDAYS, Holidays

__all__ = ["FLAG_KIND_LABELS", "Checklist", "Flag", "FlagKind", "StepLine", "build_checklist"]


@dataclass(frozen=True)
class StepLine:
    step: StepDef
    record: StepRecord
    missing: bool = False  # not started and needed now (next step or a gap)
    due: date | None = None  # hạn phải hoàn thành
    valid_until: date | None = None  # last day the document is valid
    flags: tuple[Flag, ...] = ()

    @property
    def state(self) -> StepState:
        return self.record.state


@dataclass(frozen=True)
class Checklist:
    lines: tuple[StepLine, ...]
    stage: Stage
    next_step: StepDef | None  # first not-started step that is not optional
    reference: date  # the date age and validity are judged on
    meeting_held: bool  # reference is the 6-KNĐ date, not a plan
    age: Eligibility
    probation_end: date | None
    flags: tuple[Flag, ...]

    def line(self, code: str) -> StepLine:
        return self.lines[STEP_CODES.index(code)]

    def of_kind(self, kind: FlagKind) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.kind is kind)

    @property
    def overdue(self) -> tuple[Flag, ...]:
        return self.of_kind(FlagKind.OVERDUE)

    @property
    def expiring(self) -> tuple[Flag, ...]:
        return self.of_kind(FlagKind.EXPIRING)

    @property
    def warnings(self) -> tuple[Flag, ...]:
        return self.of_kind(FlagKind.WARNING)

    @property
    def missing(self) -> tuple[StepDef, ...]:
        return tuple(line.step for line in self.lines if line.missing)


def build_checklist(
    records: Mapping[str, StepRecord],
    dob: PartialDate | None,
    meeting: date | None,
    today: date,
    method: Method = Method.COMPLETED,
    holidays: Holidays = NO_HOLIDAYS,
) -> Checklist:
    """The checklist of one candidate.

    Args:
        records: the candidate's steps by code (missing codes take their default).
        dob: date of birth, possibly partial or unknown.
        meeting: planned branch meeting (ngày chi bộ dự kiến họp xét), if any.
        today: the day the checklist is made.
        method: how months of age are counted (A or B).
        holidays: the office's holiday list for working-day deadlines.
    """
    b = Findings(records, today, holidays)
    held_on = b.done("branch_resolution")
    held = held_on is not None
    planned = None if held else meeting
    ref = held_on or meeting or today
    # A later step done without a recorded 6-KNĐ: the meeting happened on an
    # unknown date, so nothing can be judged against it; the gap shows instead.
    unrecorded = not held and b.last_done > STEP_CODES.index("branch_resolution")
    if unrecorded:
        age = evaluate(dob, ref, method)
    else:
        check_certificate(b, ref, held, planned)
        check_dossier(b, ref, held, planned)
        age = check_age(b, dob, ref, held, method)
    if (decided := b.done("decision")) is not None:
        b.working_deadline(
            "ceremony", decided, CEREMONY_WORKING_DAYS, CEREMONY, "Tổ chức lễ kết nạp"
        )
    probation_end = check_probation(b)

    done_codes = {c for c in STEP_CODES if b.done(c) is not None}
    # Next is after the furthest step done; earlier unrecorded steps are gaps
    # ("còn thiếu"), not advice to go back to the application.
    next_step = next(
        (
            s
            for i, s in enumerate(STEPS)
            if i > b.last_done and not s.optional and b.rec[s.code].state is StepState.NOT_STARTED
        ),
        None,
    )
    lines = []
    for i, s in enumerate(STEPS):
        r = b.rec[s.code]
        missing = (
            r.state is StepState.NOT_STARTED
            and not s.optional
            and (i < b.last_done or s is next_step)
        )
        lines.append(
            StepLine(
                s, r, missing, b.due.get(s.code), b.valid.get(s.code), tuple(b.flags_for(s.code))
            )
        )
    order = {k: n for n, k in enumerate(FlagKind)}
    flags = sorted(b.flags, key=lambda f: (order[f.kind], STEP_CODES.index(f.step)))
    return Checklist(
        tuple(lines), stage_of(done_codes), next_step, ref, held, age, probation_end, tuple(flags)
    )
