"""Importing a member list from a spreadsheet (nhập danh sách từ Excel/CSV).

Two steps, so a window can show the preview (and later let the clerk fix the
column mapping) before anything is written:

- `plan_import` reads the sheet, finds the header, reads every row and runs
  the SAME validation as entry (validate_member); it writes nothing and
  returns an `ImportPlan`: each row with its status and problems (row number,
  column, message), the units to create, and a summary.
- `apply_import` writes the plan's valid new rows and new units in one
  transaction after a backup; invalid rows are skipped and were reported.

Rows already in the file (same CCCD; else same folded name, date of birth and
unit; or the same dvdesk code) are not added again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.names import fold
from dvdesk.domain.validation import Severity, validate_member
from dvdesk.errors import KnownError
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.headers import HeaderGuess, find_header
from dvdesk.exchange.sheet_reader import Grid, read_grid
from dvdesk.exchange.sheet_rows import FIELD_LABELS, RowReader
from dvdesk.exchange.units_in_sheet import UnitResolver, looks_like_unit

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

Progress = Callable[[int, int], None]
_KIND_WORDS = {UnitKind.RESIDENTIAL: "khu dân cư", UnitKind.SCHOOL: "trường THPT"}


class RowStatus(StrEnum):
    NEW = "new"  # sẽ thêm mới
    EXISTING = "existing"  # đã có trong dữ liệu, bỏ qua
    INVALID = "invalid"  # có lỗi, bỏ qua


@dataclass(frozen=True)
class RowIssue:
    row: int  # row number as the spreadsheet shows it (1-based)
    column: str  # the header as written in the sheet; "" for the whole row
    message: str
    severity: Severity
    code: str = ""  # validation rule code, or read.* for a value that could not be read


@dataclass
class ImportRow:
    row: int
    status: RowStatus
    member: Member | None
    issues: list[RowIssue] = field(default_factory=list)
    existing: str = ""  # who it matched, for EXISTING


@dataclass
class ImportPlan:
    source: str
    sheet: str
    header: HeaderGuess
    rows: list[ImportRow]
    new_units: list[Unit]
    unknown_headers: list[str]

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status is status)

    @property
    def to_add(self) -> list[Member]:
        return [r.member for r in self.rows if r.status is RowStatus.NEW and r.member]

    @property
    def units_to_add(self) -> list[Unit]:
        used = {m.unit_code for m in self.to_add}
        return [u for u in self.new_units if u.code in used]

    @property
    def issues(self) -> list[RowIssue]:
        return [i for r in self.rows for i in r.issues]

    def summary(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "new": self.count(RowStatus.NEW),
            "existing": self.count(RowStatus.EXISTING),
            "invalid": self.count(RowStatus.INVALID),
            "warnings": sum(
                1
                for r in self.rows
                if r.status is RowStatus.NEW
                and any(i.severity is Severity.WARNING for i in r.issues)
            ),
            "new_units": len(self.units_to_add),
        }

    def lines(self, limit: int = 200) -> list[str]:
        """The preview a clerk reads (Vietnamese)."""
        where = f", trang “{self.sheet}”" if self.sheet else ""
        out = [f"Tệp “{self.source}”{where}: dòng tiêu đề số {self.header.row + 1}."]
        cols = [
            f"“{self.header.labels[c]}” → {FIELD_LABELS[f]}"
            for c, f in sorted(self.header.fields.items())
        ]
        out.append("Cột nhận ra: " + "; ".join(cols) + ".")
        if self.unknown_headers:
            out.append(
                "Cột không nhận ra (bỏ qua): "
                + ", ".join(f"“{h}”" for h in self.unknown_headers)
                + "."
            )
        errors = [i for i in self.issues if i.severity is Severity.ERROR]
        for i in errors[:limit]:
            col = f", cột “{i.column}”" if i.column else ""
            out.append(f"Dòng {i.row}{col}: {i.message}")
        if len(errors) > limit:
            out.append(f"… và {len(errors) - limit} lỗi khác.")
        # Warnings are many and alike (e.g. everyone past 30): one line per kind.
        # Only rows that will be added: an invalid row's warnings are noise beside its errors.
        groups: dict[str, list[RowIssue]] = {}
        for r in self.rows:
            for i in r.issues:
                if r.status is RowStatus.NEW and i.severity is Severity.WARNING:
                    groups.setdefault(i.code or i.message, []).append(i)
        for items in groups.values():
            rows = ", ".join(str(i.row) for i in items[:12])
            more = ", …" if len(items) > 12 else ""
            same = len({i.message for i in items}) == 1
            example = items[0].message if same else f"ví dụ: {items[0].message}"
            out.append(f"Cảnh báo ở {len(items)} dòng ({rows}{more}): {example}")
        for u in self.units_to_add:
            out.append(f"Sẽ tạo đơn vị mới: {u.name} (mã {u.code}, {_KIND_WORDS[u.kind]}).")
        s = self.summary()
        out.append(
            f"Tổng: {s['rows']} dòng dữ liệu — thêm mới {s['new']} "
            f"({s['warnings']} dòng có cảnh báo), đã có sẵn {s['existing']} (bỏ qua), "
            f"có lỗi {s['invalid']}."
        )
        return out


def plan_import(
    store: Store,
    path: Path,
    *,
    default_unit: str | None = None,
    fields: dict[int, str] | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Read and check a sheet; writes nothing.

    Args:
        default_unit: unit code for rows that name none.
        fields: column → field, to override the recognised header (a mapping step).
    """
    grid = read_grid(path)
    guess = find_header(grid.rows)
    if guess is None:
        raise KnownError(
            f"Không tìm thấy dòng tiêu đề trong “{path.name}”: cần ít nhất cột “Họ và tên” và "
            "một cột khác như “Ngày sinh” trong 30 dòng đầu."
        )
    if fields is not None:
        guess = HeaderGuess(
            guess.row,
            guess.data_start,
            dict(fields),
            {c: guess.labels.get(c, f"cột {c + 1}") for c in fields},
        )
    resolver = UnitResolver(store.units.all())
    if default_unit and resolver.find(default_unit) is None:
        raise KnownError(f"Không có đơn vị mã “{default_unit}”.")
    header_row = grid.rows[guess.row]
    unknown = [cv.text(v) for c, v in enumerate(header_row) if cv.text(v) and c not in guess.fields]
    planner = _Planner(store, grid, guess, resolver, default_unit, today or date.today())
    rows = planner.run(progress)
    return ImportPlan(path.name, grid.sheet, guess, rows, resolver.new, unknown)


class _Planner:
    def __init__(
        self,
        store: Store,
        grid: Grid,
        guess: HeaderGuess,
        resolver: UnitResolver,
        default_unit: str | None,
        today: date,
    ) -> None:
        self.grid, self.guess, self.resolver, self.today = grid, guess, resolver, today
        self.default_unit = resolver.find(default_unit).code if default_unit else ""
        self.by_uid: dict[str, str] = {}
        self.by_cccd: dict[str, str] = {}
        self.by_key: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        for r in store.imports.commune_identities():
            self.by_uid[r["uid"]] = r["full_name"]
            if r["cccd"]:
                self.by_cccd[r["cccd"]] = r["full_name"]
            key = (fold(r["full_name"]), r["dob"] or "", r["unit_code"])
            self.by_key[key] = (r["full_name"], r["cccd"], r["uid"])
        self.sheet_cccd: dict[str, str] = {}
        self.sheet_keys: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        self.reader = RowReader(guess)

    def run(self, progress: Progress | None) -> list[ImportRow]:
        out: list[ImportRow] = []
        section = ""
        rows = self.grid.rows
        total = len(rows) - self.guess.data_start
        for index in range(self.guess.data_start, len(rows)):
            cells = rows[index]
            values = [cv.text(v) for v in cells]
            filled = {v for v in values if v}
            if progress and (index - self.guess.data_start) % 500 == 0:
                progress(index - self.guess.data_start, total)
            if not filled:
                continue
            if len(filled) == 1 and (index in self.grid.merged_rows or not self.reader.name(cells)):
                # A group title ("Chi đoàn Thôn Đông") or a footer line.
                text = filled.pop()
                if looks_like_unit(text):
                    section = text
                continue
            if not self.reader.name(cells) and not self.reader.stt(cells):
                continue  # signatures and notes under the list
            out.append(self._row(index + 1, cells, section))
        if progress:
            progress(total, total)
        return out

    @staticmethod
    def _same_person(
        key: tuple[str, str, str],
        cccd: str,
        uid: str,
        seen: dict[tuple[str, str, str], tuple[str, str, str]],
    ) -> str | None:
        """Who (name or row) has the same name, birth date and unit, unless a CCCD or a
        dvdesk code tells the two apart."""
        found = seen.get(key)
        if found is None:
            return None
        label, other_cccd, other_uid = found
        if (cccd and other_cccd and cccd != other_cccd) or (uid and other_uid and uid != other_uid):
            return None
        return label

    def _row(self, number: int, cells: list[object], section: str) -> ImportRow:
        read = self.reader.read(cells)
        issues = [RowIssue(number, col, msg, sev, code) for col, msg, sev, code in read.problems]
        unit_code = self.default_unit
        if read.unit_code or read.unit or section:
            unit_code = self.resolver.resolve(read.unit or section, read.unit_code).code
        member = read.member(unit_code or "", uid=read.uid or str(uuid.uuid4()))
        m = member.normalized()
        key = (fold(m.full_name), m.dob.iso() if m.dob else "", m.unit_code)
        existing = (
            (self.by_uid.get(read.uid) if read.uid else None)
            or (self.by_cccd.get(m.cccd) if m.cccd else None)
            or self._same_person(key, m.cccd, read.uid, self.by_key)
        )
        if existing and not any(i.severity is Severity.ERROR for i in issues):
            return ImportRow(number, RowStatus.EXISTING, m, issues, existing)
        if m.full_name and (earlier := self._same_person(key, m.cccd, read.uid, self.sheet_keys)):
            issues.append(
                RowIssue(
                    number,
                    self.reader.label("full_name"),
                    f"Trùng họ tên, ngày sinh và đơn vị với dòng {earlier}.",
                    Severity.ERROR,
                    "sheet.duplicate",
                )
            )
        report = validate_member(
            m,
            today=self.today,
            unit_kinds=self.resolver.kinds(),
            cccd_owner=lambda c, _uid: self.sheet_cccd.get(c),
        )
        unread = {i.column for i in issues if i.code.startswith("read.")}
        for i in report.issues:
            column = self.reader.label_for_member_field(i.field)
            # "No date of birth" says nothing new when the date was there but unreadable.
            if not (i.code == "dob.missing" and column in unread):
                issues.append(RowIssue(number, column, i.message, i.severity, i.code))
        if any(i.severity is Severity.ERROR for i in issues):
            return ImportRow(number, RowStatus.INVALID, m, issues)
        if m.cccd:
            self.sheet_cccd[m.cccd] = f"{m.full_name} (dòng {number})"
        self.sheet_keys[key] = (str(number), m.cccd, read.uid)
        return ImportRow(number, RowStatus.NEW, m, issues)


def apply_import(
    store: Store, plan: ImportPlan, *, today: date | None = None, progress: Progress | None = None
) -> tuple[int, Path | None]:
    """Write the plan's new rows and units in one transaction; (count, backup path)."""
    from dvdesk.store import backup

    members = plan.to_add
    if not members:
        return 0, None
    saved = backup.make_backup(store, reason="truoc-nhap") if store.path else None
    count = store.imports.add_units_and_members(
        plan.units_to_add, members, today=today, progress=progress
    ).count
    return count, saved
