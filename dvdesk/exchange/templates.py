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
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain.dates import add_months
from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, Gender, Member, Presence
from dvdesk.domain.procedure import Stage, StepRecord, StepState, stage_of
from dvdesk.errors import KnownError, OutputRefused
from dvdesk.exchange.cells import escape_cell
from dvdesk.exchange.sheet_columns import ListData, list_data

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store
    from dvdesk.store.settings import Settings

FONT = "Times New Roman"  # TCVN 6909 Unicode; LibreOffice shows it in Liberation Serif
DATE_FORMAT = "DD/MM/YYYY"
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_PARTY_STAGES = (Stage.PROBATION, Stage.FULL)
_CANDIDATE_STAGES = (Stage.INTRODUCED, Stage.COURSE, Stage.DOSSIER, Stage.ADMISSION)

Value = str | int | date | None


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    value: Callable[[Member, _Context], Value]
    text: bool = False  # digits kept as text (CCCD, card numbers)


@dataclass
class _Context:
    data: ListData
    settings: Settings
    unit_names: dict[str, str]

    def steps(self, m: Member) -> dict[str, StepRecord]:
        return {r.code: r for r in self.data.steps.get(m.uid, [])}

    def done(self, m: Member, code: str) -> StepRecord | None:
        r = self.steps(m).get(code)
        return r if r is not None and r.state is StepState.DONE else None

    def stage(self, m: Member) -> Stage:
        return stage_of({c for c, r in self.steps(m).items() if r.state is StepState.DONE})


# -- cell values ---------------------------------------------------------------------


def _dob(m: Member, _: _Context) -> Value:
    if m.dob is None:
        return None
    return m.dob.as_date() if m.dob.is_full else m.dob.vi()


def _gender(m: Member, _: _Context) -> Value:
    return GENDER_LABELS[m.gender] if m.gender else ""


def _old_id(m: Member, _: _Context) -> Value:
    for part in m.notes.split(";"):
        part = part.strip()
        if part.startswith("CMND:"):
            return part[len("CMND:") :].strip()
    return ""


def _admitted(m: Member, c: _Context) -> Value:
    """Ngày vào Đảng: the date on the admission decision (party age counts from it)."""
    r = c.done(m, "decision") or c.done(m, "ceremony")
    return r.done_on if r else None


def _official(m: Member, c: _Context) -> Value:
    """Ngày chính thức: 12 months after the ceremony, once recognised (domain.md rule 13)."""
    ceremony, recognised = c.done(m, "ceremony"), c.done(m, "recognition_decision")
    if recognised is None or ceremony is None or ceremony.done_on is None:
        return None
    return add_months(ceremony.done_on, 12)


def _party(m: Member, c: _Context) -> Value:
    admitted = _admitted(m, c)
    return admitted if c.stage(m) in _PARTY_STAGES else None


def _step(code: str, part: str) -> Callable[[Member, _Context], Value]:
    def value(m: Member, c: _Context) -> Value:
        r = c.done(m, code)
        if r is None:
            return None
        return r.done_on if part == "date" else (r.doc_number if part == "number" else r.note)

    return value


def _attr(name: str) -> Callable[[Member, _Context], Value]:
    def value(m: Member, _: _Context) -> Value:
        v: Value = getattr(m, name)
        return v

    return value


def _const(text: str) -> Callable[[Member, _Context], Value]:
    return lambda m, c: text


def _unit(m: Member, c: _Context) -> Value:
    return c.unit_names.get(m.unit_code, m.unit_code)


def _address(m: Member, _: _Context) -> Value:
    return ", ".join(p for p in (m.address, m.residence_commune) if p)


def _province(m: Member, c: _Context) -> Value:
    return m.residence_province or c.settings.province


def _presence(m: Member, _: _Context) -> Value:
    return PRESENCE_LABELS[m.presence]


def _blank(m: Member, _: _Context) -> Value:
    return None


# -- the layouts ---------------------------------------------------------------------

HD38 = (
    Column("Họ và tên", 24, _attr("full_name")),
    Column("Tên gọi khác", 12, _blank),
    Column("Giới tính", 8, _gender),
    Column("Sinh ngày", 12, _dob),
    Column("Dân tộc", 9, _attr("ethnicity")),
    Column("Tôn giáo", 9, _attr("religion")),
    Column("Số định danh cá nhân", 15, _attr("cccd"), text=True),
    Column("Số thẻ Đảng", 15, _blank, text=True),
    Column("Nơi cấp thẻ Đảng", 14, _blank),
    Column("Ngày cấp thẻ Đảng", 12, _blank),
    Column("Số thẻ theo Quyết định 85", 14, _blank, text=True),
    Column("Tổ chức Đảng đang sinh hoạt", 22, lambda m, c: c.settings.party_committee),
    Column("Nơi đăng ký khai sinh - Quốc gia", 10, _const("Việt Nam")),
    Column("Nơi đăng ký khai sinh - Tỉnh", 12, _blank),
    Column("Nơi đăng ký khai sinh - Xã, thôn / Địa chỉ chi tiết", 20, _blank),
    Column("Quê quán - Quốc gia", 10, _const("Việt Nam")),
    Column("Quê quán - Tỉnh", 12, _blank),
    Column("Quê quán - Địa chỉ chi tiết", 20, _attr("hometown")),
    Column("Thường trú - Quốc gia", 10, _const("Việt Nam")),
    Column("Thường trú - Tỉnh", 12, _province),
    Column("Thường trú - Địa chỉ chi tiết", 22, _address),
    Column("Ngày vào Đảng", 12, _admitted),
    Column("Ngày vào Đảng chính thức", 12, _official),
    Column("Số CMND cũ (nếu có)", 12, _old_id, text=True),
    Column("Trạng thái hoạt động", 14, _presence),
    Column("Ngày rời khỏi / ngày mất / ngày miễn sinh hoạt", 14, _blank),
    Column("Ghi chú", 18, _attr("notes")),
)
DANH_SACH = (
    Column("Họ và tên", 24, _attr("full_name")),
    Column("Ngày sinh", 11, _dob),
    Column("Giới tính", 7, _gender),
    Column("Dân tộc", 8, _attr("ethnicity")),
    Column("Tôn giáo", 8, _attr("religion")),
    Column("Số CCCD / định danh", 14, _attr("cccd"), text=True),
    Column("Quê quán", 16, _attr("hometown")),
    Column("Nơi ở hiện nay", 18, _address),
    Column("Trình độ học vấn", 8, _attr("education")),
    Column("Nghề nghiệp / nơi làm việc", 16, _attr("occupation")),
    Column("Ngày vào Đoàn", 11, _attr("union_joined")),
    Column("Nơi vào Đoàn", 14, _attr("union_joined_place")),
    Column("Số thẻ đoàn viên", 12, _attr("union_card_no"), text=True),
    Column("Chức vụ Đoàn", 12, _attr("union_position")),
    Column("Ngày vào Đảng", 11, _party),
    Column("Số điện thoại", 12, _attr("phone"), text=True),
    Column("Ghi chú", 16, _attr("notes")),
)
TRICH_NGANG = (
    Column("Họ và tên", 24, _attr("full_name")),
    Column("Ngày sinh", 11, _dob),
    Column("Giới tính", 7, _gender),
    Column("Dân tộc", 8, _attr("ethnicity")),
    Column("Tôn giáo", 8, _attr("religion")),
    Column("Số CCCD / định danh", 14, _attr("cccd"), text=True),
    Column("Quê quán", 16, _attr("hometown")),
    Column("Nơi ở hiện nay", 18, _address),
    Column("Trình độ học vấn", 8, _attr("education")),
    Column("Nghề nghiệp / nơi làm việc", 16, _attr("occupation")),
    Column("Ngày vào Đoàn", 11, _attr("union_joined")),
    Column("Chi đoàn", 16, _unit),
    Column("Ngày học lớp bồi dưỡng nhận thức về Đảng", 13, _step("course", "date")),
    Column("Số giấy chứng nhận", 12, _step("course", "number"), text=True),
    Column("Người giới thiệu", 20, _step("introduction", "note")),
    Column("Ghi chú", 16, _attr("notes")),
)


@dataclass(frozen=True)
class Template:
    key: str
    label: str  # for the window's menu
    title: str
    party: bool  # the Party's letterhead (else the Youth Union's)
    landscape: bool


TEMPLATES = {
    "hd38": Template(
        "hd38", "Dữ liệu đảng viên (mẫu HD 38)", "DANH SÁCH ĐẢNG VIÊN", party=True, landscape=True
    ),
    "danh-sach": Template(
        "danh-sach", "Danh sách đoàn viên", "DANH SÁCH ĐOÀN VIÊN", party=False, landscape=True
    ),
    "trich-ngang": Template(
        "trich-ngang",
        "Danh sách trích ngang",
        "DANH SÁCH TRÍCH NGANG ĐOÀN VIÊN ƯU TÚ ĐỀ NGHỊ XEM XÉT KẾT NẠP ĐẢNG",
        party=False,
        landscape=True,
    ),
    "so-luong": Template(
        "so-luong", "Báo cáo số lượng đoàn viên", "BÁO CÁO SỐ LƯỢNG ĐOÀN VIÊN", False, True
    ),
}


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
    s: _Sheet, columns: Sequence[Column], groups: list[tuple[str, list[Member]]], ctx: _Context
) -> tuple[int, int]:
    """The table: header, column numbers, then each group's title row and people."""
    header_row = s.row + 1
    s.table_row(["STT", *(c.header for c in columns)], header=True)
    s.ws.row_dimensions[s.row].height = 45
    s.table_row([f"({i})" for i in range(1, len(columns) + 2)], header=True)
    texts = [False, *(c.text for c in columns)]
    count = 0
    for g, (title, people) in enumerate(groups):
        if title:
            s.group_row(f"{_ROMAN[g] if g < len(_ROMAN) else g + 1}. {title}")
        for i, m in enumerate(people, 1):
            s.table_row([i, *(c.value(m, ctx) for c in columns)], texts=texts)
            count += 1
    for i, c in enumerate([Column("STT", 5, _blank), *columns], 1):
        from openpyxl.utils import get_column_letter

        s.ws.column_dimensions[get_column_letter(i)].width = c.width + 1
    return header_row, count


def _groups(
    members: list[Member], ctx: _Context, unit: str | None
) -> list[tuple[str, list[Member]]]:
    by_unit: dict[str, list[Member]] = {}
    for m in members:
        by_unit.setdefault(m.unit_code, []).append(m)
    codes = [u[0] for u in ctx.data.units if u[0] in by_unit]
    if unit:
        codes = [c for c in codes if c == unit]
    return [(f"CHI ĐOÀN {ctx.unit_names[c].upper()}", by_unit[c]) for c in codes]


def _counts(s: _Sheet, ctx: _Context, unit: str | None) -> tuple[int, int]:
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
            sum(ctx.stage(m) in _PARTY_STAGES for m in people),
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
) -> int:
    """Write the workbook of one template; returns the number of rows in its table.

    An existing `out` is replaced only with `overwrite`, never the data file itself;
    the workbook is built in memory and appears whole (temporary file, then rename).
    """
    from openpyxl import Workbook

    _check_output(store, out, overwrite)

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
    ctx = _Context(data, settings, unit_names)
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
            members = [m for m in members if ctx.stage(m) in _PARTY_STAGES]
        elif key == "trich-ngang":
            members = [m for m in members if ctx.stage(m) in _CANDIDATE_STAGES]
        if unit:
            members = [m for m in members if m.unit_code == unit]
        groups = _groups(members, ctx, unit) if key == "danh-sach" else [("", members)]
        header_row, count = _members_sheet(s, columns, groups, ctx)
    _signature(s, t, settings)
    _print_setup(ws, t.landscape, f"{header_row}:{header_row + 1}")
    buffer = io.BytesIO()
    book.save(buffer)
    _write_whole(out, buffer.getvalue())
    return count


def _check_output(store: Store, out: Path, overwrite: bool) -> None:
    if store.path is not None and out.resolve() == Path(store.path).resolve():
        raise OutputRefused(f"“{out}” là tệp dữ liệu đang mở: hãy chọn tên tệp khác.")
    if out.exists() and not overwrite:
        raise OutputRefused(f"Tệp “{out}” đã có: chọn tên khác hoặc cho phép ghi đè.")


def _write_whole(out: Path, data: bytes) -> None:
    tmp = out.with_name(f".{out.name}.dvdesk-{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as exc:
        raise KnownError(f"Không ghi được tệp “{out}” ({exc.strerror or exc}).") from exc
    finally:
        tmp.unlink(missing_ok=True)
