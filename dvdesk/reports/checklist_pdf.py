"""Printed procedure checklist (phiếu theo dõi hồ sơ kết nạp), one candidate per page.

Every step of the procedure with its form code; a done step shows its date and
document number, a step still to do shows an empty box drawn as a shape with
a line to write the date on. What is missing, overdue or about to expire is
marked in the row and listed under the table with the rule's source. A batch
is one PDF with each candidate on exactly one page (shrunk to fit if needed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table, TableStyle

from dvdesk.domain.checklist import FLAG_KIND_LABELS, Checklist, FlagKind, StepLine
from dvdesk.domain.dates import fmt
from dvdesk.domain.eligibility import Status
from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, Member
from dvdesk.domain.procedure import PROCEDURE_VERSION, STAGE_LABELS, StepState
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import nfc
from dvdesk.reports.shapes import CheckBox
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

TITLE = "PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN"
ROW_FILL = {
    FlagKind.OVERDUE: colors.HexColor("#F8D7DA"),
    FlagKind.EXPIRING: colors.HexColor("#FCEBD0"),
}
NEXT_FILL = colors.HexColor("#FFF7C2")
COLUMNS = (7 * mm, 64 * mm, 16 * mm, 31 * mm, 27 * mm, 25 * mm)  # = FRAME_WIDTH (170 mm)


@dataclass(frozen=True)
class CandidateSheet:
    """What one checklist page shows."""

    member: Member
    unit_name: str
    checklist: Checklist


def candidate_sheet(store: Store, uid: str, meeting: date | None, today: date) -> CandidateSheet:
    member = store.get_member(uid)
    units = {u.code: u.name for u in store.units()}
    return CandidateSheet(
        member,
        units.get(member.unit_code, member.unit_code),
        store.checklist_of(uid, meeting, today),
    )


def _status_cell(line: StepLine, is_next: bool) -> Flowable | str:
    s = st.styles()
    kinds = {fl.kind for fl in line.flags}
    for kind, color in ((FlagKind.OVERDUE, st.OVERDUE), (FlagKind.EXPIRING, st.EXPIRING)):
        if kind in kinds:
            return f.markup(
                f'<font color="{color.hexval()}"><b>{FLAG_KIND_LABELS[kind].upper()}</b></font>',
                s.cell,
            )
    if FlagKind.WARNING in kinds:
        return f.markup(f"<b>{FLAG_KIND_LABELS[FlagKind.WARNING]}</b>", s.cell)
    if is_next:
        return f.markup("<b>Tiếp theo</b>", s.cell)
    if line.missing:
        return f.markup("<b>Còn thiếu</b>", s.cell)
    return ""


def _done_cell(line: StepLine) -> Flowable | list[Flowable] | str:
    s = st.styles()
    r = line.record
    if r.state is StepState.DONE:
        number = [f.para(f"Số: {r.doc_number}", s.cell)] if r.doc_number else []
        return [f.para(fmt(r.done_on), s.cell_bold), *number]
    if r.state is StepState.NOT_APPLICABLE:
        return f.para("Không áp dụng", s.cell)
    return CheckBox(line_after=22 * mm)


def _deadline_cell(line: StepLine, held: bool) -> str:
    if line.due:
        return f"Hạn: {fmt(line.due)}"
    # A dossier's 12 months matter only until the branch meets; the certificate travels.
    if line.valid_until and (line.step.code == "course" or not held):
        return f"Giá trị đến: {fmt(line.valid_until)}"
    return ""


def _steps_table(cl: Checklist) -> Table:
    s = st.styles()
    head = ["TT", "Bước / văn bản", "Mẫu", "Hoàn thành (ngày, số)", "Hạn / giá trị", "Tình trạng"]
    rows: list[list[object]] = [[f.para(h, s.head_cell) for h in head]]
    style = st.grid_style()
    for i, line in enumerate(cl.lines, 1):
        is_next = cl.next_step is line.step
        rows.append(
            [
                f.para(str(i), s.cell_center),
                f.para(line.step.title, s.cell),
                f.para(line.step.form or "—", s.cell_center),
                _done_cell(line),
                f.para(_deadline_cell(line, cl.meeting_held), s.cell),
                _status_cell(line, is_next),
            ]
        )
        kinds = [fl.kind for fl in line.flags]
        fill = next(
            (ROW_FILL[k] for k in (FlagKind.OVERDUE, FlagKind.EXPIRING) if k in kinds),
            NEXT_FILL if is_next else None,
        )
        if fill is not None:
            style.append(("BACKGROUND", (0, i), (-1, i), fill))
    table = Table(rows, colWidths=COLUMNS, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _details(sheet: CandidateSheet) -> Table:
    s = st.styles()
    m, cl = sheet.member, sheet.checklist
    age = cl.age
    age_text = age.label
    if age.age_months is not None and age.status is not Status.UNKNOWN:
        age_text += f" ({age.age_months // 12} tuổi {age.age_months % 12} tháng)"
    if age.status is Status.TOO_YOUNG and age.eligible_from:
        age_text += f", đủ tuổi từ {fmt(age.eligible_from)}"
    held = "đã họp" if cl.meeting_held else "dự kiến"
    unit = sheet.unit_name + (f" — lớp {m.school_class}" if m.school_class else "")
    gender = GENDER_LABELS[m.gender] if m.gender else "—"
    address = f"{m.address or '—'} ({PRESENCE_LABELS[m.presence].lower()})"

    def label(text: str) -> Flowable:
        return f.para(text + ":", s.body)

    rows = [
        [label("Họ và tên"), f.markup(f"<b>{escape(nfc(m.full_name))}</b>", s.body), "", ""],
        [
            label("Ngày sinh"),
            f.para(m.dob.vi() if m.dob else "chưa có", s.body),
            label("Giới tính"),
            f.para(gender, s.body),
        ],
        [
            label("Dân tộc"),
            f.para(m.ethnicity or "—", s.body),
            label("Tôn giáo"),
            f.para(m.religion or "—", s.body),
        ],
        [label("Đơn vị"), f.para(unit, s.body), label("Số CCCD"), f.para(m.cccd or "—", s.body)],
        [label("Nơi ở hiện nay"), f.para(address, s.body), "", ""],
        [label("Giai đoạn"), f.para(STAGE_LABELS[cl.stage], s.body), "", ""],
        [label("Ngày họp xét"), f.para(f"{fmt(cl.reference)} ({held}) — {age_text}", s.body),
         "", ""],
    ]
    spans = [("SPAN", (1, r), (3, r)) for r in (0, 4, 5, 6)]
    table = Table(rows, colWidths=[42 * mm, 64 * mm, 22 * mm, st.FRAME_WIDTH - 128 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                *spans,
            ]
        )
    )
    return table


def _flag_lines(cl: Checklist) -> list[Flowable]:
    s = st.styles()
    out: list[Flowable] = []
    if cl.next_step is not None:
        form = f" ({cl.next_step.form})" if cl.next_step.form else ""
        out.append(f.markup(f"<b>Cần làm tiếp:</b> {escape(cl.next_step.title)}{form}.", s.flag))
    gaps = [x for x in cl.missing if x is not cl.next_step]
    if gaps:
        names = "; ".join(x.form or x.title for x in gaps)
        out.append(f.markup(f"<b>Còn thiếu:</b> {escape(names)}.", s.flag))
    colors_for = {
        FlagKind.OVERDUE: st.OVERDUE.hexval(),
        FlagKind.EXPIRING: st.EXPIRING.hexval(),
        FlagKind.WARNING: "#000000",
    }
    for flag in cl.flags:
        label = FLAG_KIND_LABELS[flag.kind]
        out.append(
            f.markup(
                f'<font color="{colors_for[flag.kind]}"><b>{label}:</b></font> '
                f'{escape(flag.message)} <font color="{st.MUTED.hexval()}">'
                f"(Căn cứ: {escape(flag.rule.source)})</font>",
                s.flag,
            )
        )
    return out


def sheet_story(sheet: CandidateSheet, settings: Settings, today: date) -> list[Flowable]:
    """The flowables of one candidate's page (before fitting to the page)."""
    s = st.styles()
    return [
        f.letterhead(f.Letterhead.PARTY, settings, today),
        Spacer(1, 3 * mm),
        f.para(TITLE, s.title),
        f.para(
            f"Theo Quy định 294-QĐ/TW, Hướng dẫn 06-HD/TW, biểu mẫu 38-HD/BTCTW "
            f"(quy trình {PROCEDURE_VERSION})",
            s.subtitle,
        ),
        _details(sheet),
        Spacer(1, 2 * mm),
        _steps_table(sheet.checklist),
        Spacer(1, 2 * mm),
        *_flag_lines(sheet.checklist),
        Spacer(1, 2 * mm),
        f.signatures([(["NGƯỜI LẬP PHIẾU"], ""), f.party_signature(settings)], gap=14 * mm),
    ]


def checklist_story(
    sheets: Iterable[CandidateSheet], settings: Settings, today: date
) -> list[Flowable]:
    """Each sheet on its own page; an overlong one is shrunk rather than split."""
    story: list[Flowable] = []
    for sheet in sheets:
        if story:
            story.append(PageBreak())
        story.append(
            KeepInFrame(
                st.FRAME_WIDTH,
                st.FRAME_HEIGHT - 2 * mm,
                sheet_story(sheet, settings, today),
                mode="shrink",
            )
        )
    return story


def write_checklists(
    store: Store,
    uids: Sequence[str],
    out: Path,
    meeting: date | None = None,
    today: date | None = None,
) -> int:
    """One PDF with the checklist of each candidate in `uids`; returns its page count."""
    today = today or date.today()
    settings = store.settings()
    sheets = (candidate_sheet(store, uid, meeting, today) for uid in uids)
    return f.write_pdf(
        out, checklist_story(sheets, settings, today), TITLE.capitalize(), settings.party_committee
    )
