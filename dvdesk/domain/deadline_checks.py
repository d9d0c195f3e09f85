"""The deadline and validity checks behind a candidate's checklist (kiểm tra thời hạn).

Each check reads the recorded steps, adds deadlines and validity dates per
step and raises flags (deadline_rules.Flag) carrying the rule they apply; the
numbers come from the procedure definition. Reference date: once the branch
resolution (6-KNĐ) is done, its date is the meeting that counted; before that,
the planned meeting, else today. What was broken at a held meeting (age,
certificate, stale dossier) is a violation (vi phạm), not a reminder.
Deadline flags stop once a later step is recorded as done (the candidate has
moved on; a late step shows as a "lưu ý" instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from dvdesk.domain.dates import PartialDate, add_months, fmt
from dvdesk.domain.deadline_rules import Flag, FlagKind
from dvdesk.domain.eligibility import Eligibility, Method, Status, evaluate
from dvdesk.domain.procedure import Definition, Rule, StepRecord, StepState, default_record
from dvdesk.domain.procedure_dossier import Dossier
from dvdesk.domain.workdays import Holidays, add_working_days, working_days_between

DOSSIER_STEPS = ("introduction", "union_resolution", "opinions")  # 3-, 4-, 5-KNĐ


class Findings:
    """Collects per-step facts while the rules run."""

    def __init__(
        self,
        definition: Definition,
        records: Mapping[str, StepRecord],
        today: date,
        holidays: Holidays,
        dossier: Dossier,
        position: str,
    ):
        self.d = definition
        self.dossier = dossier
        self.position = position
        self.steps = definition.steps_for(position)
        self.codes = tuple(s.code for s in self.steps)
        self.rec = {c: records.get(c) or default_record(c) for c in definition.codes}
        self.today = today
        self.holidays = holidays
        self.due: dict[str, date] = {}
        self.valid: dict[str, date] = {}
        self.flags: list[Flag] = []
        done = [i for i, c in enumerate(self.codes) if self.done(c) and not self.d.step(c).outcome]
        self.last_done = max(done, default=-1)

    def rule(self, code: str) -> Rule:
        return self.d.rule(code)

    def param(self, name: str) -> int:
        return self.d.param(name)

    def done(self, code: str) -> date | None:
        r = self.rec[code]
        return r.done_on if r.state is StepState.DONE else None

    def open(self, code: str) -> bool:
        """Not started and no later step done: its deadline still matters."""
        return (
            self.rec[code].state is StepState.NOT_STARTED
            and code in self.codes
            and self.codes.index(code) > self.last_done
        )

    def excepted(self, rule: str, step: str = "") -> bool:
        return (
            bool(self.d.rule(rule).exception) and self.dossier.exception_for(rule, step) is not None
        )

    def flags_for(self, code: str) -> list[Flag]:
        return [f for f in self.flags if f.step == code]

    def flag(
        self, kind: FlagKind, step: str, message: str, rule: Rule, due: date | None = None
    ) -> None:
        self.flags.append(Flag(kind, step, message, rule, due))

    def deadline(self, step: str, due: date, rule: Rule, what: str) -> None:
        """`step` must be done by `due` (a calendar date)."""
        self.due[step] = due
        done_on = self.done(step)
        if done_on is not None:
            if done_on > due and not self.excepted(rule.code, step):
                self.flag(
                    FlagKind.WARNING,
                    step,
                    f"{what} ngày {fmt(done_on)}, muộn hơn hạn {fmt(due)}.",
                    rule,
                    due,
                )
            return
        if not self.open(step) or self.excepted(rule.code, step):
            return
        if self.today > due:
            self.flag(
                FlagKind.OVERDUE, step, f"Quá hạn {what.lower()} (hạn {fmt(due)}).", rule, due
            )
            return
        left = working_days_between(self.today, due, self.holidays)
        if left <= self.param("deadline_warn_working_days"):
            when = f"còn {left} ngày làm việc" if left else "hôm nay là ngày cuối"
            self.flag(
                FlagKind.EXPIRING,
                step,
                f"Sắp đến hạn {what.lower()}: {when} (hạn {fmt(due)}).",
                rule,
                due,
            )

    def working_deadline(self, step: str, start: date, days: int, rule: Rule, what: str) -> None:
        """A deadline of `days` working days after `start` for `step`."""
        self.deadline(step, add_working_days(start, days, self.holidays), rule, what)


def check_certificate(b: Findings, ref: date, held: bool, planned: date | None) -> None:
    issued = b.done("course")
    if issued is None:
        return
    expires = add_months(issued, b.param("certificate_months"))  # valid strictly before
    b.valid["course"] = expires - timedelta(days=1)
    rule, head = b.rule("certificate_validity"), f"Giấy chứng nhận CN-NTVĐ cấp ngày {fmt(issued)}"
    if held:
        if ref >= expires:
            b.flag(
                FlagKind.VIOLATION,
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
    elif b.today >= expires - timedelta(days=b.param("certificate_warn_days")):
        left = (expires - b.today).days
        b.flag(
            FlagKind.EXPIRING,
            "course",
            f"{head} sắp hết hạn: còn {left} ngày (hết hạn từ ngày {fmt(expires)}).",
            rule,
            expires,
        )


def check_dossier(b: Findings, ref: date, held: bool, planned: date | None) -> None:
    dated = [(d, c) for c in DOSSIER_STEPS if (d := b.done(c)) is not None]
    if not dated:
        return
    made, first = min(dated)
    last_valid = add_months(made, b.param("dossier_months"))  # stale when the meeting is later
    for _, code in dated:
        b.valid[code] = last_valid
    rule, redo = b.rule("dossier_stale"), "làm lại 3-KNĐ, 4-KNĐ, 5-KNĐ và bổ sung lý lịch"
    if held:
        if ref > last_valid:
            b.flag(
                FlagKind.VIOLATION,
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
    elif b.today >= last_valid - timedelta(days=b.param("dossier_warn_days")):
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
    step = "branch_resolution"
    over = result.status is Status.OVER_AGE
    rule = b.rule("age_over_60") if over else b.rule("age_at_meeting")
    consent = over and b.excepted("age_over_60", step)
    if held and result.status in (Status.TOO_YOUNG, Status.OVER_AGE) and not consent:
        extra = " và chưa ghi văn bản đồng ý của ban thường vụ tỉnh ủy/thành ủy" if over else ""
        b.flag(
            FlagKind.VIOLATION,
            step,
            f"Chi bộ họp xét ngày {fmt(ref)}: {result.reason}{extra}",
            rule,
            ref,
        )
    elif held and result.status is Status.UNKNOWN:
        b.flag(
            FlagKind.WARNING, step, f"Chi bộ họp xét ngày {fmt(ref)}: {result.reason}", rule, ref
        )
    elif not held and result.status is not Status.ELIGIBLE and not consent:
        b.flag(FlagKind.WARNING, step, result.reason, rule, ref)
    if b.done("decision") is None or not held:
        for warning in result.warnings:
            b.flag(FlagKind.WARNING, step, warning, b.rule("age_at_meeting"), ref)
    return result


def check_probation(b: Findings) -> date | None:
    ceremony = b.done("ceremony")
    if ceremony is None:
        return None
    b.working_deadline(
        "party_biography",
        ceremony,
        b.param("party_biography_working_days"),
        b.rule("party_biography_deadline"),
        "Khai lý lịch đảng viên",
    )
    end = add_months(ceremony, b.param("probation_months"))
    recognition = b.rule("recognition_deadline")
    b.working_deadline(
        "recognition_branch",
        end,
        b.param("recognition_working_days"),
        recognition,
        "Chi bộ xét công nhận đảng viên chính thức",
    )
    due = b.due["recognition_branch"]
    # What the chi bộ needs on the table at that meeting has the same deadline;
    # the new-member course is due within the probation itself.
    course_rule = b.rule("new_member_course")
    if not b.excepted(course_rule.code, "recognition_branch"):
        b.deadline("new_member_course", end, course_rule, "Học lớp bồi dưỡng đảng viên mới")
    for code, what in (
        ("self_review", "Bản tự kiểm điểm (10-KNĐ)"),
        ("helper_review", "Bản nhận xét của đảng viên giúp đỡ (11-KNĐ)"),
        ("recognition_opinions", "Tổng hợp ý kiến nhận xét (12-KNĐ)"),
    ):
        if (
            b.done(code) is None
            and b.open(code)
            and b.today >= end - timedelta(days=b.param("probation_warn_days"))
        ):
            b.deadline(code, due, recognition, what)
        else:
            b.due[code] = due
    held = b.done("recognition_branch")
    if held is not None and held < end:
        b.flag(
            FlagKind.VIOLATION,
            "recognition_branch",
            f"Chi bộ xét công nhận ngày {fmt(held)}, trước khi hết 12 tháng dự bị ({fmt(end)}).",
            b.rule("recognition_too_early"),
            end,
        )
    elif b.open("recognition_branch") and not b.flags_for("recognition_branch"):
        if b.today >= end:
            b.flag(
                FlagKind.EXPIRING,
                "recognition_branch",
                f"Đã hết 12 tháng dự bị ngày {fmt(end)}: chi bộ xét công nhận chính thức "
                f"chậm nhất ngày {fmt(due)}.",
                recognition,
                due,
            )
        elif b.today >= end - timedelta(days=b.param("probation_warn_days")):
            b.flag(
                FlagKind.EXPIRING,
                "recognition_branch",
                f"Sắp hết 12 tháng dự bị ({fmt(end)}): chuẩn bị 10-KNĐ, 11-KNĐ, 12-KNĐ; "
                f"chi bộ xét chậm nhất ngày {fmt(due)}.",
                recognition,
                due,
            )
    return end
