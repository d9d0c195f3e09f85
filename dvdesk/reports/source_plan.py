"""Source plan (kế hoạch tạo nguồn phát triển đảng viên) on paper.

One table per group (the school year or year a candidate can first be
considered): name, date of birth, class or unit, the earliest day the chi bộ
may consider them and why, whether it is before graduation, and the steps
dated backwards from that day. The plan itself is computed in domain/plans.py.

A Party document (Hướng dẫn 36-HD/VPTW), with the same furniture as every
other: Liberation Serif, the Đảng ủy's letterhead and "Số …-KH/ĐU", page
numbers from page 2, "Nơi nhận" and the "T/M ĐẢNG ỦY" signature kept with
the total.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table, TableStyle

from dvdesk.domain.dates import fmt, parse_date
from dvdesk.domain.plans import PlanEntry, PlanStep
from dvdesk.domain.procedure import STAGE_LABELS, STEPS, Stage
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import REGULAR
from dvdesk.store.settings import Settings

TYPE_CODE = "KH"  # kế hoạch, in the number line
# The frame's 165 mm; "TT" wide enough for three digits at 11 pt.
WIDTHS = (10 * mm, 32 * mm, 19 * mm, 14 * mm, 28 * mm, 62 * mm)
RECIPIENTS = (
    "- Các chi bộ, Đoàn xã (để thực hiện);",
    "- Lưu Văn phòng Đảng ủy.",
)


_FORMS = {step.code: step.form for step in STEPS if step.form}
_FORM_TITLES = {step.form: step.title for step in STEPS if step.form}
_FORM_IN_TITLE = re.compile(r"\(([^()]*?(?:KNĐ|CN-NTVĐ|HSĐV))\)\s*$")


def step_label(step: PlanStep) -> str:
    """A step as the plan's line names it: its form code ("1-KNĐ") or, without one, its title.

    Each step written in full took two or three lines, nine steps a person: a
    school's plan ran to one person a page. The form codes are spelled out once
    in the legend above the tables (`legend`).
    """
    form = _FORMS.get(step.code)
    if form:
        return form
    found = _FORM_IN_TITLE.search(step.title)
    return found.group(1).split()[-1] if found else step.title


def step_line(step: PlanStep) -> str:
    when = []
    if step.not_before:
        when.append(f"không sớm hơn {fmt(step.not_before)}")
    if step.before:
        when.append(f"trước {fmt(step.before)}")
    text = f"{step_label(step)}: {', '.join(when)}" if when else step_label(step)
    return f"{text}. {step.note}" if step.note else text


def legend(groups: Sequence[tuple[str, Sequence[PlanEntry]]]) -> str:
    """ "Mẫu: CN-NTVĐ …; 1-KNĐ …": the form codes the tables use, in the procedure's order."""
    used = {step_label(step) for _, entries in groups for e in entries for step in e.steps}
    named = [f"{form} – {title}" for form, title in _FORM_TITLES.items() if form in used]
    return "Mẫu: " + "; ".join(named) + "." if named else ""


class Caption(Flowable):
    """A table's first row naming its section: "… — 77 người", then "… (tiếp theo)".

    The row repeats on every page of the table (repeatRows); drawn the first
    time with the heading, after that with the continuation caption, so a
    continuation page names its section (notes/documents.md).
    """

    def __init__(self, first: Paragraph, then: Paragraph) -> None:
        super().__init__()
        self.first, self.then = first, then
        self.drawn = False

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        sizes = [p.wrap(avail_width, avail_height) for p in (self.first, self.then)]
        self.width = avail_width
        self.height = max(h for _, h in sizes)
        return self.width, self.height

    def draw(self) -> None:
        para = self.then if self.drawn else self.first
        para.wrap(self.width, self.height)
        para.drawOn(self.canv, 0, self.height - para.height)
        self.drawn = True


def _cells(i: int, e: PlanEntry) -> list[object]:
    s = st.styles()
    dob = parse_date(e.dob)
    when = fmt(e.earliest) if e.earliest else "—"
    why = "; ".join(e.reasons)
    if e.before_graduation is not None and e.graduation is not None:
        why += (
            f". Trước khi tốt nghiệp ({fmt(e.graduation)})"
            if e.before_graduation
            else f". Sau khi tốt nghiệp ({fmt(e.graduation)}): chuẩn bị chuyển giới thiệu "
            "cảm tình Đảng"
        )
    if e.away:
        why += ". Đi làm ăn xa"
    if e.helper:
        why += f". Đảng viên giúp đỡ: {e.helper}"
    steps = "<br/>".join(f"• {escape(step_line(step))}" for step in e.steps if not step.done_on)
    done = [step for step in e.steps if step.done_on]
    if done:
        steps += (
            ("<br/>" if steps else "")
            + "Đã xong: "
            + ", ".join(f"{escape(step_label(step))} ({fmt(step.done_on)})" for step in done)
        )
    return [
        str(i),
        f.markup(f"{escape(e.full_name)}<br/>{escape(STAGE_LABELS[Stage(e.stage)])}", s.cell),
        dob.vi() if dob else "",
        e.school_class or e.unit,
        f.markup(f"<b>{when}</b><br/>{escape(why)}", s.cell),
        f.markup(steps or "—", s.cell),
    ]


def plan_story(
    settings: Settings,
    title: str,
    subtitle: str,
    groups: Sequence[tuple[str, Sequence[PlanEntry]]],
    today: date,
    number: str = "",
) -> list[Flowable]:
    s = st.styles()
    story: list[Flowable] = [
        f.letterhead(f.Letterhead.PARTY, settings, today, TYPE_CODE, number),
        Spacer(1, 6 * mm),
        f.balanced(title, s.title),
        f.balanced(subtitle, s.subtitle),
        f.para(
            "Ngày sớm nhất chi bộ có thể họp xét: đủ 18 tuổi tính theo tháng, giấy chứng nhận "
            "CN-NTVĐ còn giá trị (60 tháng), hồ sơ 3-, 4-, 5-KNĐ làm trong 12 tháng trước ngày "
            "họp; thời gian chuẩn bị từng bước là đề xuất.",
            s.small,
        ),
    ]
    if legend(groups):
        story.append(f.para(legend(groups), s.small))
    total = sum(len(entries) for _, entries in groups)
    last: list[Flowable] = [
        Spacer(1, 3 * mm),
        f.para(f"Tổng cộng: {f.count(total)} người.", s.body),
        Spacer(1, 2 * mm),
    ]
    signature = f.signatures([f.party_signer(settings)], RECIPIENTS)
    head = ["TT", "Họ và tên", "Ngày sinh", "Lớp / đơn vị", "Có thể xét từ", "Các bước cần làm"]
    for index, (name, entries) in enumerate(groups, 1):
        story += [CondPageBreak(35 * mm), Spacer(1, 2 * mm)]
        caption = Caption(
            f.para(f"{index}. {name} — {len(entries)} người", s.heading),
            f.para(f"{index}. {name} (tiếp theo)", s.heading),
        )
        rows: list[list[object]] = [[caption, "", "", "", "", ""]]
        rows.append([f.para(h, s.head_cell) for h in head])
        rows += [_cells(i, e) for i, e in enumerate(entries, 1)]
        # The last table ends with the total and the signature in a row of their own that
        # never parts from the last person's row (HD 36): as a flowable after the table
        # they were left alone on a page whenever the table filled the one before.
        ends = index == len(groups)
        if ends:
            rows.append([[*last, signature], "", "", "", "", ""])  # a row is never split
        table = Table(rows, colWidths=WIDTHS, repeatRows=2)
        grid = [c for c in st.grid_style(2) if c[0] not in ("GRID", "BACKGROUND")]
        body_end = -2 if ends else -1
        closing_row = [
            ("SPAN", (0, -1), (-1, -1)),
            ("LEFTPADDING", (0, -1), (-1, -1), 0),
            ("RIGHTPADDING", (0, -1), (-1, -1), 0),
            ("NOSPLIT", (0, -2), (-1, -1)),
        ]
        table.setStyle(
            TableStyle(
                [
                    *grid,
                    *st.plain_cells(),
                    ("SPAN", (0, 0), (-1, 0)),
                    ("LEFTPADDING", (0, 0), (-1, 0), 0),
                    ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                    ("GRID", (0, 1), (-1, body_end), 0.5, st.GRID),
                    ("BACKGROUND", (0, 1), (-1, 1), st.HEADER_FILL),
                    ("FONT", (0, 2), (-1, -1), REGULAR, st.TABLE_SIZE, st.TABLE_LEADING),
                    ("ALIGN", (0, 2), (-1, -1), "CENTER"),
                    *(closing_row if ends else []),
                ]
            )
        )
        story.append(table)
    if not total:
        story.append(f.para("Không có đoàn viên nào trong kế hoạch.", s.body))
    if not groups:  # otherwise the last table carries the closing
        story.append(f.closing(last, signature))
    return story


def write_source_plan(
    settings: Settings,
    title: str,
    subtitle: str,
    groups: Sequence[tuple[str, Sequence[PlanEntry]]],
    out: Path,
    today: date | None = None,
    *,
    number: str = "",
    overwrite: bool = False,
) -> int:
    """The source plan as a PDF; returns the page count."""
    today = today or date.today()
    story = plan_story(settings, title, subtitle, groups, today, number)
    return f.write_pdf(
        out, story, f.document_title(title), settings.party_committee, overwrite=overwrite
    )
