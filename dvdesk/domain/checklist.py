"""One candidate's procedure checklist (phiếu theo dõi hồ sơ kết nạp).

From the recorded steps, the dossier data (introducers, votes, education,
helper, exceptions, where the chi bộ stands), the date of birth, the planned
branch meeting (ngày chi bộ dự kiến họp xét), today, the age method and the
holiday list, `build_checklist` tells per step that applies its state and
deadline, what comes next (the first step still to do after the furthest one
done) and which earlier steps were never recorded (gaps, "còn thiếu"), and
every finding by severity: vi phạm (an admission condition broken, a step out
of order), quá hạn, sắp hết hạn, lưu ý. Every flag carries the rule it applies
and its source; the stage is derived from the steps that count. The same
function serves the window, the CLI and the printed checklist. Pure: callers
pass `today`.
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
from dvdesk.domain.deadline_rules import FLAG_KIND_LABELS, SEVERITY_ORDER, Flag, FlagKind
from dvdesk.domain.eligibility import Eligibility, Method, evaluate
from dvdesk.domain.procedure import (
    DEFINITION,
    Definition,
    Stage,
    StepDef,
    StepRecord,
    StepState,
    stage_of,
)
from dvdesk.domain.procedure_checks import (
    check_education,
    check_helper,
    check_introducers,
    check_votes,
    check_youth_union,
)
from dvdesk.domain.procedure_dossier import EMPTY, Dossier
from dvdesk.domain.procedure_order import effective_steps, position_of, problems
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

    @property
    def worst(self) -> FlagKind | None:
        return min((f.kind for f in self.flags), key=SEVERITY_ORDER.__getitem__, default=None)


@dataclass(frozen=True)
class Checklist:
    lines: tuple[StepLine, ...]  # only the steps that apply where the chi bộ stands
    stage: Stage
    next_step: StepDef | None  # first not-started step after the furthest one done
    reference: date  # the date age and validity are judged on
    meeting_held: bool  # reference is the 6-KNĐ date, not a plan
    age: Eligibility
    probation_end: date | None  # = the day a recognised member is official from
    flags: tuple[Flag, ...]  # most severe first
    definition: Definition = DEFINITION
    position: str = ""
    dossier: Dossier = EMPTY
    party_since: date | None = None  # tuổi đảng counts from the admission decision (9-KNĐ)

    def line(self, code: str) -> StepLine:
        for line in self.lines:
            if line.step.code == code:
                return line
        raise KeyError(code)

    def has_line(self, code: str) -> bool:
        return any(line.step.code == code for line in self.lines)

    def of_kind(self, kind: FlagKind) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.kind is kind)

    @property
    def violations(self) -> tuple[Flag, ...]:
        return self.of_kind(FlagKind.VIOLATION)

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

    @property
    def position_label(self) -> str:
        return self.definition.positions.get(self.position, self.position)


def build_checklist(
    records: Mapping[str, StepRecord],
    dob: PartialDate | None,
    meeting: date | None,
    today: date,
    method: Method = Method.COMPLETED,
    holidays: Holidays = NO_HOLIDAYS,
    dossier: Dossier = EMPTY,
    definition: Definition = DEFINITION,
) -> Checklist:
    """The checklist of one candidate.

    Args:
        records: the candidate's steps by code (missing codes take their default).
        dob: date of birth, possibly partial or unknown.
        meeting: planned branch meeting (ngày chi bộ dự kiến họp xét), if any.
        today: the day the checklist is made.
        method: how months of age are counted (A or B).
        holidays: the office's holiday list for working-day deadlines.
        dossier: introducers, votes, education, helper, exceptions, chi bộ position.
        definition: the procedure version to check against.
    """
    position = position_of(definition, dossier)
    b = Findings(definition, records, today, holidays, dossier, position)
    held_on = b.done("branch_resolution")
    held = held_on is not None
    planned = None if held else meeting
    ref = held_on or meeting or today
    for p in problems(definition, b.rec, dossier, position):
        kind = FlagKind.VIOLATION if p.severe else FlagKind.WARNING
        b.flag(kind, p.step, p.message, p.rule)
    # A later step done without a recorded 6-KNĐ: the meeting happened on an
    # unknown date, so nothing can be judged against it; the gap shows instead.
    unrecorded = not held and b.last_done > b.codes.index("branch_resolution")
    if unrecorded:
        age = evaluate(dob, ref, method)
    else:
        check_certificate(b, ref, held, planned)
        check_dossier(b, ref, held, planned)
        age = check_age(b, dob, ref, held, method)
    if (decided := b.done("decision")) is not None:
        b.working_deadline(
            "ceremony",
            decided,
            b.param("ceremony_working_days"),
            b.rule("ceremony_deadline"),
            "Tổ chức lễ kết nạp",
        )
    probation_end = check_probation(b)
    check_introducers(b, ref)
    check_votes(b)
    check_education(b)
    check_youth_union(b, dob, ref)
    check_helper(b)

    # Next is after the furthest step done; earlier unrecorded steps are gaps
    # ("còn thiếu"), not advice to go back to the application.
    ended = any(b.done(s.code) for s in b.steps if s.outcome) or b.done("recognition_decision")
    next_step = None
    if not ended:
        next_step = next(
            (
                s
                for i, s in enumerate(b.steps)
                if i > b.last_done
                and not s.outcome
                and b.rec[s.code].state is StepState.NOT_STARTED
            ),
            None,
        )
    lines = []
    for i, s in enumerate(b.steps):
        r = b.rec[s.code]
        missing = (
            r.state is StepState.NOT_STARTED
            and not s.outcome
            and (i < b.last_done or s is next_step)
        )
        lines.append(
            StepLine(
                s, r, missing, b.due.get(s.code), b.valid.get(s.code), tuple(b.flags_for(s.code))
            )
        )
    # Flags on steps that do not apply here (recorded in an older file) go on no line.
    order = {c: n for n, c in enumerate(definition.codes)}
    flags = sorted(b.flags, key=lambda f: (SEVERITY_ORDER[f.kind], order.get(f.step, 0)))
    counted = effective_steps(definition, b.rec, position)
    return Checklist(
        tuple(lines),
        stage_of({c: b.rec[c] for c in counted}, definition, position),
        next_step,
        ref,
        held,
        age,
        probation_end,
        tuple(flags),
        definition,
        position,
        dossier,
        b.done("decision") if "decision" in counted else None,
    )
