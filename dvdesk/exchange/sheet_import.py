"""Importing member lists from a spreadsheet (nhập danh sách từ Excel/CSV).

Two steps, so a window can show the preview (and let the clerk fix the column
mapping or answer a probable match) before anything is written:

- `plan_import` reads EVERY sheet of the workbook, finds each header, tells
  people from group titles, totals and signatures, decides each row's unit
  (column, group row, the user's choice, the title, the sheet name — in that
  order), reads every row and runs the SAME validation as entry. It writes
  nothing and returns an `ImportPlan`: per sheet the header, each column's
  meaning, the columns ignored, the unit of each block and why, the rows
  skipped and why; per row its status and problems.
- `apply_import` writes the new units, the new members and the updates in
  ONE transaction after a backup (each update audited); invalid rows and
  unconfirmed probable matches are left out and were reported.

A re-import updates the people it finds: by dvdesk code (uid, in dvdesk's own
exports), else by CCCD; a row with the same name, date of birth and unit but
neither is only a *probable* match, shown and applied only when confirmed.
A cell left empty in the sheet never erases stored data unless asked.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.fields import FieldType
from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.names import fold
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.domain.validation import Report, Severity, validate_member
from dvdesk.errors import KnownError
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.headers import HeaderGuess, find_header
from dvdesk.exchange.sheet_layout import SKIP_REASONS, RowKind, classify
from dvdesk.exchange.sheet_reader import Grid, read_grids
from dvdesk.exchange.sheet_rows import FIELD_LABELS, ReadRow, RowReader
from dvdesk.exchange.units_in_sheet import (
    UnitResolver,
    class_of,
    clean_group,
    generic_sheet_name,
    looks_like_unit,
    units_in_title,
)

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

Progress = Callable[[int, int], None]
_CODE = re.compile(r"^[A-Z]{2,6}[0-9]{1,4}$")  # "KDC01", "THPT2": a code, not a name
_KIND_WORDS = {UnitKind.RESIDENTIAL: "khu dân cư", UnitKind.SCHOOL: "trường THPT"}


class RowStatus(StrEnum):
    NEW = "new"  # sẽ thêm mới
    UPDATE = "update"  # đã có, sẽ cập nhật các thay đổi
    EXISTING = "existing"  # đã có, không thay đổi gì
    CONFLICT = "conflict"  # có thể đã có (cùng họ tên, ngày sinh, đơn vị): cần xác nhận
    INVALID = "invalid"  # có lỗi, bỏ qua


class UnitSource(StrEnum):
    COLUMN = "column"
    GROUP = "group"
    CHOICE = "choice"
    TITLE = "title"
    SHEET = "sheet"
    NONE = "none"


@dataclass(frozen=True)
class RowIssue:
    row: int  # row number as the spreadsheet shows it (1-based)
    column: str  # the header as written in the sheet; "" for the whole row
    message: str
    severity: Severity
    code: str = ""  # validation rule code, or read.* for a value that could not be read
    sheet: str = ""


@dataclass(frozen=True)
class Change:
    field: str  # registry name
    label: str
    old: str
    new: str


@dataclass
class ImportRow:
    row: int
    status: RowStatus
    member: Member | None
    issues: list[RowIssue] = field(default_factory=list)
    existing: str = ""  # who it matched (name), for EXISTING / UPDATE / CONFLICT
    sheet: str = ""
    changes: list[Change] = field(default_factory=list)
    matched_by: str = ""  # "uid", "cccd" or "probable"
    confirmed: bool = False  # a probable match the user confirmed
    unit: str = ""  # "Thôn Đông (KDC01)", "" when none
    unit_reason: str = ""  # why: column, group row, choice, title, sheet name
    report: Report | None = None  # the validation of `member` (once: the store reuses it)
    steps: list[StepRecord] = field(default_factory=list)  # admission columns to record
    member_changed: bool = False  # an UPDATE that changes member fields (not only steps)


@dataclass(frozen=True)
class UnitBlock:
    first: int  # rows as the sheet numbers them
    last: int
    count: int
    unit: str  # "Thôn Đông (KDC01)" or "" when none
    reason: str


@dataclass(frozen=True)
class SkippedRow:
    row: int
    reason: str
    text: str


@dataclass
class SheetPlan:
    sheet: str
    header: HeaderGuess | None
    columns: list[tuple[str, str]] = field(default_factory=list)  # header → meaning
    ignored: list[str] = field(default_factory=list)  # columns read into nothing
    notes: list[str] = field(default_factory=list)  # how the sheet was read
    blocks: list[UnitBlock] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    blank_rows: int = 0
    rows: list[ImportRow] = field(default_factory=list)
    refused: str = ""  # why the whole sheet is not read

    def lines(self, many: bool) -> list[str]:
        where = f"Trang “{self.sheet}”" if self.sheet else "Bảng tính"
        if self.header is None:
            return [f"{where}: bỏ qua — {self.refused}"]
        out = [f"{where}: dòng tiêu đề số {self.header.row + 1}."]
        out.append("  Cột nhận ra: " + "; ".join(f"“{h}” → {m}" for h, m in self.columns) + ".")
        if self.ignored:
            out.append("  Cột bỏ qua (không nhập): " + "; ".join(self.ignored) + ".")
        out.extend(f"  {n}" for n in self.notes)
        for b in self.blocks:
            rows = f"dòng {b.first}" if b.first == b.last else f"dòng {b.first}–{b.last}"
            unit = b.unit or "CHƯA RÕ ĐƠN VỊ"
            out.append(f"  Đơn vị: {rows} ({b.count} người) → {unit}, {b.reason}.")
        for s in self.skipped:
            text = f": “{s.text[:80]}”" if s.text else ""
            out.append(f"  Bỏ qua dòng {s.row} ({s.reason}){text}.")
        if self.blank_rows:
            out.append(f"  Bỏ qua {self.blank_rows} dòng trống.")
        return out


@dataclass
class ImportPlan:
    source: str
    sheets: list[SheetPlan]
    new_units: list[Unit]
    main: int = 0  # index of the sheet whose header a mapping step edits
    erase_empty: bool = False

    @property
    def sheet(self) -> str:
        return self.sheets[self.main].sheet

    @property
    def header(self) -> HeaderGuess:
        header = self.sheets[self.main].header
        assert header is not None
        return header

    @property
    def unknown_headers(self) -> list[str]:
        return self.sheets[self.main].ignored

    @property
    def rows(self) -> list[ImportRow]:
        return [r for s in self.sheets for r in s.rows]

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status is status)

    @property
    def to_add(self) -> list[Member]:
        return [r.member for r in self.rows if r.status is RowStatus.NEW and r.member]

    @property
    def to_update(self) -> list[Member]:
        return [r.member for r in self.rows if r.status is RowStatus.UPDATE and r.member]

    @property
    def units_to_add(self) -> list[Unit]:
        used = {m.unit_code for m in (*self.to_add, *self.to_update)}
        return [u for u in self.new_units if u.code in used]

    @property
    def issues(self) -> list[RowIssue]:
        return [i for r in self.rows for i in r.issues]

    @property
    def probable(self) -> list[ImportRow]:
        """Rows that may be someone already in the file: the user is asked."""
        return [r for r in self.rows if r.status is RowStatus.CONFLICT and r.member]

    def sheets_without_unit(self) -> list[str]:
        """Sheets with rows that no column, group row, title or name gives a unit: the
        window asks "unit for this sheet" (plan again with `sheet_units`)."""
        return [s.sheet for s in self.sheets if any(not b.unit for b in s.blocks)]

    def confirm(self, rows: Iterable[ImportRow] | None = None) -> None:
        """The user says these probable matches (all when None) are the same people."""
        for r in list(rows) if rows is not None else self.probable:
            if r.status is RowStatus.CONFLICT and r.member and r.matched_by == "probable":
                r.status, r.confirmed = RowStatus.UPDATE, True

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "new": self.count(RowStatus.NEW),
            "update": self.count(RowStatus.UPDATE),
            "existing": self.count(RowStatus.EXISTING),
            "conflict": self.count(RowStatus.CONFLICT),
            "invalid": self.count(RowStatus.INVALID),
            "warnings": sum(
                1
                for r in self.rows
                if r.status in (RowStatus.NEW, RowStatus.UPDATE)
                and any(i.severity is Severity.WARNING for i in r.issues)
            ),
            "new_units": len(self.units_to_add),
        }

    def lines(self, limit: int = 200) -> list[str]:
        """The preview a clerk reads (Vietnamese)."""
        many = sum(1 for s in self.sheets if s.header is not None) > 1
        out = [f"Tệp “{self.source}”: {len(self.sheets)} trang."]
        for s in self.sheets:
            out.extend(s.lines(many))

        def where(r: ImportRow | RowIssue) -> str:
            return f"Trang “{r.sheet}”, dòng {r.row}" if many else f"Dòng {r.row}"

        errors = [i for i in self.issues if i.severity is Severity.ERROR]
        for i in errors[:limit]:
            col = f", cột “{i.column}”" if i.column else ""
            out.append(f"{where(i)}{col}: {i.message}")
        if len(errors) > limit:
            out.append(f"… và {len(errors) - limit} lỗi khác.")
        # Warnings are many and alike (e.g. everyone past 30): one line per kind.
        groups: dict[str, list[RowIssue]] = {}
        for r in self.rows:
            if r.status not in (RowStatus.NEW, RowStatus.UPDATE, RowStatus.CONFLICT):
                continue
            for i in r.issues:
                if i.severity is Severity.WARNING:
                    groups.setdefault(i.code or i.message, []).append(i)
        for items in groups.values():
            rows = ", ".join(str(i.row) for i in items[:12])
            more = ", …" if len(items) > 12 else ""
            same = len({i.message for i in items}) == 1
            example = items[0].message if same else f"ví dụ: {items[0].message}"
            out.append(f"Cảnh báo ở {len(items)} dòng ({rows}{more}): {example}")
        shown = 0
        for r in self.rows:
            if r.status not in (RowStatus.UPDATE, RowStatus.CONFLICT) or not r.changes:
                continue
            if shown >= limit:
                out.append("… và các thay đổi khác.")
                break
            shown += 1
            diff = "; ".join(f"{c.label}: “{c.old}” → “{c.new}”" for c in r.changes)
            if r.status is RowStatus.CONFLICT:
                out.append(
                    f"{where(r)}: CÓ THỂ LÀ “{r.existing}” đã có (cùng họ tên, ngày sinh, "
                    f"đơn vị) — cần xác nhận; nếu đúng sẽ sửa: {diff}"
                )
            else:
                how = {"uid": "mã dvdesk", "cccd": "số CCCD", "probable": "đã xác nhận"}
                out.append(f"{where(r)}: cập nhật “{r.existing}” ({how[r.matched_by]}): {diff}")
        for u in self.units_to_add:
            out.append(f"Sẽ tạo đơn vị mới: {u.name} (mã {u.code}, {_KIND_WORDS[u.kind]}).")
        n = self.summary()
        erase = "" if self.erase_empty else " Ô để trống không xóa dữ liệu đã có."
        out.append(
            f"Tổng: {n['rows']} dòng dữ liệu — thêm mới {n['new']}, cập nhật {n['update']}, "
            f"không đổi {n['existing']}, cần xác nhận {n['conflict']}, có lỗi {n['invalid']} "
            f"({n['warnings']} dòng có cảnh báo).{erase}"
        )
        return out


def plan_import(
    store: Store,
    path: Path,
    *,
    default_unit: str | None = None,
    sheet_units: dict[str, str] | None = None,
    fields: dict[int, str] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    erase_empty: bool = False,
    confirm_probable: bool = False,
) -> ImportPlan:
    """Read and check every sheet; writes nothing.

    Args:
        default_unit: the user's unit (code or name) for rows whose sheet gives none
            by column or group row; a name not in the catalogue becomes a new unit.
        sheet_units: the same, per sheet name (the window's "unit for this sheet").
        fields: column → field, to override the recognised header of the main sheet.
        erase_empty: an empty cell erases the stored value on a re-import.
        confirm_probable: take every probable match as the same person.
    """
    grids = read_grids(path)
    resolver = UnitResolver(store.units.all())
    guesses = [find_header(g.rows) for g in grids]
    if not any(guesses):
        raise KnownError(
            f"Không tìm thấy dòng tiêu đề trong “{path.name}”: cần ít nhất cột “Họ và tên” và "
            "một cột khác như “Ngày sinh” trong 30 dòng đầu."
        )

    def score(i: int) -> tuple[int, int]:
        g = guesses[i]
        return (len(g.fields) if g else 0, -i)

    main = max(range(len(grids)), key=score)
    if fields is not None:
        g = guesses[main]
        assert g is not None
        guesses[main] = HeaderGuess(
            g.row, g.data_start, dict(fields), {c: g.labels.get(c, f"cột {c + 1}") for c in fields}
        )
    for choice in (default_unit, *(sheet_units or {}).values()):
        if choice and resolver.find(choice) is None and _CODE.match(choice.strip()):
            raise KnownError(
                f"Không có đơn vị mã “{choice}”. Để tạo đơn vị mới, hãy ghi tên của nó, "
                "ví dụ “Thôn Đông”."
            )
    planner = _Planner(store, resolver, today or date.today(), erase_empty)
    planner.many_sheets = sum(1 for g in guesses if g) > 1
    choices = {k: v for k, v in (sheet_units or {}).items() if v}
    total = sum(len(g.rows) - h.data_start for g, h in zip(grids, guesses, strict=True) if h)
    sheets = []
    for grid, guess in zip(grids, guesses, strict=True):
        choice = choices.get(grid.sheet, default_unit or "")
        sheets.append(planner.sheet(grid, guess, choice, progress, total))
    if progress:
        progress(total, total)
    plan = ImportPlan(path.name, sheets, resolver.new, main, erase_empty)
    if confirm_probable:
        plan.confirm()
    return plan


def _letter(column: int) -> str:
    out = ""
    n = column + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _display(f: registry.MemberField, value: Any) -> str:
    if value is None or value == "":
        return ""
    if f.type is FieldType.ENUM:
        return f.labels.get(value, str(value))
    if f.type is FieldType.FLAG:
        return "có" if value else "không"
    if isinstance(value, PartialDate):
        return value.vi()
    if isinstance(value, date):
        return cv.text(value)
    return str(value)


@dataclass
class _Context:
    """Where the rows of a sheet go when no column says."""

    choice: Unit | None = None
    title: str = ""  # the title line naming the unit
    title_unit: str = ""
    title_class: str = ""
    sheet_unit: str = ""
    group: Unit | None = None
    group_text: str = ""
    group_row: int = 0
    group_class: str = ""


class _Planner:
    def __init__(self, store: Store, resolver: UnitResolver, today: date, erase: bool) -> None:
        self.store, self.resolver, self.today, self.erase = store, resolver, today, erase
        self.by_uid: dict[str, str] = {}
        self.by_cccd: dict[str, str] = {}  # cccd → uid
        self.by_key: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self.names: dict[str, str] = {}
        for r in store.imports.commune_identities():
            self.by_uid[r["uid"]] = r["full_name"]
            if r["cccd"]:
                self.by_cccd[r["cccd"]] = r["uid"]
            key = (fold(r["full_name"]), r["dob"] or "", r["unit_code"])
            self.by_key[key] = (r["full_name"], r["cccd"], r["uid"])
        self.many_sheets = False  # several sheets with a header: sheet names name units
        self.stored_members: dict[str, Member] = {}
        self.lookups = 0
        self.sheet_cccd: dict[str, str] = {}
        # person → (sheet, row label, cccd, uid), for duplicates in the workbook
        self.sheet_keys: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
        self.done = 0

    # -- one sheet ---------------------------------------------------------

    def sheet(
        self,
        grid: Grid,
        guess: HeaderGuess | None,
        choice: str,
        progress: Progress | None,
        total: int,
    ) -> SheetPlan:
        plan = SheetPlan(grid.sheet, guess)
        if guess is None:
            filled = any(any(v not in (None, "") for v in r) for r in grid.rows)
            plan.refused = (
                "không có dòng tiêu đề có cột “Họ và tên” và một cột khác."
                if filled
                else "trang trống."
            )
            return plan
        name_columns = self._name_columns(grid, guess, plan)
        reader = RowReader(guess, name_columns)
        header_row = grid.rows[guess.row]
        plan.columns = [
            (guess.labels[c], FIELD_LABELS.get(f, f)) for c, f in sorted(guess.fields.items())
        ]
        if reader.lone_mark:
            mark, other = reader.lone_mark
            plan.notes.append(
                f"Cột “{reader.label(mark)}” đánh dấu "
                f"{'nữ' if mark == 'female' else 'nam'}: dòng không đánh dấu là "
                f"{'nam' if other.value == 'nam' else 'nữ'}."
            )
        if grid.hidden:
            plan.notes.append("Trang này bị ẩn trong bảng tính: vẫn được đọc.")
        ctx = self._context(grid, guess, choice, plan)
        used = set(guess.fields) | set(name_columns)
        width = max((len(r) for r in grid.rows), default=0)
        unknown = [c for c in range(width) if c not in used]
        filled_unknown: dict[int, int] = {}
        excluded = frozenset(name_columns) | frozenset(
            c for c, f in guess.fields.items() if f in ("full_name", "name_first", "name_last")
        )
        in_signature = False
        blocks: list[list[Any]] = []  # [first, last, count, unit, reason]
        for index in range(guess.data_start, len(grid.rows)):
            cells = grid.rows[index]
            self.done += 1
            if progress and self.done % 500 == 0:
                progress(self.done, total)
            name = reader.name(cells)
            stt = reader.stt(cells)
            sense = classify(
                cells,
                name=name,
                stt=stt,
                in_signature=in_signature,
                merged_across=index in grid.merged_rows,
                name_columns=excluded,
            )
            number = index + 1
            if sense.kind is RowKind.BLANK:
                plan.blank_rows += 1
                continue
            if sense.kind is RowKind.GROUP:
                self._group(ctx, sense.text, sense.group_class, number)
                in_signature = False
                continue
            if sense.kind is not RowKind.DATA:
                in_signature = in_signature or sense.kind is RowKind.SIGNATURE
                plan.skipped.append(SkippedRow(number, SKIP_REASONS[sense.kind], sense.text))
                continue
            for c in unknown:
                if c < len(cells) and cells[c] not in (None, ""):
                    filled_unknown[c] = filled_unknown.get(c, 0) + 1
            row = self._row(number, cells, name, reader, ctx, grid, index in grid.hidden_rows)
            if isinstance(row, SkippedRow):
                plan.skipped.append(row)
                continue
            plan.rows.append(row)
            unit, reason = row.unit, row.unit_reason
            if blocks and blocks[-1][3] == unit and blocks[-1][4] == reason:
                blocks[-1][1], blocks[-1][2] = number, blocks[-1][2] + 1
            else:
                blocks.append([number, number, 1, unit, reason])
        plan.blocks = [UnitBlock(*b) for b in blocks]
        empty: list[str] = []
        for c in unknown:
            head = cv.text(header_row[c]) if c < len(header_row) else ""
            if head and c in filled_unknown:
                plan.ignored.append(
                    f"“{head}” (cột {_letter(c)}, {filled_unknown[c]} ô có dữ liệu)"
                )
            elif head:
                empty.append(f"“{head}”")
            elif c in filled_unknown:
                plan.ignored.append(
                    f"cột {_letter(c)} không có tiêu đề ({filled_unknown[c]} ô có dữ liệu)"
                )
        if empty:
            plan.ignored.append(f"{len(empty)} cột không nhận ra, đều trống: {', '.join(empty)}")
        return plan

    def _name_columns(self, grid: Grid, guess: HeaderGuess, plan: SheetPlan) -> tuple[int, ...]:
        """The columns of a "Họ và tên" written over two columns (merged, or an empty header)."""
        c = guess.column_of("full_name")
        if c is None:
            return ()
        first, last = grid.span(guess.row, c)
        columns = tuple(range(first, last + 1))
        if len(columns) == 1:
            nxt = c + 1
            head = grid.rows[guess.row]
            if nxt in guess.fields or (nxt < len(head) and cv.text(head[nxt])):
                return ()
            rows = grid.rows[guess.data_start : guess.data_start + 200]
            both = sum(
                1
                for r in rows
                if nxt < len(r)
                and cv.text(r[c])
                and cv.text(r[nxt])
                and cv.text(r[nxt]) != cv.text(r[c])
            )
            named = sum(1 for r in rows if c < len(r) and cv.text(r[c]))
            if not named or both * 2 < named:
                return ()
            columns = (c, nxt)
        if any(x in guess.fields and x != c for x in columns):
            return ()
        letters = "–".join(_letter(x) for x in (columns[0], columns[-1]))
        plan.notes.append(
            f"“{guess.labels[c]}” gồm {len(columns)} cột ({letters}): đã ghép họ, tên đệm và tên."
        )
        return columns

    def _context(self, grid: Grid, guess: HeaderGuess, choice: str, plan: SheetPlan) -> _Context:
        ctx = _Context()
        if choice:
            found = self.resolver.find(choice)
            ctx.choice = found or self.resolver.resolve(choice)
        for r in grid.rows[: guess.row]:
            for text in dict.fromkeys(cv.text(v) for v in r if cv.text(v)):
                for named in units_in_title(text):
                    if class_of(named):
                        ctx.title_class = ctx.title_class or class_of(named)
                    elif not ctx.title_unit:
                        ctx.title_unit, ctx.title = named, text
                    ctx.title = ctx.title or text
        sheet = grid.sheet.strip()
        if sheet and class_of(sheet):
            ctx.title_class = ctx.title_class or class_of(sheet)
        elif sheet and (
            self.resolver.find(sheet) is not None
            or looks_like_unit(sheet)
            or (self.many_sheets and not generic_sheet_name(sheet))
        ):
            # One sheet per thôn: "Đông", "Nam" name their units when the workbook has several.
            ctx.sheet_unit = sheet
        return ctx

    def _group(self, ctx: _Context, text: str, group_class: str, number: int) -> None:
        ctx.group_text, ctx.group_row = text, number
        if group_class:
            ctx.group_class = group_class
            if ctx.group is not None and ctx.group.kind is not UnitKind.SCHOOL:
                ctx.group = None
            return
        ctx.group = self.resolver.resolve(clean_group(text))
        ctx.group_class = ""

    def _school(self, ctx: _Context) -> tuple[Unit | None, str]:
        """The school of a class named by a group row or the title."""
        if ctx.group is not None and ctx.group.kind is UnitKind.SCHOOL:
            return ctx.group, f"dòng nhóm “{ctx.group_text}” (dòng {ctx.group_row})"
        if ctx.choice is not None and ctx.choice.kind is UnitKind.SCHOOL:
            return ctx.choice, "đơn vị đã chọn"
        for text, why in ((ctx.title_unit, "tiêu đề"), (ctx.sheet_unit, "tên trang")):
            if text:
                unit = self.resolver.resolve(text)
                if unit.kind is UnitKind.SCHOOL:
                    return unit, f"{why} “{ctx.title if why == 'tiêu đề' else text}”"
        schools = [u for u in self.resolver.codes.values() if u.kind is UnitKind.SCHOOL]
        if len(schools) == 1:
            return schools[0], "trường duy nhất trong danh mục"
        return None, "chưa rõ trường"

    def _unit(
        self, ctx: _Context, read: ReadRow, reader: RowReader
    ) -> tuple[Unit | None, str, str]:
        """(unit, why, class from a group or title) of one row."""
        klass = ctx.group_class or (ctx.title_class if ctx.group is None else "")
        if read.unit_code or read.unit:
            column = reader.label("unit_code" if read.unit_code else "unit")
            return self.resolver.resolve(read.unit, read.unit_code), f"theo cột “{column}”", klass
        if ctx.group_class:
            school, why = self._school(ctx)
            return school, f"lớp {ctx.group_class} (dòng {ctx.group_row}), {why}", klass
        if ctx.group is not None:
            return ctx.group, f"theo dòng nhóm “{ctx.group_text}” (dòng {ctx.group_row})", klass
        if ctx.choice is not None:
            return ctx.choice, "theo đơn vị đã chọn", klass
        if ctx.title_class:
            school, why = self._school(ctx)
            return school, f"lớp {ctx.title_class} trong tiêu đề, {why}", klass
        if ctx.title_unit:
            return self.resolver.resolve(ctx.title_unit), f"theo tiêu đề “{ctx.title}”", klass
        if ctx.sheet_unit:
            unit = self.resolver.resolve(ctx.sheet_unit)
            return unit, f"theo tên trang “{ctx.sheet_unit}”", klass
        return None, "không có cột, dòng nhóm, tiêu đề hay tên trang nào cho biết", klass

    # -- one row -----------------------------------------------------------

    def _row(
        self,
        number: int,
        cells: list[object],
        name: str,
        reader: RowReader,
        ctx: _Context,
        grid: Grid,
        hidden: bool,
    ) -> ImportRow | SkippedRow:
        read = reader.read(cells, name)
        sheet = grid.sheet
        issues = [
            RowIssue(number, col, msg, sev, code, sheet) for col, msg, sev, code in read.problems
        ]
        if hidden:
            issues.append(
                RowIssue(
                    number,
                    "",
                    "Dòng này bị ẩn trong bảng tính: kiểm tra người này còn sinh hoạt ở đây không.",
                    Severity.WARNING,
                    "read.hidden_row",
                    sheet,
                )
            )
        unit, reason, klass = self._unit(ctx, read, reader)
        if klass and "school_class" not in read.present:
            read.values["school_class"] = klass
            read.present.add("school_class")
        strong = bool(read.unit_code or read.unit) or ctx.group is not None or bool(ctx.group_class)
        strong = strong or ctx.choice is not None
        member = read.member(unit.code if unit else "", uid=read.uid or str(uuid.uuid4()))
        m = member.normalized()
        unit_label = f"{unit.name} ({unit.code})" if unit else ""
        key = (fold(m.full_name), m.dob.iso() if m.dob else "", m.unit_code)
        # The same person twice in the workbook: in another sheet it is the same listing
        # (a summary sheet, dvdesk's own step sheet); in one sheet it is an error.
        earlier = self._same(key, m.cccd, read.uid, self.sheet_keys) if m.full_name else None
        if earlier and earlier[0] != sheet:
            why = f"cùng người ở trang “{earlier[0]}” dòng {earlier[1]}"
            return SkippedRow(number, why, m.full_name)
        errors = any(i.severity is Severity.ERROR for i in issues)
        target, how, existing = self._match(m, read.uid, key)
        row = ImportRow(number, RowStatus.NEW, m, issues, sheet=sheet)
        row.unit, row.unit_reason = unit_label, reason
        if target and not errors:
            if how == "cccd-other":
                issues.append(
                    RowIssue(
                        number,
                        reader.label("cccd"),
                        f"Số CCCD {m.cccd} đã có ở đoàn viên {existing}, khác mã dvdesk của dòng.",
                        Severity.ERROR,
                        "cccd.duplicate",
                        sheet,
                    )
                )
                row.status = RowStatus.INVALID
                return row
            self.sheet_keys[key] = (sheet, str(number), m.cccd, read.uid)
            return self._update(row, read, reader, target, how, existing, strong)
        if earlier:
            issues.append(
                RowIssue(
                    number,
                    reader.label("full_name"),
                    f"Trùng họ tên, ngày sinh và đơn vị với dòng {earlier[1]}.",
                    Severity.ERROR,
                    "sheet.duplicate",
                    sheet,
                )
            )
        self._validate(row, reader, m, own_uid=m.uid)
        row.steps = list(read.steps.values())
        if row.status is RowStatus.NEW:
            if m.cccd:
                self.sheet_cccd[m.cccd] = f"{m.full_name} (dòng {number})"
            self.sheet_keys[key] = (sheet, str(number), m.cccd, read.uid)
        return row

    @staticmethod
    def _same(
        key: tuple[str, str, str], cccd: str, uid: str, seen: dict[tuple[str, str, str], Any]
    ) -> Any:
        found = seen.get(key)
        if found is None:
            return None
        other_cccd, other_uid = found[-2], found[-1]
        if (cccd and other_cccd and cccd != other_cccd) or (uid and other_uid and uid != other_uid):
            return None
        return found

    def _match(self, m: Member, uid: str, key: tuple[str, str, str]) -> tuple[str, str, str]:
        """(stored uid, how, stored name) of the person this row is, or ("", "", "")."""
        if uid and uid in self.by_uid:
            return uid, "uid", self.by_uid[uid]
        if m.cccd and m.cccd in self.by_cccd:
            owner = self.by_cccd[m.cccd]
            if uid and uid != owner:
                return owner, "cccd-other", self.by_uid.get(owner, "")
            return owner, "cccd", self.by_uid.get(owner, "")
        found = self.by_key.get(key)
        if found is not None and key[0]:
            name, cccd, stored_uid = found
            if not (m.cccd and cccd and m.cccd != cccd) and not (uid and uid != stored_uid):
                return stored_uid, "probable", name
        return "", "", ""

    def _update(
        self,
        row: ImportRow,
        read: ReadRow,
        reader: RowReader,
        target: str,
        how: str,
        existing: str,
        strong_unit: bool,
    ) -> ImportRow:
        stored = self._stored(target)
        assert row.member is not None
        sheet_member = row.member
        values: dict[str, Any] = {}
        changes: list[Change] = []
        for f in registry.MEMBER_FIELDS:
            if f.name == "uid" or not hasattr(stored, f.name):
                continue
            old = getattr(stored, f.name)
            if f.name == "unit_code":
                new = sheet_member.unit_code
                if not (strong_unit and new) or new == old:
                    continue
            elif f.name in read.present:
                new = getattr(sheet_member, f.name)
                if f.name == "full_name" and fold(new) == fold(old) and new == fold(new).title():
                    continue  # "NGUYEN VAN AN" typed without marks does not undo "Nguyễn Văn An"
            elif self.erase and f.name in read.empty and f.name != "full_name":
                new = f.default
            else:
                continue
            if new != old:
                values[f.name] = new
                if f.type is FieldType.UNIT:
                    shown = [self._unit_label(code) for code in (old, new)]
                else:
                    shown = [_display(f, old), _display(f, new)]
                changes.append(Change(f.name, f.label, shown[0], shown[1]))
        row.existing, row.matched_by = existing, how
        row.member_changed = bool(changes)
        if read.steps:
            old_steps = self.store.steps.of(target)
            for code, sheet_step in read.steps.items():
                old_step = old_steps.get(code)
                new_step = _merged_step(old_step, sheet_step)
                if new_step != old_step:
                    row.steps.append(new_step)
                    changes.extend(_step_changes(old_step, new_step))
        if not changes:
            row.status, row.member = RowStatus.EXISTING, stored
            return row
        merged = replace(stored, **values).normalized() if values else stored
        row.member, row.changes = merged, changes
        row.status = RowStatus.UPDATE if how != "probable" else RowStatus.CONFLICT
        self._validate(row, reader, merged, own_uid=stored.uid)
        if row.status is RowStatus.INVALID:
            return row
        if merged.cccd:
            self.sheet_cccd[merged.cccd] = f"{merged.full_name} (dòng {row.row})"
        return row

    def _unit_label(self, code: str) -> str:
        unit = self.resolver.codes.get(code)
        return f"{unit.name} ({code})" if unit else code

    def _stored(self, uid: str) -> Member:
        """A stored member; after the first few, all of them are read at once."""
        if uid not in self.stored_members:
            self.lookups += 1
            if self.lookups == 200:
                self.stored_members.update((m.uid, m) for m in self.store.packages.members(None))
            if uid not in self.stored_members:
                self.stored_members[uid] = self.store.members.get(uid)
        return self.stored_members[uid]

    def _validate(self, row: ImportRow, reader: RowReader, m: Member, own_uid: str) -> None:
        def owner(cccd: str, _uid: str) -> str | None:
            if cccd in self.sheet_cccd:
                return self.sheet_cccd[cccd]
            holder = self.by_cccd.get(cccd)
            if holder and holder != own_uid:
                return self.by_uid.get(holder)
            return None

        report = validate_member(
            m,
            today=self.today,
            unit_kinds=self.resolver.kind_of,
            cccd_owner=owner,
            normalized=True,
        )
        row.report = report
        unread = {i.column for i in row.issues if i.code.startswith("read.")}
        for i in report.issues:
            column = reader.label_for_member_field(i.field)
            # "No date of birth" says nothing new when the date was there but unreadable.
            if not (i.code == "dob.missing" and column in unread):
                row.issues.append(
                    RowIssue(row.row, column, i.message, i.severity, i.code, row.sheet)
                )
        if any(i.severity is Severity.ERROR for i in row.issues):
            row.status = RowStatus.INVALID


_STEP_LABELS = {
    ("course", "done_on"): "Ngày học lớp nhận thức về Đảng",
    ("course", "doc_number"): "Số giấy chứng nhận",
    ("introduction", "note"): "Người giới thiệu",
}


def _merged_step(old: StepRecord | None, sheet: StepRecord) -> StepRecord:
    """What the sheet's admission columns make of a recorded step (never undoing a done one)."""
    if old is None:
        return sheet
    if sheet.code == "introduction":
        return replace(old, note=sheet.note)
    return replace(old, state=StepState.DONE, done_on=sheet.done_on, doc_number=sheet.doc_number)


def _step_changes(old: StepRecord | None, new: StepRecord) -> list[Change]:
    out = []
    for (code, attribute), label in _STEP_LABELS.items():
        if code != new.code:
            continue
        before = getattr(old, attribute) if old else None
        after = getattr(new, attribute)
        if before != after:
            show = [cv.text(v) if v else "" for v in (before, after)]
            out.append(Change(f"{code}.{attribute}", label, show[0], show[1]))
    return out


def apply_import(
    store: Store, plan: ImportPlan, *, today: date | None = None, progress: Progress | None = None
) -> tuple[int, Path | None]:
    """Write the plan's new units, new members and updates in ONE transaction, after a
    backup; returns (members added or updated, backup path)."""
    from dvdesk.store import backup

    members, updates = plan.to_add, plan.to_update
    if not members and not updates:
        return 0, None
    saved = backup.make_backup(store, reason="truoc-nhap") if store.path else None
    with store.transaction():
        checked = {
            r.member.uid: r.report
            for r in plan.rows
            if r.status is RowStatus.NEW and r.member and r.report is not None
        }
        count = store.imports.add_units_and_members(
            plan.units_to_add, members, today=today, progress=progress, checked=checked
        ).count
        for r in plan.rows:
            if r.status is RowStatus.UPDATE and r.member and r.member_changed:
                store.members.update(r.member, today)
        steps = {
            r.member.uid: r.steps
            for r in plan.rows
            if r.status in (RowStatus.NEW, RowStatus.UPDATE) and r.member and r.steps
        }
        if steps:
            store.steps.record_many(steps)
    return count + len(updates), saved
