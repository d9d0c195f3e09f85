"""Checks of what the Party verifies besides dates (notes/domain.md rules 8–11).

Introducers, votes, education, Youth Union membership and the helping Party
member, each flag with its rule and source. A broken admission condition on a
recorded resolution (an introducer not official, under 12 months together, a
vote short of 2/3) is a violation (vi phạm); data still to fill in is a
"lưu ý".
"""

from __future__ import annotations

from datetime import date

from dvdesk.domain.dates import PartialDate, fmt
from dvdesk.domain.deadline_checks import Findings
from dvdesk.domain.deadline_rules import FlagKind
from dvdesk.domain.eligibility import completed_years, months_completed
from dvdesk.domain.procedure_dossier import (
    PARTY_STATUS_LABELS,
    PartyStatus,
    education_grade,
    education_minimum,
)
from dvdesk.domain.procedure_order import introducers_needed


def check_introducers(b: Findings, ref: date) -> None:
    introduced = b.done("introduction")
    people = b.dossier.introducers
    rule, step = b.rule("introducers"), "introduction"
    months = b.param("introducer_months_together")
    for person in people:
        on = person.introduced_on or introduced or ref
        who = person.name or "(chưa ghi tên)"
        if person.status is not PartyStatus.OFFICIAL:
            b.flag(
                FlagKind.VIOLATION,
                step,
                f"Người giới thiệu {who} là “{PARTY_STATUS_LABELS[person.status].lower()}” "
                f"ngày {fmt(on)}: phải là đảng viên chính thức.",
                rule,
            )
        if person.together_since is None:
            b.flag(
                FlagKind.WARNING,
                step,
                f"Người giới thiệu {who}: chưa ghi cùng công tác/sinh hoạt với người vào Đảng "
                "từ ngày nào.",
                rule,
            )
        elif (together := months_completed(person.together_since, on)) < months:
            b.flag(
                FlagKind.VIOLATION,
                step,
                f"Người giới thiệu {who} mới cùng công tác/sinh hoạt với người vào Đảng "
                f"{max(together, 0)} tháng (từ {fmt(person.together_since)} đến {fmt(on)}): "
                f"phải ít nhất {months} tháng.",
                rule,
            )
    need = introducers_needed(b.rec)
    if len(people) < need and introduced is not None and b.done("decision") is None:
        route = "Đoàn giới thiệu (4-KNĐ) và 1 đảng viên" if need == 1 else "2 đảng viên chính thức"
        kind = FlagKind.VIOLATION if b.done("branch_resolution") else FlagKind.WARNING
        b.flag(
            kind,
            step,
            f"Cần {route} giới thiệu; mới ghi {len(people)} người giới thiệu.",
            rule,
        )


def check_votes(b: Findings) -> None:
    num, den = b.param("vote_numerator"), b.param("vote_denominator")
    for s in b.steps:
        if not s.vote or b.done(s.code) is None:
            continue
        rule = b.rule("branch_vote" if s.vote == "branch" else "committee_vote")
        vote = b.dossier.votes.get(s.code)
        whom = "đảng viên chính thức" if s.vote == "branch" else "cấp ủy viên"
        if vote is None:
            if s.code == "branch_resolution":
                b.flag(
                    FlagKind.WARNING,
                    s.code,
                    f"{s.label}: chưa ghi kết quả biểu quyết (số {whom} tán thành / tổng số).",
                    rule,
                )
            continue
        if problem := vote.problem():
            b.flag(FlagKind.WARNING, s.code, f"{s.label}: số phiếu không hợp lệ — {problem}", rule)
        elif not vote.passes(num, den):
            b.flag(
                FlagKind.VIOLATION,
                s.code,
                f"{s.label}: {vote.in_favour}/{vote.total} {whom} tán thành, chưa đủ {num}/{den}.",
                rule,
            )


def check_education(b: Findings) -> None:
    if b.done("application") is None and not b.dossier.education:
        return
    rule, step = b.rule("education"), "application"
    text = b.dossier.education.strip()
    if not text:
        b.flag(FlagKind.WARNING, step, "Chưa ghi trình độ học vấn.", rule)
        return
    grade = education_grade(text)
    if grade is None:
        b.flag(
            FlagKind.WARNING,
            step,
            f"Không đọc được trình độ học vấn “{text}” (ghi dạng 9/12, 12/12 hoặc THCS, THPT…).",
            rule,
        )
        return
    minimum = education_minimum(b.dossier.difficult_area)
    if grade < minimum and not b.excepted(rule.code):
        need = "tốt nghiệp tiểu học" if b.dossier.difficult_area else "tốt nghiệp THCS (9/12)"
        b.flag(
            FlagKind.WARNING,
            step,
            f"Trình độ học vấn “{text}” chưa đạt mức tối thiểu: {need}.",
            rule,
        )


def check_youth_union(b: Findings, dob: PartialDate | None, ref: date) -> None:
    if dob is None or not dob.is_full or b.done("application") is None:
        return
    years = completed_years(dob.as_date(), ref)
    if not b.param("youth_min_years") <= years <= b.param("youth_max_years"):
        return
    rule = b.rule("youth_union")
    if b.dossier.union_member is False:
        b.flag(
            FlagKind.WARNING,
            "union_resolution",
            f"Người vào Đảng {years} tuổi (độ tuổi thanh niên) nhưng không phải đoàn viên.",
            rule,
        )
    elif b.done("union_resolution") is None and (
        b.done("branch_resolution") or b.done("introduction")
    ):
        b.flag(
            FlagKind.WARNING,
            "union_resolution",
            f"Người vào Đảng {years} tuổi là đoàn viên: cần nghị quyết giới thiệu của Đoàn "
            "(4-KNĐ).",
            rule,
        )


def check_helper(b: Findings) -> None:
    if b.dossier.helper.strip() or b.done("application") is None:
        return
    b.flag(
        FlagKind.WARNING,
        "source",
        "Chưa ghi đảng viên giúp đỡ người vào Đảng.",
        b.rule("helper"),
    )
