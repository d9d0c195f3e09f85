"""The small enumerations lists and figures filter on: a unit's kind, a member's presence
and stage. In their own light module (domain/member.py and domain/procedure.py re-export
them) so the list and statistics commands need not load members' and the procedure's code.
"""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    """Residential area (khu dân cư, thôn, tổ dân phố) or high school (trường THPT)."""

    RESIDENTIAL = "residential"
    SCHOOL = "school"


UNIT_KIND_LABELS = {UnitKind.RESIDENTIAL: "Khu dân cư", UnitKind.SCHOOL: "Trường THPT"}


class Presence(StrEnum):
    """Where the member is now (tình trạng): residential lists go stale fast."""

    AT_HOME = "at_home"  # đang ở địa phương
    WORKING_AWAY = "working_away"  # đi làm ăn xa
    ABROAD = "abroad"  # đi làm việc ở nước ngoài
    MOVED = "moved"  # đã chuyển đi
    GRADUATED = "graduated"  # đã tốt nghiệp (học sinh)
    LEFT_UNION = "left_union"  # đã trưởng thành Đoàn hoặc thôi sinh hoạt Đoàn


PRESENCE_LABELS = {
    Presence.AT_HOME: "Đang ở địa phương",
    Presence.WORKING_AWAY: "Đi làm ăn xa",
    Presence.ABROAD: "Đi nước ngoài",
    Presence.MOVED: "Đã chuyển đi",
    Presence.GRADUATED: "Đã tốt nghiệp",
    # Not "Đã ra khỏi Đoàn": trưởng thành Đoàn is an honour, not a leaving (domain.md §4).
    Presence.LEFT_UNION: "Đã trưởng thành Đoàn, thôi sinh hoạt Đoàn",
}
# Labels earlier versions wrote, still read back on import.
PRESENCE_ALIASES = {
    "Đã ra khỏi Đoàn": Presence.LEFT_UNION,
    "Đã trưởng thành Đoàn": Presence.LEFT_UNION,
}


class Stage(StrEnum):
    """Where a member stands (giai đoạn), derived from the steps done."""

    MEMBER = "member"  # đoàn viên
    INTRODUCED = "introduced"  # đoàn viên ưu tú được giới thiệu
    COURSE = "course"  # đã học lớp nhận thức về Đảng
    DOSSIER = "dossier"  # đang làm hồ sơ
    ADMISSION = "admission"  # đang xét kết nạp
    PROBATION = "probation"  # đảng viên dự bị
    FULL = "full"  # đảng viên chính thức
    REMOVED = "removed"  # không công nhận chính thức, đã xóa tên


STAGE_LABELS = {
    Stage.MEMBER: "Đoàn viên",
    Stage.INTRODUCED: "Đoàn viên ưu tú được giới thiệu",
    Stage.COURSE: "Đã học nhận thức về Đảng",
    Stage.DOSSIER: "Đang làm hồ sơ",
    Stage.ADMISSION: "Đang xét kết nạp",
    Stage.PROBATION: "Đảng viên dự bị",
    Stage.FULL: "Đảng viên chính thức",
    Stage.REMOVED: "Không công nhận chính thức — đã xóa tên",
}
