"""The admission procedure as data (quy trình kết nạp đảng viên).

One versioned definition names its sources; a change of guidance is an edit
here, not a rewrite elsewhere. Steps follow notes/domain.md §2: Điều lệ Đảng
Điều 4–5; Quy định 294-QĐ/TW (2025) Điều 4–5; Hướng dẫn 06-HD/TW (2025) mục 3
and 5.4; form codes per Hướng dẫn 38-HD/BTCTW (numbering as 12-HD/BTCTW 2022,
believed unchanged — MED).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

PROCEDURE_VERSION = "2025.1"
PROCEDURE_SOURCES = (
    "Điều lệ Đảng (2011), Điều 4, Điều 5",
    "Quy định 294-QĐ/TW ngày 26/5/2025",
    "Hướng dẫn 06-HD/TW ngày 09/6/2025",
    "Hướng dẫn 38-HD/BTCTW (2025) — biểu mẫu 1-KNĐ … 16-KNĐ",
)


class StepState(StrEnum):
    """A step's state for one candidate."""

    NOT_STARTED = "not_started"  # chưa làm
    DONE = "done"  # đã xong (ngày, số văn bản)
    NOT_APPLICABLE = "not_applicable"  # không áp dụng


STEP_STATE_LABELS = {
    StepState.NOT_STARTED: "Chưa làm",
    StepState.DONE: "Đã xong",
    StepState.NOT_APPLICABLE: "Không áp dụng",
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


STAGE_LABELS = {
    Stage.MEMBER: "Đoàn viên",
    Stage.INTRODUCED: "Đoàn viên ưu tú được giới thiệu",
    Stage.COURSE: "Đã học nhận thức về Đảng",
    Stage.DOSSIER: "Đang làm hồ sơ",
    Stage.ADMISSION: "Đang xét kết nạp",
    Stage.PROBATION: "Đảng viên dự bị",
    Stage.FULL: "Đảng viên chính thức",
}


@dataclass(frozen=True)
class StepDef:
    code: str
    title: str  # Vietnamese, as printed on the checklist
    form: str  # form code (mẫu), "" when none
    actor: str  # who acts
    stage: Stage  # the stage reached once this step is done
    optional: bool = False  # usually not applicable at commune level
    note: str = ""  # rule and source shown beside the step


STEPS: tuple[StepDef, ...] = (
    StepDef(
        "source",
        "Đưa vào danh sách cảm tình Đảng, phân công đảng viên giúp đỡ",
        "",
        "Chi bộ, chi đoàn",
        Stage.INTRODUCED,
        note="Nguồn phát triển đảng viên (thực tiễn địa phương).",
    ),
    StepDef(
        "course",
        "Học lớp bồi dưỡng nhận thức về Đảng — giấy chứng nhận",
        "CN-NTVĐ",
        "Cơ sở đào tạo do cấp tỉnh chỉ định",
        Stage.COURSE,
        note="Giấy chứng nhận có giá trị 60 tháng (06-HD/TW, mục 5.4).",
    ),
    StepDef(
        "application",
        "Đơn xin vào Đảng",
        "1-KNĐ",
        "Người xin vào Đảng",
        Stage.DOSSIER,
        note="Viết tay; làm trước lý lịch (06-HD/TW, mục 3).",
    ),
    StepDef(
        "biography",
        "Lý lịch của người xin vào Đảng",
        "2-KNĐ",
        "Người xin vào Đảng",
        Stage.DOSSIER,
        note="Đóng dấu giáp lai trước khi thẩm tra.",
    ),
    StepDef(
        "verification",
        "Thẩm tra, xác minh lý lịch",
        "",
        "Chi bộ, cấp ủy cơ sở",
        Stage.DOSSIER,
        note="Người xin vào Đảng, cha mẹ, vợ/chồng, con (06-HD/TW 3.4).",
    ),
    StepDef(
        "introduction",
        "Giấy giới thiệu người vào Đảng",
        "3-KNĐ",
        "Đảng viên chính thức",
        Stage.DOSSIER,
        note="Đảng viên chính thức, cùng công tác/sinh hoạt ít nhất 12 tháng (294-QĐ/TW 3.2.1).",
    ),
    StepDef(
        "union_resolution",
        "Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng",
        "4-KNĐ",
        "BCH Đoàn cơ sở",
        Stage.DOSSIER,
        note="Thay một đảng viên giới thiệu (Điều lệ Đảng, Điều 4).",
    ),
    StepDef(
        "opinions",
        "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú",
        "5-KNĐ",
        "Chi ủy",
        Stage.DOSSIER,
    ),
    StepDef(
        "branch_resolution",
        "Nghị quyết chi bộ đề nghị kết nạp (xét tuổi tại ngày họp)",
        "6-KNĐ",
        "Chi bộ",
        Stage.ADMISSION,
        note="Đủ 18 đến đủ 60 tuổi tính theo tháng; ≥ 2/3 đảng viên chính thức tán thành.",
    ),
    StepDef(
        "appraisal",
        "Báo cáo thẩm định của đảng ủy bộ phận",
        "7-KNĐ",
        "Đảng ủy bộ phận",
        Stage.ADMISSION,
        optional=True,
        note="Chỉ khi có đảng ủy bộ phận.",
    ),
    StepDef(
        "grassroots_resolution",
        "Nghị quyết đảng ủy cơ sở đề nghị kết nạp",
        "8-KNĐ",
        "Đảng ủy cơ sở",
        Stage.ADMISSION,
        note="≥ 2/3 cấp ủy viên tán thành.",
    ),
    StepDef(
        "decision",
        "Quyết định kết nạp đảng viên",
        "9-KNĐ",
        "Cấp ủy có thẩm quyền",
        Stage.ADMISSION,
        note="Từ 01/7/2025: ban thường vụ đảng ủy xã (MED).",
    ),
    StepDef(
        "ceremony",
        "Lễ kết nạp",
        "",
        "Chi bộ",
        Stage.PROBATION,
        note="Trong 30 ngày làm việc từ khi nhận quyết định (294-QĐ/TW Điều 5, 4.1).",
    ),
    StepDef(
        "party_biography",
        "Khai lý lịch đảng viên",
        "1-HSĐV",
        "Đảng viên mới",
        Stage.PROBATION,
        note="Trong 30 ngày làm việc sau lễ kết nạp (MED).",
    ),
    StepDef(
        "self_review",
        "Bản tự kiểm điểm của đảng viên dự bị",
        "10-KNĐ",
        "Đảng viên dự bị",
        Stage.PROBATION,
    ),
    StepDef(
        "helper_review",
        "Bản nhận xét của đảng viên giúp đỡ",
        "11-KNĐ",
        "Đảng viên giúp đỡ",
        Stage.PROBATION,
    ),
    StepDef(
        "recognition_opinions",
        "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú",
        "12-KNĐ",
        "Chi ủy",
        Stage.PROBATION,
    ),
    StepDef(
        "recognition_branch",
        "Nghị quyết chi bộ đề nghị công nhận đảng viên chính thức",
        "13-KNĐ",
        "Chi bộ",
        Stage.PROBATION,
        note="Trong 30 ngày làm việc sau khi hết 12 tháng dự bị (294-QĐ/TW 4.2).",
    ),
    StepDef(
        "recognition_appraisal",
        "Báo cáo thẩm định (đảng ủy bộ phận)",
        "14-KNĐ",
        "Đảng ủy bộ phận",
        Stage.PROBATION,
        optional=True,
    ),
    StepDef(
        "recognition_grassroots",
        "Nghị quyết đảng ủy cơ sở đề nghị công nhận chính thức",
        "15-KNĐ",
        "Đảng ủy cơ sở",
        Stage.PROBATION,
    ),
    StepDef(
        "recognition_decision",
        "Quyết định công nhận đảng viên chính thức",
        "16-KNĐ",
        "Cấp ủy có thẩm quyền",
        Stage.FULL,
        note="Chính thức từ ngày hết 12 tháng dự bị, kể cả khi xét muộn.",
    ),
)

STEP_BY_CODE = {s.code: s for s in STEPS}
STEP_CODES = tuple(s.code for s in STEPS)
_STAGE_ORDER = list(Stage)


def stage_of(done_codes: set[str] | frozenset[str]) -> Stage:
    """The furthest stage any done step has reached."""
    reached = [STEP_BY_CODE[c].stage for c in done_codes if c in STEP_BY_CODE]
    return max(reached, key=_STAGE_ORDER.index, default=Stage.MEMBER)


@dataclass(frozen=True)
class StepRecord:
    """One candidate's record of one step."""

    code: str
    state: StepState = StepState.NOT_STARTED
    done_on: date | None = None
    doc_number: str = ""  # số văn bản
    note: str = ""


def default_record(code: str) -> StepRecord:
    """Optional steps (7-KNĐ, 14-KNĐ) start as not applicable at commune level."""
    state = StepState.NOT_APPLICABLE if STEP_BY_CODE[code].optional else StepState.NOT_STARTED
    return StepRecord(code, state)
