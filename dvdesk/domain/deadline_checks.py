"""The deadline and validity checks behind a candidate's checklist (kiểm tra thời hạn).

Each check reads the recorded steps, adds deadlines and validity dates per
step and raises flags (deadline_rules.Flag) carrying the rule they apply.
Reference date: once the branch resolution (6-KNĐ) is done, its date is the
meeting that counted; before that, the planned meeting, else today. Deadline
flags stop once a later step is recorded as done (the candidate has moved on;
a late step shows as a "lưu ý" instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from dvdesk.domain import deadline_rules as R
from dvdesk.domain.dates import PartialDate, add_months, fmt
from dvdesk.domain.deadline_rules import Flag, FlagKind
from dvdesk.domain.eligibility import Eligibility, Method, Status, evaluate
from dvdesk.domain.procedure import STEP_CODES, StepRecord, StepState, default_record
from dvdesk.domain.workdays import Holidays, add_working_days, working_days_between


class Findings:
    """Collects per-step facts while the rules run."""

    def __init__(self, records: Mapping[str, StepRecord], today: date, holidays: Holidays):
        self.rec = {c: records.get(c) or default_record(c) for c in STEP_CODES}
        self.today = today
        self.holidays = holidays
        self.due: dict[str, date] = {}
        self.valid: dict[str, date] = {}
        self.flags: list[Flag] = []
        done = [i for i, c in enumerate(STEP_CODES) if self.done(c)]
        self.last_done = max(done, default=-1)

    def done(self, code: str) -> date | None:
        r = self.rec[code]
        return r.done_on if r.state is StepState.DONE else None

    def open(self, code: str) -> bool:
        """Not started and no later step done: its deadline still matters."""
        return (
            self.rec[code].state is StepState.NOT_STARTED
            and STEP_CODES.index(code) > self.last_done
        )

    def flags_for(self, code: str) -> list[Flag]:
        return [f for f in self.flags if f.step == code]

    def flag(
        self, kind: FlagKind, step: str, message: str, rule: R.Rule, due: date | None = None
    ) -> None:
        self.flags.append(Flag(kind, step, message, rule, due))

    def working_deadline(self, step: str, start: date, days: int, rule: R.Rule, what: str) -> None:
        """A deadline of `days` working days after `start` for `step`."""
        due = add_working_days(start, days, self.holidays)
        self.due[step] = due
        done_on = self.done(step)
        if done_on is not None:
            if done_on > due:
                self.flag(
                    FlagKind.WARNING,
                    step,
                    f"{what} ngày {fmt(done_on)}, muộn hơn hạn {fmt(due)}.",
                    rule,
                    due,
                )
            return
        if not self.open(step):
            return
        if self.today > due:
            self.flag(
                FlagKind.OVERDUE, step, f"Quá hạn {what.lower()} (hạn {fmt(due)}).", rule, due
            )
            return
        left = working_days_between(self.today, due, self.holidays)
        if left <= R.DEADLINE_WARN_WORKING_DAYS:
            when = f"còn {left} ngày làm việc" if left else "hôm nay là ngày cuối"
            self.flag(
                FlagKind.EXPIRING,
                step,
                f"Sắp đến hạn {what.lower()}: {when} (hạn {fmt(due)}).",
                rule,
                due,
            )


def check_certificate(b: Findings, ref: date, held: bool, planned: date | None) -> None:
    issued = b.done("course")
    if issued is None:
        return
    expires = add_months(issued, R.CERTIFICATE_MONTHS)  # valid strictly before this day
    b.valid["course"] = expires - timedelta(days=1)
    rule, head = R.CERTIFICATE, f"Giấy chứng nhận CN-NTVĐ cấp ngày {fmt(issued)}"
    if held:
        if ref >= expires:
            b.flag(
                FlagKind.WARNING,
                "course",
                f"Chi bộ họp xét ngày {fmt(ref)} khi giấy chứng nhận CN-NTVĐ (cấp ngày "
                f"{fmt(issued)}) đã hết hạn từ ngày {fmt(expires)}.",
                rule,
                expires,
            )
        return
    if b.today >= expires:
        b.flag(
            FlagKind.OVERDUE,
            "course",
            f"{head} đã hết hạn từ ngày {fmt(expires)} — phải học lại lớp bồi dưỡng "
            "nhận thức về Đảng.",
            rule,
            expires,
        )
    elif planned is not None and planned >= expires:
        b.flag(
            FlagKind.EXPIRING,
            "course",
            f"{head} hết hạn từ ngày {fmt(expires)}, trước ngày chi bộ họp dự kiến "
            f"{fmt(planned)} — phải học lại hoặc họp xét sớm hơn.",
            rule,
            expires,
        )
    elif b.today >= expires - timedelta(days=R.CERTIFICATE_WARN_DAYS):
        left = (expires - b.today).days
        b.flag(
            FlagKind.EXPIRING,
            "course",
            f"{head} sắp hết hạn: còn {left} ngày (hết hạn từ ngày {fmt(expires)}).",
            rule,
            expires,
        )


def check_dossier(b: Findings, ref: date, held: bool, planned: date | None) -> None:
    dated = [(d, c) for c in R.DOSSIER_STEPS if (d := b.done(c)) is not None]
    if not dated:
        return
    made, first = min(dated)
    last_valid = add_months(made, R.DOSSIER_MONTHS)  # stale when the meeting is later
    for _, code in dated:
        b.valid[code] = last_valid
    rule, redo = R.DOSSIER, "làm lại 3-KNĐ, 4-KNĐ, 5-KNĐ và bổ sung lý lịch"
    if held:
        if ref > last_valid:
            b.flag(
                FlagKind.WARNING,
                first,
                f"Chi bộ họp xét ngày {fmt(ref)} khi hồ sơ lập ngày {fmt(made)} đã quá 12 tháng.",
                rule,
                last_valid,
            )
        return
    if b.today > last_valid:
        b.flag(
            FlagKind.OVERDUE,
            first,
            f"Hồ sơ lập ngày {fmt(made)} đã quá 12 tháng (hết hạn sau ngày "
            f"{fmt(last_valid)}) mà chi bộ chưa xét: {redo}.",
            rule,
            last_valid,
        )
    elif planned is not None and planned > last_valid:
        b.flag(
            FlagKind.EXPIRING,
            first,
            f"Hồ sơ lập ngày {fmt(made)} sẽ quá 12 tháng trước ngày chi bộ họp dự kiến "
            f"{fmt(planned)}: họp xét chậm nhất ngày {fmt(last_valid)} hoặc {redo}.",
            rule,
            last_valid,
        )
    elif b.today >= last_valid - timedelta(days=R.DOSSIER_WARN_DAYS):
        b.flag(
            FlagKind.EXPIRING,
            first,
            f"Hồ sơ lập ngày {fmt(made)} sắp quá 12 tháng: chi bộ cần họp xét chậm nhất "
            f"ngày {fmt(last_valid)}.",
            rule,
            last_valid,
        )


def check_age(
    b: Findings, dob: PartialDate | None, ref: date, held: bool, method: Method
) -> Eligibility:
    result = evaluate(dob, ref, method)
    if b.done("decision") is not None and result.status is Status.ELIGIBLE:
        return result
    if held and result.status is not Status.ELIGIBLE:
        b.flag(
            FlagKind.WARNING,
            "branch_resolution",
            f"Chi bộ họp xét ngày {fmt(ref)}: {result.reason}",
            R.AGE,
            ref,
        )
    elif not held and result.status is not Status.ELIGIBLE:
        b.flag(FlagKind.WARNING, "branch_resolution", result.reason, R.AGE, ref)
    for warning in result.warnings:
        b.flag(FlagKind.WARNING, "branch_resolution", warning, R.AGE, ref)
    return result


def check_probation(b: Findings) -> date | None:
    ceremony = b.done("ceremony")
    if ceremony is None:
        return None
    b.working_deadline(
        "party_biography",
        ceremony,
        R.PARTY_BIOGRAPHY_WORKING_DAYS,
        R.PARTY_BIOGRAPHY,
        "Khai lý lịch đảng viên",
    )
    end = add_months(ceremony, R.PROBATION_MONTHS)
    b.working_deadline(
        "recognition_branch",
        end,
        R.RECOGNITION_WORKING_DAYS,
        R.RECOGNITION,
        "Chi bộ xét công nhận đảng viên chính thức",
    )
    due = b.due["recognition_branch"]
    held = b.done("recognition_branch")
    if held is not None and held < end:
        b.flag(
            FlagKind.WARNING,
            "recognition_branch",
            f"Chi bộ xét công nhận ngày {fmt(held)}, trước khi hết 12 tháng dự bị ({fmt(end)}).",
            R.RECOGNITION,
            end,
        )
    elif b.open("recognition_branch") and not b.flags_for("recognition_branch"):
        if b.today >= end:
            b.flag(
                FlagKind.EXPIRING,
                "recognition_branch",
                f"Đã hết 12 tháng dự bị ngày {fmt(end)}: chi bộ xét công nhận chính thức "
                f"chậm nhất ngày {fmt(due)}.",
                R.RECOGNITION,
                due,
            )
        elif b.today >= end - timedelta(days=R.PROBATION_WARN_DAYS):
            b.flag(
                FlagKind.EXPIRING,
                "recognition_branch",
                f"Sắp hết 12 tháng dự bị ({fmt(end)}): chuẩn bị 10-KNĐ, 11-KNĐ, 12-KNĐ; "
                f"chi bộ xét chậm nhất ngày {fmt(due)}.",
                R.RECOGNITION,
                due,
            )
    return end
