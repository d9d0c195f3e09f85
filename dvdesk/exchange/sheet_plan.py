"""What an import will do, for the preview and the write (kế hoạch nhập).

`ImportPlan` holds, per sheet (`SheetPlan`), the header found, each column's
meaning, the columns read into nothing, the unit of each block of rows and
why, the rows skipped and why; per row (`ImportRow`) its status — new,
update, unchanged, probable match to confirm, invalid — its problems and, for
an update, every change as field: old → new. `lines()` is the preview text
the CLI prints and the window shows; the window reads the same objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.procedure import StepRecord
from dvdesk.domain.validation import Report, Severity
from dvdesk.exchange.headers import HeaderGuess

_KIND_WORDS = {UnitKind.RESIDENTIAL: "khu dân cư", UnitKind.SCHOOL: "trường THPT"}


class RowStatus(StrEnum):
    NEW = "new"  # sẽ thêm mới
    UPDATE = "update"  # đã có, sẽ cập nhật các thay đổi
    EXISTING = "existing"  # đã có, không thay đổi gì
    CONFLICT = "conflict"  # có thể đã có (cùng họ tên, ngày sinh, đơn vị): cần xác nhận
    INVALID = "invalid"  # có lỗi, bỏ qua


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
    hidden: bool = False  # the sheet is hidden in the workbook (it is read all the same)

    def lines(self) -> list[str]:
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
    sheet_lines: list[str] = field(default_factory=list)  # every sheet and its state
    # every sheet of the workbook as (name, state label, read or not): the window's list
    workbook: list[tuple[str, str, bool]] = field(default_factory=list)

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
        out += self.sheet_lines
        for s in self.sheets:
            out.extend(s.lines())

        def where(r: ImportRow | RowIssue) -> str:
            return f"Trang “{r.sheet}”, dòng {r.row}" if many else f"Dòng {r.row}"

        errors = [i for i in self.issues if i.severity is Severity.ERROR]
        # An error names the person too: a row number alone is lost once the sheet is edited.
        names = {(r.sheet, r.row): r.member.full_name for r in self.rows if r.member}
        for i in errors[:limit]:
            col = f", cột “{i.column}”" if i.column else ""
            who = names.get((i.sheet, i.row), "")
            out.append(f"{where(i)}{f' ({who})' if who else ''}{col}: {i.message}")
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
