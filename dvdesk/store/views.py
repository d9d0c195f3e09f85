"""The ready-made views an officer needs (danh sách theo yêu cầu), as queries.

Each view is a `MemberQuery` built from the settings and the consideration
date, so the window's counts, the CLI and the printed lists agree: they all
ask the store the same question. The views follow the provincial directive's
concerns (DESIGN.md): find the sources early, follow students who graduate
under 18, keep track of people who work away.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dvdesk.domain.member import Presence, UnitKind
from dvdesk.domain.procedure import Stage
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.settings import Settings

UPCOMING_MONTHS = 6
IN_PROCEDURE = (Stage.INTRODUCED, Stage.COURSE, Stage.DOSSIER, Stage.ADMISSION)


@dataclass(frozen=True)
class View:
    key: str
    label: str
    hint: str  # one line saying what the view is for
    query: MemberQuery


def views(settings: Settings, on: date, months: int = UPCOMING_MONTHS) -> list[View]:
    """Every preset view for the consideration date `on`."""
    method = settings.method
    year_end = settings.school_year_end_after(on)
    students = (Presence.AT_HOME.value,)
    return [
        View("all", "Tất cả đoàn viên", "Mọi đoàn viên đang quản lý.", MemberQuery(method=method)),
        View(
            "eligible",
            "Đủ tuổi vào Đảng tại ngày xét",
            "Đủ 18 đến đủ 60 tuổi (tính theo tháng) tại ngày chi bộ xét.",
            MemberQuery(eligible_on=on, method=method),
        ),
        View(
            "upcoming",
            f"Sẽ đủ 18 tuổi trong {months} tháng tới",
            "Chuẩn bị nguồn: bồi dưỡng, giới thiệu học lớp nhận thức về Đảng.",
            MemberQuery(upcoming_months=months, reference=on, method=method),
        ),
        View(
            "turns_18_school_year",
            "Học sinh đủ 18 tuổi trước khi hết năm học",
            f"Có thể xét kết nạp trong năm học này (hết năm học {year_end:%d/%m/%Y}).",
            MemberQuery(
                unit_kind=UnitKind.SCHOOL.value,
                presences=students,
                eligible_between=(on, year_end),
                method=method,
            ),
        ),
        View(
            "graduate_under_18",
            "Học sinh ra trường khi chưa đủ 18 tuổi",
            "Phải chuyển giới thiệu cảm tình Đảng về nơi cư trú, học tập, làm việc mới.",
            MemberQuery(
                unit_kind=UnitKind.SCHOOL.value,
                presences=students,
                graduate_before_eligible=settings.school_year_end,
                method=method,
            ),
        ),
        View(
            "in_procedure",
            "Đang trong quy trình kết nạp",
            "Đoàn viên ưu tú đã được giới thiệu, chưa có quyết định kết nạp.",
            MemberQuery(stages=tuple(s.value for s in IN_PROCEDURE), method=method),
        ),
        View(
            "away",
            "Đi làm ăn xa, đi nước ngoài",
            "Cần liên hệ để không mất nguồn khi họ đi khỏi địa phương.",
            MemberQuery(
                presences=(Presence.WORKING_AWAY.value, Presence.ABROAD.value), method=method
            ),
        ),
        View(
            "problems",
            "Hồ sơ thiếu hoặc cần kiểm tra",
            "Thiếu ngày sinh đầy đủ, sai định dạng, quá tuổi Đoàn, hồ sơ kết nạp vi phạm (⛔)…",
            MemberQuery(has_issues=True, method=method),
        ),
        View(
            "deleted",
            "Đã xóa (có thể khôi phục)",
            "Những người đã xóa; chọn để khôi phục.",
            MemberQuery(deleted=True, method=method),
        ),
    ]
