"""Printed lists: members eligible on a consideration date, and those who soon will be.

Grouped by unit (in the units' order), members in Vietnamese name order within
each unit (the store's order). People already admitted (dự bị, chính thức) are
left out: these lists are for finding whom to consider next. A student who
graduates before turning 18 is noted, since their introduction must be
transferred (chuyển nguồn).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from dvdesk.domain.dates import add_months, fmt, parse_date
from dvdesk.domain.eligibility import Method, evaluate
from dvdesk.domain.member import PRESENCE_LABELS, Presence
from dvdesk.domain.procedure import STAGE_LABELS, Stage
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import SANS, nfc
from dvdesk.reports.line_blocks import wrapped
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

NOT_ADMITTED = tuple(s.value for s in Stage if s not in (Stage.PROBATION, Stage.FULL))
CELL_SIZE = 8.5
METHOD_LABELS = {
    Method.COMPLETED: "tháng tròn, tính cả ngày",
    Method.CALENDAR: "hiệu số tháng, bỏ qua ngày",
}


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    value: Callable[[dict[str, Any]], str]
    center: bool = False
    wraps: bool = True  # short values are drawn as plain strings: much faster


def _age(row: dict[str, Any]) -> str:
    k = row["age_months"]
    return "" if k is None else f"{k // 12} tuổi {k % 12} tháng"


def _place(row: dict[str, Any]) -> str:
    return row["school_class"] or ""


def _note(row: dict[str, Any]) -> str:
    notes = list(row["notes"])
    if row["presence"] != Presence.AT_HOME.value:
        notes.insert(0, PRESENCE_LABELS[Presence(row["presence"])])
    return "; ".join(notes)


def _gender(row: dict[str, Any]) -> str:
    return {"nam": "Nam", "nu": "Nữ"}.get(row["gender"] or "", "")


NAME = Column("Họ và tên", 39 * mm, lambda r: r["full_name"])
DOB = Column(
    "Ngày sinh",
    19 * mm,
    lambda r: parse_date(r["dob"]).vi() if r["dob"] else "",
    center=True,
    wraps=False,
)
GENDER = Column("Giới tính", 11 * mm, _gender, center=True, wraps=False)
CLASS = Column("Lớp", 12 * mm, _place, center=True, wraps=False)
STAGE = Column("Giai đoạn", 26 * mm, lambda r: STAGE_LABELS[Stage(r["stage"])])

ELIGIBLE_COLUMNS = (
    NAME,
    DOB,
    GENDER,
    CLASS,
    Column("Tuổi tại ngày xét", 29 * mm, _age, center=True),
    STAGE,
    Column("Ghi chú", 26 * mm, _note),
)
UPCOMING_COLUMNS = (
    NAME,
    DOB,
    GENDER,
    CLASS,
    Column(
        "Đủ 18 tuổi từ ngày", 20 * mm, lambda r: fmt(r["eligible_from"]), center=True, wraps=False
    ),
    Column(
        "Tháng đủ tuổi", 15 * mm, lambda r: f"{r['eligible_from']:%m/%Y}", center=True, wraps=False
    ),
    Column("Ghi chú", 44 * mm, _note),
)


def _rows(
    store: Store, query: MemberQuery, on: date, settings: Settings, near_limit: bool
) -> list[dict]:
    """List rows with the age on `on` and the notes a reader needs."""
    out = []
    suffix = "b" if query.method is Method.CALENDAR else "a"
    for row in store.members.list(query):
        result = evaluate(parse_date(row["dob"]), on, query.method)
        start = row[f"elig_from_{suffix}"]
        eligible_from = date.fromisoformat(start) if start else None
        notes = ["Sát ngưỡng tuổi — kiểm tra lại"] if near_limit and result.warnings else []
        if row["graduation_year"] and eligible_from and row["unit_kind"] == "school":
            month, day = (int(x) for x in settings.school_year_end.split("-"))
            graduates = date(row["graduation_year"], month, day)
            if eligible_from > graduates:
                notes.append(f"Tốt nghiệp ({fmt(graduates)}) khi chưa đủ 18 tuổi: chuyển nguồn")
        out.append(
            row | {"age_months": result.age_months, "eligible_from": eligible_from, "notes": notes}
        )
    return out


def _unit_tables(
    rows: Sequence[dict], columns: Sequence[Column], unit_order: Sequence[str]
) -> list[Flowable]:
    s = st.styles()
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["unit_code"], []).append(row)
    story: list[Flowable] = []
    widths = [8 * mm, *(c.width for c in columns)]
    for number, code in enumerate(sorted(groups, key=unit_order.index), 1):
        members = groups[code]
        story.append(CondPageBreak(35 * mm))  # a unit heading never sits alone at a foot
        story.append(
            f.para(
                f"{number}. {members[0]['unit_name']} ({code}) — {len(members)} đoàn viên",
                s.heading,
            )
        )
        table_rows: list[list[object]] = [
            [f.para("TT", s.head_cell), *(f.para(c.title, s.head_cell) for c in columns)]
        ]
        for i, row in enumerate(members, 1):
            # Pre-split plain strings: a 3,000-member list is ~5x faster than paragraphs.
            table_rows.append(
                [
                    str(i),
                    *(
                        wrapped(c.value(row), SANS, CELL_SIZE, c.width - 6)
                        if c.wraps
                        else nfc(c.value(row))
                        for c in columns
                    ),
                ]
            )
        table = Table(table_rows, colWidths=widths, repeatRows=1)
        left = [
            ("ALIGN", (i, 1), (i, -1), "LEFT") for i, c in enumerate(columns, 1) if not c.center
        ]
        table.setStyle(TableStyle([*st.grid_style(), *st.plain_cells(), *left]))
        story.append(table)
    return story


def _month_summary(rows: Sequence[dict]) -> list[Flowable]:
    s = st.styles()
    counts = Counter((r["eligible_from"].year, r["eligible_from"].month) for r in rows)
    table_rows: list[list[object]] = [
        [f.para("Tháng đủ 18 tuổi", s.head_cell), f.para("Số đoàn viên", s.head_cell)]
    ]
    for (year, month), n in sorted(counts.items()):
        table_rows.append(
            [f.para(f"{month:02d}/{year}", s.cell_center), f.para(str(n), s.cell_center)]
        )
    table = Table(table_rows, colWidths=[40 * mm, 30 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(st.grid_style()))
    return [f.para("Tổng hợp theo tháng", s.heading), table]


def _document(
    settings: Settings, today: date, title: str, subtitle: str, body: list[Flowable], total: int
) -> list[Flowable]:
    s = st.styles()
    return [
        f.letterhead(f.Letterhead.UNION, settings, today),
        Spacer(1, 5 * mm),
        f.para(title, s.title),
        f.para(subtitle, s.subtitle),
        *body,
        Spacer(1, 3 * mm),
        f.para(f"Tổng cộng: {total} đoàn viên.", s.body),
        Spacer(1, 4 * mm),
        f.signatures([(["NGƯỜI LẬP DANH SÁCH"], ""), f.union_signature(settings)]),
    ]


def _unit_order(store: Store, unit_code: str) -> list[str]:
    codes = [u.code for u in store.units.all()]
    if unit_code and unit_code.strip().upper() not in codes:
        from dvdesk.errors import KnownError

        raise KnownError(f"Không có đơn vị mã “{unit_code}”.")
    return codes


def write_eligible_list(
    store: Store, on: date, out: Path, unit_code: str = "", today: date | None = None
) -> int:
    """Members eligible on the consideration date `on`; returns the page count."""
    today = today or date.today()
    settings = store.settings.get()
    order = _unit_order(store, unit_code)
    query = MemberQuery(
        unit_code=unit_code, eligible_on=on, method=settings.method, stages=NOT_ADMITTED
    )
    rows = _rows(store, query, on, settings, near_limit=True)
    title = "DANH SÁCH ĐOÀN VIÊN ĐỦ TUỔI XEM XÉT KẾT NẠP ĐẢNG"
    subtitle = (
        f"Tại ngày chi bộ họp xét {fmt(on)}: đủ 18 tuổi đến đủ 60 tuổi, tính theo "
        f"tháng ({METHOD_LABELS[settings.method]})"
    )
    body = _unit_tables(rows, ELIGIBLE_COLUMNS, order)
    story = _document(settings, today, title, subtitle, body, len(rows))
    return f.write_pdf(out, story, title.capitalize(), settings.youth_union)


def write_upcoming_list(
    store: Store,
    months: int,
    out: Path,
    on: date | None = None,
    unit_code: str = "",
    today: date | None = None,
) -> int:
    """Members turning 18 (by month count) in the `months` after `on`; the page count."""
    today = today or date.today()
    on = on or today
    settings = store.settings.get()
    order = _unit_order(store, unit_code)
    query = MemberQuery(
        unit_code=unit_code,
        upcoming_months=months,
        reference=on,
        method=settings.method,
        stages=NOT_ADMITTED,
    )
    rows = _rows(store, query, on, settings, near_limit=False)
    title = f"DANH SÁCH ĐOÀN VIÊN SẼ ĐỦ 18 TUỔI TRONG {months} THÁNG TỚI"
    subtitle = (
        f"Đủ tuổi sau ngày {fmt(on)} đến hết ngày {fmt(add_months(on, months))}, "
        f"tính theo tháng ({METHOD_LABELS[settings.method]})"
    )
    body = _unit_tables(rows, UPCOMING_COLUMNS, order)
    if rows:
        body += _month_summary(rows)
    story = _document(settings, today, title, subtitle, body, len(rows))
    return f.write_pdf(out, story, title.capitalize(), settings.youth_union)
