"""Transfer letter (giấy giới thiệu chuyển nguồn) for a "cảm tình Đảng" member.

The directive behind dvdesk asks that a student introduced as a Party source
who graduates before being admitted be handed over to the organisation where
they will study, work or live, so that it can follow up. The letter names the
receiving organisation and carries the member's record, the procedure steps
done so far (date and document number), the certificate's validity and what
comes next. Members already admitted use the party-membership transfer
(chuyển sinh hoạt đảng) instead and are refused here.

A Party document (Hướng dẫn 36-HD/VPTW): "Số …-GGT/ĐU", the person called
"quần chúng" (not yet a Party member; "đồng chí" is for Party members), the
papers sent with it only those the dossier actually has, and the signature
kept with the closing request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from dvdesk.domain.checklist import Checklist
from dvdesk.domain.dates import fmt
from dvdesk.domain.eligibility import Status
from dvdesk.domain.member import GENDER_LABELS, Member
from dvdesk.domain.procedure import Stage, StepState
from dvdesk.errors import KnownError
from dvdesk.reports import furniture as f
from dvdesk.reports import sources
from dvdesk.reports import styles as st
from dvdesk.reports.checklist_pdf import ID_LABEL
from dvdesk.reports.fonts import REGULAR, nfc
from dvdesk.reports.line_blocks import wrap_number
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

TITLE = "GIẤY GIỚI THIỆU"
TYPE_CODE = "GGT"
# Room for the signature and the seal between "BÍ THƯ" and the name: about three
# blank 14 pt lines (furniture's SIGN_GAP, 24 mm, stays for reports and lists).
SIGN_GAP = 20 * mm
NUMBER_COLUMN = 35 * mm
# The record: label, value, label, value, at 13 pt. The left labels' widest ("Năm tốt
# nghiệp THPT:") is 42.4 mm, the right ones' ("Ngày vào Đoàn:") 30.1 mm.
RECORD_COLUMNS = (45 * mm, 45 * mm, 33 * mm, st.FRAME_WIDTH - 123 * mm)


def address_form(stage: Stage) -> str:
    """How a Party letter names the person: "đồng chí" for Party members only."""
    return "đồng chí" if stage in (Stage.PROBATION, Stage.FULL) else "quần chúng"


@dataclass(frozen=True)
class Transfer:
    member: Member
    unit_name: str
    checklist: Checklist
    to: str  # the receiving organisation (nơi tiếp nhận)


def _record(t: Transfer) -> Table:
    """The person's record: long values on a line of their own, short ones two to a line.

    Pairing the short fields (as a lý lịch form does) keeps a short letter,
    with its request and signature, on one page even with every field filled.
    """
    s = st.styles()
    m = t.member
    study = ""
    if m.school_class:
        study = f"Học sinh lớp {m.school_class}, {t.unit_name}"
        if m.school_year:
            study += f", năm học {m.school_year}"
    rows: list[list[object]] = []
    spans: list[int] = []  # rows whose value runs across the line

    def cells(label: str, value: str) -> list[object]:
        return [f.para(label + ":", s.record), f.para(value, s.record)]

    def wide(label: str, value: str | Paragraph) -> None:
        if value:
            spans.append(len(rows))
            value = value if isinstance(value, Paragraph) else f.para(value, s.record)
            rows.append([f.para(label + ":", s.record), value, "", ""])

    def two(left: tuple[str, str], right: tuple[str, str]) -> None:
        shown = [cells(*x) for x in (left, right) if x[1]]
        if shown:  # one alone takes the left half
            rows.append([*shown[0], *(shown[1] if len(shown) > 1 else ["", ""])])

    wide("Họ và tên", f.markup(f"<b>{escape(nfc(m.full_name))}</b>", s.record))
    born = m.dob.vi() if m.dob else "chưa có"
    two(("Ngày sinh", born), ("Giới tính", GENDER_LABELS[m.gender] if m.gender else ""))
    two(("Dân tộc", m.ethnicity), ("Tôn giáo", m.religion))
    two((ID_LABEL, m.cccd), ("Điện thoại", m.phone))
    wide("Quê quán", m.hometown)
    wide("Nơi ở hiện nay", m.address)
    wide("Đơn vị", study or t.unit_name)
    two(
        ("Năm tốt nghiệp THPT", str(m.graduation_year or "")),
        ("Ngày vào Đoàn", fmt(m.union_joined)),
    )
    table = Table(rows, colWidths=RECORD_COLUMNS)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, st.NOTE_SIZE),  # not Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),  # the lines' leading spaces them
                *(("SPAN", (1, r), (3, r)) for r in spans),
            ]
        )
    )
    return table


def _progress(cl: Checklist) -> Table:
    s = st.styles()
    rows: list[list[object]] = [
        [
            f.para(h, s.head_cell)
            for h in ("TT", "Nội dung đã thực hiện", "Mẫu", "Ngày", "Số văn bản")
        ]
    ]
    done = [line for line in cl.lines if line.state is StepState.DONE]
    for i, line in enumerate(done, 1):
        rows.append(
            [
                str(i),
                f.para(line.step.title, s.cell),
                line.step.form or "—",
                fmt(line.record.done_on),
                # The whole number, broken after "/" or "-": never cut.
                wrap_number(line.record.doc_number, REGULAR, st.TABLE_SIZE, NUMBER_COLUMN - 6),
            ]
        )
    widths = [9 * mm, 78 * mm, 21 * mm, 22 * mm, NUMBER_COLUMN]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *st.grid_style(),
                *st.plain_cells(),
                ("ALIGN", (1, 1), (1, -1), "LEFT"),
                ("ALIGN", (4, 1), (4, -1), "LEFT"),
            ]
        )
    )
    return table


def _facts(t: Transfer) -> list[str]:
    cl, m = t.checklist, t.member
    facts = []
    course = cl.line("course")
    if course.state is StepState.DONE and course.valid_until:
        # The course, its number and date are in the table just above: the validity is new.
        facts.append(
            f"Giấy chứng nhận CN-NTVĐ có giá trị đến hết ngày {fmt(course.valid_until)} "
            "(60 tháng, Hướng dẫn 06-HD/TW mục 5.4)."
        )
    else:
        facts.append("Chưa học lớp bồi dưỡng nhận thức về Đảng.")
    age = cl.age
    if age.status is Status.TOO_YOUNG and age.eligible_from:
        facts.append(
            f"Đủ 18 tuổi (tính theo tháng) để chi bộ xem xét kết nạp từ ngày "
            f"{fmt(age.eligible_from)}."
        )
    elif age.status is Status.ELIGIBLE:
        facts.append(f"Đã đủ 18 tuổi (tính theo tháng) tại ngày {fmt(cl.reference)}.")
    elif m.dob is None or not m.dob.is_full:
        facts.append("Ngày sinh chưa đầy đủ: cần bổ sung để xét tuổi vào Đảng.")
    if cl.next_step is not None:
        form = f" ({cl.next_step.form})" if cl.next_step.form else ""
        facts.append(f"Bước tiếp theo của quy trình: {cl.next_step.title}{form}.")
    facts += [flag.message for flag in cl.flags if flag.step == "course"]
    return facts


def attachments(cl: Checklist) -> list[str]:
    """The papers sent with the letter: only those of steps done (never a missing one)."""
    out = []
    for line in cl.lines:
        if line.state is StepState.DONE and line.step.form:
            number = f" số {line.record.doc_number}" if line.record.doc_number else ""
            out.append(f"{line.step.title} ({line.step.form}){number}")
    return out


@cache
def _heading() -> ParagraphStyle:
    """The section heading, closer to the text above than in a report: the letter's
    lines are counted to keep a short one on its page."""
    return ParagraphStyle("letter_heading", parent=st.styles().heading, spaceBefore=4)


def transfer_story(
    t: Transfer, settings: Settings, today: date, number: str = ""
) -> list[Flowable]:
    s = st.styles()
    issuer = settings.party_committee.strip() or settings.commune_name
    name = escape(nfc(t.member.full_name))
    person = address_form(t.checklist.stage)
    papers = attachments(t.checklist)
    request = (
        f"Đề nghị {escape(nfc(t.to))} tiếp nhận, tiếp tục bồi dưỡng, giúp đỡ và "
        f"xem xét kết nạp {person} <b>{name}</b> vào Đảng khi đủ điều kiện."
    )
    # The papers sent with the letter, after the facts; the request closes the letter.
    enclosed: list[Flowable] = []
    if len(papers) == 1:  # one paper on the heading's line
        enclosed.append(f.para(f"Hồ sơ gửi kèm theo: {papers[0]}.", s.body_justified))
    elif papers:
        heading = f.para("Hồ sơ gửi kèm theo:", s.body_justified)
        heading.keepWithNext = True  # never the last line of a page without its list
        enclosed.append(heading)
        enclosed += [
            f.para(f"- {paper}{'.' if i == len(papers) else ';'}", s.body)
            for i, paper in enumerate(papers, 1)
        ]
    story: list[Flowable] = [
        f.letterhead(f.Letterhead.PARTY, settings, today, TYPE_CODE, number),
        Spacer(1, 2 * mm),
        f.para(TITLE, s.title),
        f.para("chuyển nguồn phát triển đảng viên", s.subtitle),
        f.markup(f"<b>Kính gửi:</b> {escape(nfc(t.to))}", s.body),
        f.para(
            f"{f.in_sentence(issuer)} trân trọng giới thiệu {person} là đoàn viên ưu tú "
            "đã được đưa vào danh sách cảm tình Đảng (nguồn phát triển đảng viên):",
            s.body_justified,
        ),
        _record(t),
        f.para("Quá trình bồi dưỡng, xem xét kết nạp đã thực hiện", _heading()),
        _progress(t.checklist),
        Spacer(1, 1 * mm),
        # One paragraph: the facts read as the letter's prose, and a short letter keeps
        # its request and signature on its one page.
        f.para(" ".join(_facts(t)), s.body_justified),
        *enclosed,
        # The request, the letter's last lines, and the signature on one page (HD 36): the
        # signature never stands alone, and the papers before them may run onto that page
        # rather than leave the one before half empty.
        f.closing(
            [f.markup(request, s.body_justified), Spacer(1, 2 * mm)],
            f.signatures(
                [f.party_signer(settings)],
                recipients=["- Như trên;", f"- {t.unit_name};", "- Lưu."],
                gap=SIGN_GAP,
            ),
        ),
    ]
    return story


def transfer_of(store: Store, uid: str, to: str, today: date) -> Transfer:
    to = " ".join(to.split())
    if not to:
        raise KnownError("Cần ghi tên tổ chức tiếp nhận (Kính gửi).")
    member = sources.member_of(store, uid)
    checklist = sources.checklist_of(store, uid, None, today)
    if checklist.stage is Stage.MEMBER:
        raise KnownError(
            f"{member.full_name} chưa có trong danh sách cảm tình Đảng "
            "(chưa có bước nào của quy trình): không lập giấy giới thiệu."
        )
    if checklist.stage in (Stage.PROBATION, Stage.FULL):
        raise KnownError(
            f"{member.full_name} đã là đảng viên: dùng thủ tục chuyển sinh hoạt "
            "đảng, không dùng giấy giới thiệu chuyển nguồn."
        )
    units = sources.unit_names(store)
    return Transfer(member, units.get(member.unit_code, member.unit_code), checklist, to)


def write_transfer_letter(
    store: Store,
    uid: str,
    to: str,
    out: Path,
    today: date | None = None,
    *,
    number: str = "",
    overwrite: bool = False,
) -> int:
    """The transfer letter of one member to the organisation `to`; the page count.

    `number` is the letter's number ("12" or "12-GGT/ĐU"); empty leaves the
    number line blank to be written by hand.
    """
    today = today or date.today()
    transfer = transfer_of(store, uid, to, today)
    settings = sources.settings_of(store)
    return f.write_pdf(
        out,
        transfer_story(transfer, settings, today, number),
        f"{f.document_title(TITLE)} — {transfer.member.full_name}",
        settings.party_committee,
        overwrite=overwrite,
    )
