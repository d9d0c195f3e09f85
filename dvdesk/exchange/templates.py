"""Workbooks in the layouts the level above asks for (xuất theo mẫu).

`dvdesk export --template hd38|danh-sach|trich-ngang|so-luong --out F.xlsx`:

- ``hd38``: the Party-member data sheet of the HD 38-HD/BTCTW era (columns of
  the 2025 collection template quoted in notes/domain.md §7), one row per
  Party member (probationary or full) of the file; columns dvdesk does not
  keep (Party card number, birth registration) are left for the office.
- ``danh-sach``: "Danh sách đoàn viên" of each chi đoàn (the sổ đoàn viên
  columns of §7), a numbered group row per chi đoàn.
- ``trich-ngang``: "Danh sách trích ngang" of the candidates (introduced,
  not yet admitted) with the awareness course date and certificate number.
- ``so-luong``: the member-count report by unit: gender, ethnic minorities,
  religion, presence, Party members.

Each has the letterhead (issuer left, motto right, Hướng dẫn 29-HD/TWĐTN-VP for
Youth Union lists, 36-HD/VPTW for the Party sheet), the place and date line,
the title, a bordered table with its header repeated on every printed page,
"Người lập biểu" and the signature block; A4, landscape where wide, fit to
the page width, Times New Roman (Liberation Serif where it is missing),
CCCD and card numbers as text, real dates shown dd/mm/yyyy.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain.member import Gender, Member, Presence
from dvdesk.errors import KnownError
from dvdesk.exchange.cells import escape_cell
from dvdesk.exchange.sheet_columns import list_data
from dvdesk.exchange.templates_columns import (
    CANDIDATE_STAGES,
    DANH_SACH,
    DATE_FORMAT,
    FONT,
    HD38,
    PARTY_STAGES,
    ROMAN,
    TEMPLATES,
    TRICH_NGANG,
    Column,
    Context,
    Template,
    Value,
)
from dvdesk.files import check_output, write_private

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store
    from dvdesk.store.settings import Settings

__all__ = ["FONT", "TEMPLATES", "Template", "export_template"]


# -- writing -------------------------------------------------------------------------


class _Sheet:
    """One worksheet written row by row, with the styles every template uses."""

    def __init__(self, ws: Any, width: int) -> None:
        from openpyxl.styles import Alignment, Border, Font, Side

        self.ws, self.width, self.row = ws, width, 0
        thin = Side(style="thin")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=FONT, size=11)
        self.bold = Font(name=FONT, size=11, bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="center")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.Font, self.Alignment = Font, Alignment

    def text(
        self,
        column: int,
        span: int,
        value: str,
        *,
        size: int = 12,
        bold: bool = False,
        italic: bool = False,
        underline: bool = False,
        align: str = "center",
    ) -> None:
        """A line of the letterhead, title or signature, merged over `span` columns."""
        cell = self.ws.cell(row=self.row, column=column, value=value)
        cell.font = self.Font(
            name=FONT,
            size=size,
            bold=bold,
            italic=italic,
            underline="single" if underline else None,
        )
        cell.alignment = self.Alignment(horizontal=align, vertical="center", wrap_text=True)
        if span > 1:
            self.ws.merge_cells(
                start_row=self.row,
                start_column=column,
                end_row=self.row,
                end_column=column + span - 1,
            )

    def next(self, height: float | None = None) -> int:
        self.row += 1
        if height:
            self.ws.row_dimensions[self.row].height = height
        return self.row

    def table_row(
        self, values: Sequence[Value], *, header: bool = False, texts: Sequence[bool] = ()
    ) -> None:
        self.next()
        for i, value in enumerate(values, 1):
            v = escape_cell(value) if isinstance(value, str) else value
            cell = self.ws.cell(row=self.row, column=i, value=v)
            cell.border = self.border
            cell.font = self.bold if header else self.font
            cell.alignment = self.center if header else self.wrap
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
                cell.alignment = self.center
            elif i <= len(texts) and texts[i - 1]:
                cell.number_format = "@"  # text: no lost zeros, no 1.2E+11

    def group_row(self, text: str) -> None:
        self.next()
        cell = self.ws.cell(row=self.row, column=1, value=text)
        cell.font = self.bold
        cell.alignment = self.Alignment(vertical="center")
        for c in range(1, self.width + 1):
            self.ws.cell(row=self.row, column=c).border = self.border
        self.ws.merge_cells(
            start_row=self.row, start_column=1, end_row=self.row, end_column=self.width
        )


def _issuer(settings: Settings, party: bool) -> tuple[str, str]:
    """(level above, issuing body) for the top left."""
    commune = settings.commune_name.strip() or "…"
    if party:
        body = settings.party_committee.strip() or f"ĐẢNG ỦY {commune}"
        above = f"ĐẢNG BỘ {settings.province}".strip() if settings.province else ""
        return above.upper(), body.upper()
    body = settings.youth_union.strip() or f"ĐOÀN {commune}"
    return "", f"BCH {body}".upper() if not body.upper().startswith("BCH") else body.upper()


def _date_line(settings: Settings, today: date) -> str:
    place = settings.commune_name.strip()
    for prefix in ("Xã ", "xã ", "Phường ", "phường ", "Thị trấn ", "Đặc khu "):
        if place.startswith(prefix):
            place = place[len(prefix) :]
    return f"{place or '……'}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"


def _letterhead(s: _Sheet, t: Template, settings: Settings, today: date) -> None:
    left = max(2, s.width * 2 // 5)
    right_col = left + 1
    right = s.width - left
    above, body = _issuer(settings, t.party)
    motto = "ĐẢNG CỘNG SẢN VIỆT NAM" if t.party else "ĐOÀN TNCS HỒ CHÍ MINH"
    s.next(20)
    if above:
        s.text(1, left, above, size=13)
        s.text(right_col, right, motto, size=14, bold=True, underline=True)
        s.next(20)
        s.text(1, left, body, size=13, bold=True)
    else:
        s.text(1, left, body, size=13, bold=True)
        s.text(right_col, right, motto, size=14, bold=True, underline=True)
    s.next(18)
    s.text(1, left, "*" if t.party else "***", size=12)
    s.text(right_col, right, _date_line(settings, today), size=13, italic=True)


def _title(s: _Sheet, title: str, subtitle: str) -> None:
    s.next(8)
    s.next(24)
    s.text(1, s.width, title, size=14, bold=True)
    if subtitle:
        s.next(20)
        s.text(1, s.width, subtitle, size=13, italic=True)
    s.next(8)


def _signature(s: _Sheet, t: Template, settings: Settings) -> None:
    left = max(2, s.width * 2 // 5)
    right_col, right = left + 1, s.width - left
    if t.party:
        on_behalf, title, name = (
            "T/M ĐẢNG ỦY",
            settings.party_secretary_title,
            settings.party_secretary,
        )
    else:
        on_behalf, title = "TM. BAN CHẤP HÀNH", "BÍ THƯ"
        name = settings.union_secretary
    s.next(10)
    s.next(20)
    s.text(1, left, "NGƯỜI LẬP BIỂU", size=13, bold=True)
    s.text(right_col, right, on_behalf, size=13, bold=True)
    s.next(20)
    s.text(1, left, "(Ký, ghi rõ họ tên)", size=12, italic=True)
    s.text(right_col, right, (title or "BÍ THƯ").upper(), size=13, bold=True)
    for _ in range(3):
        s.next(20)
    s.next(20)
    s.text(right_col, right, name, size=13, bold=True)


def _print_setup(ws: Any, landscape: bool, header_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    m = ws.page_margins  # inches; Hướng dẫn 36: top/bottom 20–25 mm, left 30–35, right 15–20
    m.top, m.bottom, m.left, m.right = 0.8, 0.8, 1.0 if landscape else 1.2, 0.6
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT


def _members_sheet(
    s: _Sheet,
    columns: Sequence[Column],
    groups: list[tuple[str, list[Member]]],
    ctx: Context,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """The table: header, column numbers, then each group's title row and people."""
    header_row = s.row + 1
    s.table_row(["STT", *(c.header for c in columns)], header=True)
    s.ws.row_dimensions[s.row].height = 45
    s.table_row([f"({i})" for i in range(1, len(columns) + 2)], header=True)
    texts = [False, *(c.text for c in columns)]
    count = 0
    total = sum(len(p) for _, p in groups)
    for g, (title, people) in enumerate(groups):
        if title:
            s.group_row(f"{ROMAN[g] if g < len(ROMAN) else g + 1}. {title}")
        for i, m in enumerate(people, 1):
            s.table_row([i, *(c.value(m, ctx) for c in columns)], texts=texts)
            count += 1
            if progress and count % 200 == 0:
                progress(count, total)
    from openpyxl.utils import get_column_letter

    for i, width in enumerate([5, *(c.width for c in columns)], 1):
        s.ws.column_dimensions[get_column_letter(i)].width = width + 1
    return header_row, count


def _groups(
    members: list[Member], ctx: Context, unit: str | None
) -> list[tuple[str, list[Member]]]:
    by_unit: dict[str, list[Member]] = {}
    for m in members:
        by_unit.setdefault(m.unit_code, []).append(m)
    codes = [u[0] for u in ctx.data.units if u[0] in by_unit]
    if unit:
        codes = [c for c in codes if c == unit]
    return [(f"CHI ĐOÀN {ctx.unit_names[c].upper()}", by_unit[c]) for c in codes]


def _counts(s: _Sheet, ctx: Context, unit: str | None) -> tuple[int, int]:
    header = [
        "STT",
        "Chi đoàn",
        "Tổng số đoàn viên",
        "Nam",
        "Nữ",
        "Dân tộc thiểu số",
        "Có tôn giáo",
        "Đang ở địa phương",
        "Đi làm ăn xa",
        "Đi nước ngoài",
        "Đã chuyển đi / ra khỏi Đoàn",
        "Là đảng viên",
    ]
    widths = [5, 26, 10, 8, 8, 10, 10, 11, 10, 10, 12, 10]
    header_row = s.row + 1
    s.table_row(header, header=True)
    s.ws.row_dimensions[s.row].height = 45
    s.table_row([f"({i})" for i in range(1, len(header) + 1)], header=True)
    totals = [0] * (len(header) - 2)
    rows = 0
    for code, name, _kind, _n in ctx.data.units:
        if unit and code != unit:
            continue
        people = [m for m in ctx.data.members if m.unit_code == code]
        figures = [
            len(people),
            sum(m.gender is Gender.MALE for m in people),
            sum(m.gender is Gender.FEMALE for m in people),
            sum(m.ethnicity.strip().lower() not in ("", "kinh") for m in people),
            sum(m.religion.strip().lower() not in ("", "không") for m in people),
            sum(m.presence is Presence.AT_HOME for m in people),
            sum(m.presence is Presence.WORKING_AWAY for m in people),
            sum(m.presence is Presence.ABROAD for m in people),
            sum(m.presence in (Presence.MOVED, Presence.LEFT_UNION) for m in people),
            sum(ctx.stage(m) in PARTY_STAGES for m in people),
        ]
        rows += 1
        s.table_row([rows, name, *figures])
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
    s.table_row(["", "Tổng cộng", *totals], header=True)
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, 1):
        s.ws.column_dimensions[get_column_letter(i)].width = w
    return header_row, rows


def export_template(
    store: Store,
    key: str,
    out: Path,
    *,
    unit: str | None = None,
    today: date | None = None,
    overwrite: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the workbook of one template; returns the number of rows in its table.

    `progress(done, total)` is told the rows written (the window's progress bar).

    `out` is checked first and written whole or not at all (dvdesk/files.py); an
    existing file is replaced only with `overwrite`, never a data file.
    """
    from openpyxl import Workbook

    check_output(out, overwrite=overwrite, protect=[store.path])

    if key not in TEMPLATES:
        names = ", ".join(TEMPLATES)
        raise KnownError(f"Không có mẫu “{key}”: chọn một trong {names}.")
    t = TEMPLATES[key]
    today = today or date.today()
    data = list_data(store)
    settings = store.settings.get()
    unit_names = {u[0]: u[1] for u in data.units}
    if unit and unit.upper() not in unit_names:
        raise KnownError(f"Không có đơn vị mã “{unit}”.")
    unit = unit.upper() if unit else None
    ctx = Context(data, settings, unit_names)
    book = Workbook()
    ws = book.active
    ws.title = t.label[:31]
    if key == "so-luong":
        width = 12
    else:
        columns = {"hd38": HD38, "danh-sach": DANH_SACH, "trich-ngang": TRICH_NGANG}[key]
        width = len(columns) + 1
    s = _Sheet(ws, width)
    _letterhead(s, t, settings, today)
    where = f"Chi đoàn {unit_names[unit]}" if unit else (settings.commune_name or "")
    subtitle = f"{where} — tính đến ngày {today:%d/%m/%Y}".strip(" —")
    _title(s, t.title, subtitle)
    if key == "so-luong":
        header_row, count = _counts(s, ctx, unit)
    else:
        members = data.members
        if key == "hd38":
            members = [m for m in members if ctx.stage(m) in PARTY_STAGES]
        elif key == "trich-ngang":
            members = [m for m in members if ctx.stage(m) in CANDIDATE_STAGES]
        if unit:
            members = [m for m in members if m.unit_code == unit]
        groups = _groups(members, ctx, unit) if key == "danh-sach" else [("", members)]
        header_row, count = _members_sheet(s, columns, groups, ctx, progress)
    _signature(s, t, settings)
    _print_setup(ws, t.landscape, f"{header_row}:{header_row + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    write_private(out, buffer.getvalue(), overwrite=overwrite, protect=[store.path])
    return count
