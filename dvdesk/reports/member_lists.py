"""Printed lists: the preset views (members eligible on a consideration date, those who
soon will be, and every other view), on paper.

Who is on a list is decided once, in store/views.py: the printed list, the
window's count and `dvdesk list` read the same view through the same rows
(domain/listing.py), so they agree. Grouped by unit (in the units' order),
members in roster order within each unit (the store's order). Members whose
date of birth is not known to the day come after, in their own section
("chưa rõ ngày sinh đầy đủ"), with the statuses still possible and the range
of the day they turn 18: never left off. A student who graduates before
turning 18 is noted, since their introduction must be transferred
(chuyển nguồn).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from dvdesk.domain.dates import add_months, fmt, parse_date
from dvdesk.domain.eligibility import STATUS_LABELS, Method, Status
from dvdesk.domain.listing import ListRow
from dvdesk.domain.member import PRESENCE_LABELS, Presence
from dvdesk.domain.procedure import STAGE_LABELS, Stage
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import SANS, nfc
from dvdesk.reports.line_blocks import wrapped
from dvdesk.store import views as preset
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

CELL_SIZE = 8.5
METHOD_LABELS = {
    Method.COMPLETED: "tháng tròn, tính cả ngày",
    Method.CALENDAR: "hiệu số tháng, bỏ qua ngày",
}
PARTIAL_HEADING = "Đoàn viên chưa rõ ngày sinh đầy đủ (cần bổ sung để xét tuổi chính xác)"


@dataclass(frozen=True)
class Entry:
    """A list row with the notes a reader needs, as printed."""

    row: ListRow
    eligible_from: date | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    value: Callable[[Entry], str]
    center: bool = False
    wraps: bool = True  # short values are drawn as plain strings: much faster


def _age(e: Entry) -> str:
    k = e.row.age_months
    return "" if k is None else f"{k // 12} tuổi {k % 12} tháng"


def _note(e: Entry) -> str:
    notes = list(e.notes)
    if e.row.presence != Presence.AT_HOME.value:
        notes.insert(0, PRESENCE_LABELS[Presence(e.row.presence)])
    return "; ".join(notes)


def _gender(e: Entry) -> str:
    return {"nam": "Nam", "nu": "Nữ"}.get(e.row.gender or "", "")


def _dob(e: Entry) -> str:
    dob = parse_date(e.row.dob) if e.row.dob else None
    return dob.vi() if dob else ""


def _possible(e: Entry) -> str:
    """For a partial date of birth: the statuses still possible and when they turn 18."""
    r = e.row
    if r.status != Status.UNKNOWN.value:
        text = STATUS_LABELS[Status(r.status)]
    else:
        text = "Có thể: " + ", ".join(
            STATUS_LABELS[Status(s)].lower() for s in r.possible_statuses or ()
        )
    if r.eligible_from_earliest and r.eligible_from_latest and r.status != "eligible":
        lo = date.fromisoformat(r.eligible_from_earliest)
        hi = date.fromisoformat(r.eligible_from_latest)
        text += f"; đủ 18 tuổi {'ngày ' + fmt(lo) if lo == hi else f'từ {fmt(lo)} đến {fmt(hi)}'}"
    return text


def _month(e: Entry) -> str:
    return f"{e.eligible_from:%m/%Y}" if e.eligible_from else ""


NAME = Column("Họ và tên", 39 * mm, lambda e: e.row.full_name)
DOB = Column("Ngày sinh", 19 * mm, _dob, center=True, wraps=False)
GENDER = Column("Giới tính", 11 * mm, _gender, center=True, wraps=False)
CLASS = Column("Lớp", 12 * mm, lambda e: e.row.school_class or "", center=True, wraps=False)
STAGE = Column("Giai đoạn", 26 * mm, lambda e: STAGE_LABELS[Stage(e.row.stage)])

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
    Column("Đủ 18 tuổi từ ngày", 20 * mm, lambda e: fmt(e.eligible_from), center=True, wraps=False),
    Column("Tháng đủ tuổi", 15 * mm, _month, center=True, wraps=False),
    Column("Ghi chú", 44 * mm, _note),
)
VIEW_COLUMNS = (
    NAME,
    DOB,
    GENDER,
    CLASS,
    Column("Tuổi tại ngày xét", 25 * mm, _age, center=True),
    STAGE,
    Column("Ghi chú", 30 * mm, _note),
)
PARTIAL_COLUMNS = (
    NAME,
    DOB,
    GENDER,
    CLASS,
    Column("Tại ngày xét", 55 * mm, _possible),
    Column("Ghi chú", 30 * mm, _note),
)


def entries(rows: Iterable[ListRow], settings: Settings, near_limit: bool) -> list[Entry]:
    """The rows as printed, with their notes (near the age limit, transfer at graduation)."""
    out = []
    month, day = (int(x) for x in settings.school_year_end.split("-"))
    for row in rows:
        start = row.eligible_from or row.eligible_from_latest
        eligible_from = date.fromisoformat(start) if start else None
        notes = ["Sát ngưỡng tuổi — kiểm tra lại"] if near_limit and row.near_limit else []
        if row.note:
            notes.append(row.note)
        elif row.graduation_year and eligible_from and row.unit_kind == "school":
            graduates = date(row.graduation_year, month, day)
            if eligible_from > graduates:
                notes.append(f"Tốt nghiệp ({fmt(graduates)}) khi chưa đủ 18 tuổi: chuyển nguồn")
        out.append(Entry(row, eligible_from, tuple(notes)))
    return out


def _table(members: Sequence[Entry], columns: Sequence[Column]) -> Table:
    s = st.styles()
    widths = [8 * mm, *(c.width for c in columns)]
    table_rows: list[list[object]] = [
        [f.para("TT", s.head_cell), *(f.para(c.title, s.head_cell) for c in columns)]
    ]
    for i, e in enumerate(members, 1):
        # Pre-split plain strings: a 3,000-member list is ~5x faster than paragraphs.
        table_rows.append(
            [
                str(i),
                *(
                    wrapped(c.value(e), SANS, CELL_SIZE, c.width - 6)
                    if c.wraps
                    else nfc(c.value(e))
                    for c in columns
                ),
            ]
        )
    table = Table(table_rows, colWidths=widths, repeatRows=1)
    left = [("ALIGN", (i, 1), (i, -1), "LEFT") for i, c in enumerate(columns, 1) if not c.center]
    table.setStyle(TableStyle([*st.grid_style(), *st.plain_cells(), *left]))
    return table


def _unit_tables(
    rows: Sequence[Entry], columns: Sequence[Column], unit_order: Sequence[str]
) -> list[Flowable]:
    s = st.styles()
    groups: dict[str, list[Entry]] = {}
    for e in rows:
        groups.setdefault(e.row.unit, []).append(e)
    story: list[Flowable] = []
    for number, code in enumerate(sorted(groups, key=unit_order.index), 1):
        members = groups[code]
        story.append(CondPageBreak(35 * mm))  # a unit heading never sits alone at a foot
        story.append(
            f.para(
                f"{number}. {members[0].row.unit_name} ({code}) — {len(members)} đoàn viên",
                s.heading,
            )
        )
        story.append(_table(members, columns))
    return story


def _partial_section(rows: Sequence[Entry]) -> list[Flowable]:
    """Members whose date of birth is partial: their own section, never left off."""
    if not rows:
        return []
    s = st.styles()
    return [
        CondPageBreak(35 * mm),
        f.para(f"{PARTIAL_HEADING} — {len(rows)} đoàn viên", s.heading),
        _table(rows, PARTIAL_COLUMNS),
    ]


def _body(
    rows: Sequence[Entry], columns: Sequence[Column], unit_order: Sequence[str]
) -> list[Flowable]:
    full = [e for e in rows if not e.row.partial]
    partial = [e for e in rows if e.row.partial]
    return _unit_tables(full, columns, unit_order) + _partial_section(partial)


def _month_summary(rows: Sequence[Entry]) -> list[Flowable]:
    s = st.styles()
    counts = Counter(
        (e.eligible_from.year, e.eligible_from.month)
        for e in rows
        if e.eligible_from and not e.row.partial
    )
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


def _of_commune(store: Store, commune_code: str | None) -> str:
    """The subtitle's commune at the receiving level ('' for a commune's own file)."""
    if commune_code is None:
        return ""
    names = {r["commune_code"]: r["commune_name"] for r in store.received.all()}
    if commune_code not in names and commune_code != store.settings.get().commune_code:
        from dvdesk.errors import KnownError

        raise KnownError(f"Không có dữ liệu của xã/phường mã “{commune_code}” trong tệp này.")
    return f". {names.get(commune_code) or store.settings.get().commune_name} (mã {commune_code})"


def write_eligible_list(
    store: Store,
    on: date,
    out: Path,
    unit_code: str = "",
    today: date | None = None,
    *,
    overwrite: bool = False,
    commune_code: str | None = None,
) -> int:
    """Members eligible on the consideration date `on` (the "eligible" view); the page count.

    `commune_code`: at the receiving level, one commune's members only.
    """
    today = today or date.today()
    settings = store.settings.get()
    order = _unit_order(store, unit_code)
    query = preset.eligible_query(on, settings, unit_code, commune_code)
    rows = entries(preset.view_rows(store, query, on), settings, near_limit=True)
    title = "DANH SÁCH ĐOÀN VIÊN ĐỦ TUỔI XEM XÉT KẾT NẠP ĐẢNG"
    subtitle = (
        f"Tại ngày chi bộ họp xét {fmt(on)}: đủ 18 tuổi đến đủ 60 tuổi, tính theo "
        f"tháng ({METHOD_LABELS[settings.method]}); chưa là đảng viên, chưa chuyển đi"
    ) + _of_commune(store, commune_code)
    body = _body(rows, ELIGIBLE_COLUMNS, order)
    story = _document(settings, today, title, subtitle, body, len(rows))
    return f.write_pdf(out, story, title.capitalize(), settings.youth_union, overwrite=overwrite)


def write_upcoming_list(
    store: Store,
    months: int,
    out: Path,
    on: date | None = None,
    unit_code: str = "",
    today: date | None = None,
    *,
    overwrite: bool = False,
    commune_code: str | None = None,
) -> int:
    """Members turning 18 (by month count) in the `months` after `on`; the page count."""
    today = today or date.today()
    on = on or today
    settings = store.settings.get()
    order = _unit_order(store, unit_code)
    query = preset.upcoming_query(on, months, settings, unit_code, commune_code)
    rows = entries(preset.view_rows(store, query, on), settings, near_limit=False)
    title = f"DANH SÁCH ĐOÀN VIÊN SẼ ĐỦ 18 TUỔI TRONG {months} THÁNG TỚI"
    subtitle = (
        f"Đủ tuổi sau ngày {fmt(on)} đến hết ngày {fmt(add_months(on, months))}, "
        f"tính theo tháng ({METHOD_LABELS[settings.method]})"
    ) + _of_commune(store, commune_code)
    body = _body(rows, UPCOMING_COLUMNS, order)
    if any(not e.row.partial for e in rows):
        body += _month_summary(rows)
    story = _document(settings, today, title, subtitle, body, len(rows))
    return f.write_pdf(out, story, title.capitalize(), settings.youth_union, overwrite=overwrite)


def write_view_list(
    store: Store,
    view: preset.View,
    on: date,
    out: Path,
    unit_code: str = "",
    today: date | None = None,
    *,
    overwrite: bool = False,
    commune_code: str | None = None,
) -> int:
    """Any preset view as a printed list (the members the window shows for it); page count."""
    from dataclasses import replace

    today = today or date.today()
    settings = store.settings.get()
    order = _unit_order(store, unit_code)
    query = replace(view.query, unit_code=unit_code) if unit_code else view.query
    if commune_code is not None:
        query = replace(query, commune_code=commune_code)
    rows = entries(preset.view_rows(store, query, on, view.graduation), settings, near_limit=True)
    title = f"DANH SÁCH: {view.label.upper()}"
    subtitle = f"Tại ngày {fmt(on)}. {view.hint}" + _of_commune(store, commune_code)
    body = _body(rows, VIEW_COLUMNS, order)
    story = _document(settings, today, title, subtitle, body, len(rows))
    return f.write_pdf(out, story, view.label, settings.youth_union, overwrite=overwrite)
