"""Printed procedure checklist (phiếu theo dõi hồ sơ kết nạp), one candidate per page.

Every step of the procedure with its form code; a done step shows its date and
document number, a step still to do shows an empty box drawn as a shape with
a line to write the date on. What is missing, overdue or about to expire is
marked in the row and listed under the table with the rule's source.

A batch is one PDF grouped by unit (in the units' order, names in the order
given). Each candidate's sheet starts on a new page and is numbered on its
own (HD 36: from its page 2, at the top, with the candidate's name), since
each sheet goes to a different dossier. Nothing is shrunk: a sheet too long
for one page continues on the next with the table's header repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from dvdesk.domain.checklist import FLAG_KIND_LABELS, Checklist, FlagKind, StepLine
from dvdesk.domain.dates import fmt
from dvdesk.domain.eligibility import Status
from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, Member
from dvdesk.domain.procedure import STAGE_LABELS, Stage, StepState
from dvdesk.domain.procedure_dossier import PARTY_STATUS_LABELS
from dvdesk.errors import KnownError
from dvdesk.reports import furniture as f
from dvdesk.reports import sources
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import BOLD, REGULAR
from dvdesk.reports.grid import Cell, CellLike, Grid
from dvdesk.reports.line_blocks import Line, LineColumns, wrap_number, wrapped
from dvdesk.reports.progress import Cancel, Progress, Tracker
from dvdesk.reports.shapes import CheckBox
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

TITLE = "PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN"
ROW_FILL = {
    FlagKind.VIOLATION: colors.HexColor("#F8D7DA"),
    FlagKind.OVERDUE: colors.HexColor("#F8D7DA"),
    FlagKind.EXPIRING: colors.HexColor("#FCEBD0"),
}
NEXT_FILL = colors.HexColor("#FFF7C2")
CELL_SIZE, CELL_LEADING = st.TABLE_SIZE, st.TABLE_LEADING
DETAIL_SIZE, DETAIL_LEADING = st.NOTE_SIZE, 16
# The done column holds a 40-character number in 3 lines (notes/documents.md), date above.
COLUMNS = (9 * mm, 49 * mm, 19 * mm, 38 * mm, 27 * mm, 23 * mm)  # = FRAME_WIDTH (165 mm)
ID_LABEL = "Số định danh cá nhân"  # the same words as on the transfer letter (not "CCCD")


@dataclass(frozen=True)
class CandidateSheet:
    """What one checklist page shows."""

    member: Member
    unit_name: str
    checklist: Checklist


def candidate_sheet(
    store: Store,
    uid: str,
    meeting: date | None,
    today: date,
    units: dict[str, str] | None = None,
) -> CandidateSheet:
    member = sources.member_of(store, uid)
    units = units if units is not None else sources.unit_names(store)
    return CandidateSheet(
        member,
        units.get(member.unit_code, member.unit_code),
        sources.checklist_of(store, uid, meeting, today),
    )


def _status(line: StepLine, is_next: bool) -> tuple[str, colors.Color]:
    """The mark in the last column and its colour."""
    kinds = {fl.kind for fl in line.flags}
    marks = (
        (FlagKind.VIOLATION, st.OVERDUE),
        (FlagKind.OVERDUE, st.OVERDUE),
        (FlagKind.EXPIRING, st.EXPIRING),
    )
    for kind, color in marks:
        if kind in kinds:
            return FLAG_KIND_LABELS[kind].upper(), color
    if FlagKind.WARNING in kinds:
        return FLAG_KIND_LABELS[FlagKind.WARNING], colors.black
    if is_next:
        return "Tiếp theo", colors.black
    if line.missing:
        return "Còn thiếu", colors.black
    return "", colors.black


def _done_cell(line: StepLine) -> Flowable | str:
    r = line.record
    if r.state is StepState.DONE:
        if not r.doc_number:
            return fmt(r.done_on)
        # The whole number, wrapped at "/" and "-": never cut.
        number = wrap_number(f"Số {r.doc_number}", REGULAR, CELL_SIZE, COLUMNS[3] - 6)
        return f"{fmt(r.done_on)}\n{number}"
    if r.state is StepState.NOT_APPLICABLE:
        return "Không áp dụng"
    return CheckBox(line_after=20 * mm)


def _deadline_cell(line: StepLine, held: bool) -> str:
    if line.due:
        return cell_text(f"Hạn: {fmt(line.due)}", COLUMNS[4])
    # A dossier's 12 months matter only until the branch meets; the certificate travels.
    if line.valid_until and (line.step.code == "course" or not held):
        return f"Giá trị đến:\n{fmt(line.valid_until)}"
    return ""


def cell_text(text: str, column: float, font: str = REGULAR) -> str:
    return wrapped(text, font, CELL_SIZE, column - 6)


def _steps_table(cl: Checklist) -> Grid:
    head = ["TT", "Bước / văn bản", "Mẫu", "Hoàn thành (ngày, số)", "Hạn / giá trị", "Tình trạng"]
    rows: list[list[CellLike]] = [
        [Cell(cell_text(h, w, BOLD), BOLD) for h, w in zip(head, COLUMNS, strict=True)]
    ]
    fills = {}
    shown = [x for x in cl.lines if not (x.step.outcome and x.state is StepState.NOT_STARTED)]
    for i, line in enumerate(shown, 1):
        is_next = cl.next_step is line.step
        status, color = _status(line, is_next)
        rows.append(
            [
                str(i),
                cell_text(line.step.title, COLUMNS[1]),
                line.step.form or "—",
                _done_cell(line),
                _deadline_cell(line, cl.meeting_held),
                Cell(cell_text(status, COLUMNS[5], BOLD), BOLD, color),
            ]
        )
        kinds = [fl.kind for fl in line.flags]
        fill = next(
            (ROW_FILL[k] for k in ROW_FILL if k in kinds),
            NEXT_FILL if is_next else None,
        )
        if fill is not None:
            fills[i] = fill
    return Grid(
        rows,
        COLUMNS,
        font=REGULAR,
        size=CELL_SIZE,
        leading=CELL_LEADING,
        header_rows=1,
        header_fill=st.HEADER_FILL,
        fills=fills,
        centred=frozenset({0, 2}),
        rule_color=st.GRID,
    )


def _meeting_text(cl: Checklist) -> str:
    age = cl.age
    age_text = age.label
    if age.age_months is not None and age.status is not Status.UNKNOWN:
        age_text += f" ({age.age_months // 12} tuổi {age.age_months % 12} tháng)"
    if age.status is Status.TOO_YOUNG and age.eligible_from:
        age_text += f", đủ tuổi từ {fmt(age.eligible_from)}"
    index = [x.step.code for x in cl.lines].index("branch_resolution")
    if not cl.meeting_held and any(x.state is StepState.DONE for x in cl.lines[index + 1 :]):
        return "chưa ghi ngày nghị quyết 6-KNĐ (đã qua bước này)"
    held = "đã họp" if cl.meeting_held else "dự kiến"
    return f"{fmt(cl.reference)} ({held}) — {age_text}"


def _details(sheet: CandidateSheet) -> Grid:
    m, cl = sheet.member, sheet.checklist
    label = 47 * mm
    four = [label, 53 * mm, 23 * mm, st.FRAME_WIDTH - 123 * mm]
    two = [label, st.FRAME_WIDTH - label]

    def fit(text: str, width: float, font: str = REGULAR) -> str:
        return wrapped(text, font, DETAIL_SIZE, width - 2)

    unit = sheet.unit_name + (f" — lớp {m.school_class}" if m.school_class else "")
    address = f"{m.address or '—'} ({PRESENCE_LABELS[m.presence].lower()})"
    gender = GENDER_LABELS[m.gender] if m.gender else "—"
    rows: list[list[CellLike]] = [
        ["Họ và tên:", Cell(fit(m.full_name, two[1], BOLD), BOLD)],
        ["Ngày sinh:", m.dob.vi() if m.dob else "chưa có", "Giới tính:", gender],
        [
            "Dân tộc:",
            fit(m.ethnicity or "—", four[1]),
            "Tôn giáo:",
            fit(m.religion or "—", four[3]),
        ],
        ["Đơn vị:", fit(unit, two[1])],
        [f"{ID_LABEL}:", m.cccd or "—"],
        ["Nơi ở hiện nay:", fit(address, two[1])],
        ["Giai đoạn:", STAGE_LABELS[cl.stage]],
        ["Ngày họp xét:", fit(_meeting_text(cl), two[1])],
        *_dossier_rows(cl, lambda text: fit(text, two[1])),
    ]
    widths = [two if len(row) == 2 else four for row in rows]
    return Grid(
        rows,
        widths,
        font=REGULAR,
        size=DETAIL_SIZE,
        leading=DETAIL_LEADING,
        rules=False,
        pad_x=0,
        pad_top=0,
        pad_bottom=1.5,
    )


def _dossier_rows(cl: Checklist, fit: Callable[[str], str]) -> list[list[CellLike]]:
    """Introducers, helper, votes, education and the chi bộ's position (issue #12)."""
    d = cl.dossier
    people = "; ".join(
        f"{p.name} ({PARTY_STATUS_LABELS[p.status].lower()}"
        + (f", cùng sinh hoạt từ {fmt(p.together_since)})" if p.together_since else ")")
        for p in d.introducers
    )
    if cl.has_line("union_resolution") and cl.line("union_resolution").state is StepState.DONE:
        people = "BCH Đoàn cơ sở (4-KNĐ)" + (f"; {people}" if people else "")
    votes = "; ".join(
        f"{cl.definition.step(v.step).form or v.step}: {v.in_favour}/{v.total} tán thành"
        + (f", có mặt {v.present}" if v.present is not None else "")
        for v in d.votes.values()
        if cl.definition.has_step(v.step)
    )
    helper = d.helper + (f" (từ {fmt(d.helper_since)})" if d.helper and d.helper_since else "")
    party: list[list[CellLike]] = []
    if cl.party_since:
        official = ""
        if cl.probation_end:
            what = "chính thức từ" if cl.stage is Stage.FULL else "hết dự bị ngày"
            official = f"; {what} {fmt(cl.probation_end)}"
        party = [["Tuổi đảng:", fit(f"tính từ {fmt(cl.party_since)} (9-KNĐ){official}")]]
    return [
        *party,
        ["Người giới thiệu:", fit(people or "—")],
        ["Đảng viên giúp đỡ:", fit(helper or "—")],
        ["Biểu quyết:", fit(votes or "—")],
        ["Trình độ học vấn:", fit(d.education or "—")],
        ["Chi bộ:", fit(cl.position_label)],
    ]


FLAG_COLORS = {
    FlagKind.VIOLATION: st.OVERDUE,
    FlagKind.OVERDUE: st.OVERDUE,
    FlagKind.EXPIRING: st.EXPIRING,
    FlagKind.WARNING: colors.black,
}
NOTE_LABEL = 27 * mm
DONE_NOTE = "Hồ sơ đã có đủ các bước của quy trình, không có lưu ý."


def _flag_lines(cl: Checklist) -> Grid:
    """What comes next, the gaps and every flag with its source, as labelled lines."""
    text_width = st.FRAME_WIDTH - NOTE_LABEL

    def row(label: str, text: str, color: colors.Color = colors.black) -> list[CellLike]:
        return [Cell(label + ":", BOLD, color), wrapped(text, REGULAR, CELL_SIZE, text_width - 2)]

    rows: list[list[CellLike]] = []
    if cl.violations:
        rows.append(
            row(
                "Cần kiểm tra",
                f"Hồ sơ có {len(cl.violations)} vi phạm điều kiện kết nạp (ghi dưới đây).",
                st.OVERDUE,
            )
        )
    if cl.next_step is not None:
        form = f" ({cl.next_step.form})" if cl.next_step.form else ""
        rows.append(row("Cần làm tiếp", f"{cl.next_step.title}{form}."))
    gaps = [x for x in cl.missing if x is not cl.next_step]
    if gaps:
        rows.append(row("Còn thiếu", "; ".join(x.form or x.title for x in gaps) + "."))
    for flag in cl.flags:
        rows.append(
            row(
                FLAG_KIND_LABELS[flag.kind],
                f"{flag.message} (Căn cứ: {flag.rule.source})",
                FLAG_COLORS[flag.kind],
            )
        )
    if not rows:
        # Never an empty closing: the signature must come with a line of text (HD 36).
        rows.append(row("Tình trạng", DONE_NOTE))
    return Grid(
        rows,
        [NOTE_LABEL, text_width],
        font=REGULAR,
        size=CELL_SIZE,
        leading=CELL_LEADING,
        rules=False,
        pad_x=0,
        pad_top=0,
        pad_bottom=1.5,
    )


def sheet_story(sheet: CandidateSheet, settings: Settings, today: date) -> list[Flowable]:
    """The flowables of one candidate's sheet, which may run onto a second page."""
    subtitle = (
        f"Căn cứ Quy định 294-QĐ/TW, Hướng dẫn 06-HD/TW, biểu mẫu 38-HD/BTCTW "
        f"— quy trình {sheet.checklist.definition.version}"
    )
    heading = LineColumns(
        [[Line(TITLE, BOLD, 15, space_before=4), Line(subtitle, REGULAR, 12)]],
        [st.FRAME_WIDTH],
    )
    notes = _flag_lines(sheet.checklist)
    signature = f.signatures([f.maker("NGƯỜI LẬP PHIẾU"), f.party_signer(settings)], gap=18 * mm)
    return [
        f.DocumentStart(f"Phiếu theo dõi hồ sơ: {sheet.member.full_name} (tiếp theo)"),
        f.letterhead(f.Letterhead.PARTY, settings, today),
        Spacer(1, 3 * mm),
        heading,
        Spacer(1, 3 * mm),
        _details(sheet),
        Spacer(1, 2 * mm),
        _steps_table(sheet.checklist),
        Spacer(1, 2 * mm),
        f.closing([notes, Spacer(1, 3 * mm)], signature),
    ]


def checklist_story(
    sheets: Iterable[CandidateSheet], settings: Settings, today: date
) -> list[Flowable]:
    """Each sheet from a new page, numbered on its own."""
    story: list[Flowable] = []
    for sheet in sheets:
        if story:
            story.append(PageBreak())
        story += sheet_story(sheet, settings, today)
    return story


def write_checklists(
    store: Store,
    uids: Sequence[str],
    out: Path,
    meeting: date | None = None,
    today: date | None = None,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    overwrite: bool = False,
) -> int:
    """One PDF with the checklist of each candidate in `uids`; returns its page count."""
    if not uids:
        raise KnownError("Chưa chọn đoàn viên nào để in phiếu.")
    today = today or date.today()
    settings = sources.settings_of(store)
    units = sources.unit_names(store)
    tracker = Tracker(len(uids), progress, cancel)
    sheets = []
    for uid in dict.fromkeys(uids):
        sheets.append(candidate_sheet(store, uid, meeting, today, units))
        tracker.check()
    rank = {code: i for i, code in enumerate(units)}
    sheets.sort(key=lambda sh: rank.get(sh.member.unit_code, len(rank)))
    story = checklist_story(sheets, settings, today)
    for flowable in story:
        if isinstance(flowable, f.DocumentStart):
            flowable.tracker = tracker
    return f.write_pdf(
        out,
        story,
        f.document_title(TITLE),
        settings.party_committee,
        tracker,
        overwrite=overwrite,
    )
