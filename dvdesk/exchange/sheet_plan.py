"""What an import will do, for the preview and the write (kế hoạch nhập).

`ImportPlan` holds, per sheet (`SheetPlan`), the header found, each column's
meaning, the columns read into nothing, the unit of each block of rows and
why, the rows skipped and why; per row (`ImportRow`) its status — new,
update, unchanged, probable match to confirm, invalid — its problems and, for
an update, every change as field: old → new. `lines()` is the preview text
the CLI prints and the window shows; the window reads the same objects.

Memory stays bounded while a large sheet streams through: a new row with no
error (most of a sheet) is kept as one plain record in a `RowSpill` on disk,
with the stored columns the write inserts as they are; the rows the user must
look at (updates, probable matches, invalid rows, the unchanged) stay objects.
What the preview prints — counts, warnings by kind, errors, changes — is
gathered as rows arrive. `rows` still gives every row as an `ImportRow`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from heapq import merge
from typing import Any

from dvdesk.domain.member import Member, Unit, UnitKind
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.domain.validation import Issue, Report, Severity
from dvdesk.exchange.headers import HeaderGuess
from dvdesk.exchange.plan_spill import RowSpill
from dvdesk.store.rows import MEMBER_ROW_COLUMNS, member_from_row, member_row_values

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


# A spilled new row: (seq, row number, unit code, stored columns, issues, unit label, unit
# reason, steps, validation issues, warning codes) — see `_record` / `_from_record`.
Record = tuple[Any, ...]
_SHOWN = (RowStatus.NEW, RowStatus.UPDATE, RowStatus.CONFLICT)  # rows whose warnings are shown
_EXAMPLES = 12  # rows named for each kind of warning


def _record(seq: int, r: ImportRow) -> Record:
    m = r.member
    assert m is not None and r.report is not None
    return (
        seq,
        r.row,
        m.unit_code,
        member_row_values(m),
        tuple((i.column, i.message, i.severity.value, i.code) for i in r.issues),
        r.unit,
        r.unit_reason,
        tuple(
            (
                s.code,
                s.state.value,
                s.done_on.isoformat() if s.done_on else None,
                s.doc_number,
                s.note,
            )
            for s in r.steps
        ),
        tuple((i.code, i.field, i.severity.value, i.message) for i in r.report.issues),
        " ".join(i.code for i in r.report.warnings),
    )


def _from_record(rec: Record, sheet: str) -> ImportRow:
    _, number, unit_code, values, issues, unit, reason, steps, report, _ = rec
    member = member_from_row(dict(zip(MEMBER_ROW_COLUMNS, values, strict=True)), unit_code)
    row = ImportRow(
        number,
        RowStatus.NEW,
        member,
        [RowIssue(number, c, msg, Severity(sev), code, sheet) for c, msg, sev, code in issues],
        sheet=sheet,
        unit=unit,
        unit_reason=reason,
        report=Report(tuple(Issue(c, f, Severity(sev), msg) for c, f, sev, msg in report)),
        steps=[
            StepRecord(c, StepState(st), date.fromisoformat(d) if d else None, doc, note)
            for c, st, d, doc, note in steps
        ],
    )
    return row


@dataclass
class _Warnings:
    """One kind of warning over the shown rows: how many, the first rows, an example."""

    count: int = 0
    rows: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # the first two distinct

    def add(self, row: int, message: str) -> None:
        self.count += 1
        if len(self.rows) < _EXAMPLES:
            self.rows.append(row)
        if len(self.messages) < 2 and message not in self.messages:
            self.messages.append(message)


@dataclass
class SheetPlan:
    sheet: str
    header: HeaderGuess | None
    columns: list[tuple[str, str]] = field(default_factory=list)  # header → meaning
    ignored: list[str] = field(default_factory=list)  # columns read into nothing
    notes: list[str] = field(default_factory=list)  # how the sheet was read
    block_spill: RowSpill = field(default_factory=RowSpill)  # (first, last, count, unit, why)
    skipped: list[SkippedRow] = field(default_factory=list)
    blank_rows: int = 0
    refused: str = ""  # why the whole sheet is not read
    hidden: bool = False  # the sheet is hidden in the workbook (it is read all the same)
    count: int = 0  # data rows planned
    kept: list[tuple[int, ImportRow]] = field(default_factory=list)  # (seq, row) not spilled
    spill: RowSpill = field(default_factory=RowSpill)  # the new rows without an error
    new_warned: int = 0  # spilled rows with a warning
    new_steps: int = 0  # spilled rows with admission steps
    new_units: set[str] = field(default_factory=set)  # unit codes of the spilled rows
    warnings: dict[str, _Warnings] = field(default_factory=dict)  # by code, in row order

    @property
    def blocks(self) -> list[UnitBlock]:
        """The unit of each block of rows and why (a sheet sorted by name has one a row)."""
        return [UnitBlock(*b) for b in self.block_spill]

    def add(self, row: ImportRow) -> None:
        """One planned row, in sheet order."""
        seq, self.count = self.count, self.count + 1
        if row.status in _SHOWN:
            for i in row.issues:
                if i.severity is Severity.WARNING:
                    self.warnings.setdefault(i.code or i.message, _Warnings()).add(i.row, i.message)
        if row.status is not RowStatus.NEW:
            self.kept.append((seq, row))
            return
        # A new row passed validation (an error makes it invalid): nothing to look at.
        assert row.member is not None and row.report is not None
        assert not any(i.severity is Severity.ERROR for i in row.issues)
        self.spill.append(_record(seq, row))
        self.new_units.add(row.member.unit_code)
        self.new_steps += bool(row.steps)
        if any(i.severity is Severity.WARNING for i in row.issues):
            self.new_warned += 1

    def entries(self) -> Iterator[ImportRow | Record]:
        """Every row in sheet order: kept rows as they are, spilled ones as records."""
        kept: Iterator[tuple[int, ImportRow | Record]] = iter(self.kept)
        spilled: Iterator[tuple[int, ImportRow | Record]] = ((rec[0], rec) for rec in self.spill)
        for _, item in merge(kept, spilled, key=lambda t: t[0]):  # seq numbers are unique
            yield item

    @property
    def rows(self) -> list[ImportRow]:
        """Every row as an `ImportRow` (spilled rows read back: the window and tests)."""
        return [
            e if isinstance(e, ImportRow) else _from_record(e, self.sheet) for e in self.entries()
        ]

    def issues(self) -> Iterator[RowIssue]:
        for e in self.entries():
            if isinstance(e, ImportRow):
                yield from e.issues
            else:
                for c, msg, sev, code in e[4]:
                    yield RowIssue(e[1], c, msg, Severity(sev), code, self.sheet)

    def lines(self) -> list[str]:
        return list(self.iter_lines())

    def iter_lines(self) -> Iterator[str]:
        where = f"Trang “{self.sheet}”" if self.sheet else "Bảng tính"
        if self.header is None:
            yield f"{where}: bỏ qua — {self.refused}"
            return
        yield f"{where}: dòng tiêu đề số {self.header.row + 1}."
        yield "  Cột nhận ra: " + "; ".join(f"“{h}” → {m}" for h, m in self.columns) + "."
        if self.ignored:
            yield "  Cột bỏ qua (không nhập): " + "; ".join(self.ignored) + "."
        yield from (f"  {n}" for n in self.notes)
        for first, last, count, unit, reason in self.block_spill:
            rows = f"dòng {first}" if first == last else f"dòng {first}–{last}"
            yield f"  Đơn vị: {rows} ({count} người) → {unit or 'CHƯA RÕ ĐƠN VỊ'}, {reason}."
        for s in self.skipped:
            text = f": “{s.text[:80]}”" if s.text else ""
            yield f"  Bỏ qua dòng {s.row} ({s.reason}){text}."
        if self.blank_rows:
            yield f"  Bỏ qua {self.blank_rows} dòng trống."


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

    @property
    def kept(self) -> list[ImportRow]:
        """The rows held as objects (all but the spilled new ones), in order."""
        return [r for s in self.sheets for _, r in s.kept]

    def count(self, status: RowStatus) -> int:
        if status is RowStatus.NEW:
            return sum(len(s.spill) for s in self.sheets)
        return sum(1 for r in self.kept if r.status is status)

    @property
    def to_add(self) -> list[Member]:
        return [r.member for r in self.rows if r.status is RowStatus.NEW and r.member]

    @property
    def to_update(self) -> list[Member]:
        return [r.member for r in self.kept if r.status is RowStatus.UPDATE and r.member]

    @property
    def units_to_add(self) -> list[Unit]:
        used = {c for s in self.sheets for c in s.new_units}
        used |= {m.unit_code for m in self.to_update}
        return [u for u in self.new_units if u.code in used]

    @property
    def issues(self) -> list[RowIssue]:
        return [i for s in self.sheets for i in s.issues()]

    def new_records(self) -> Iterator[tuple[str, tuple[Any, ...], str]]:
        """(unit code, stored columns as MEMBER_ROW_COLUMNS orders them, warning codes) of
        each new row, in order: the write."""
        for s in self.sheets:
            for rec in s.spill:
                yield rec[2], rec[3], rec[9]

    def steps_to_record(self) -> Iterator[tuple[str, list[StepRecord]]]:
        """(uid, steps) of the new and updated rows with admission columns, in order."""
        uid = MEMBER_ROW_COLUMNS.index("uid")
        for s in self.sheets:
            if not s.new_steps and not any(r.steps for _, r in s.kept):
                continue
            for e in s.entries():
                if isinstance(e, ImportRow):
                    if e.status is RowStatus.UPDATE and e.member and e.steps:
                        yield e.member.uid, e.steps
                elif e[7]:
                    yield e[3][uid], _from_record(e, s.sheet).steps

    @property
    def probable(self) -> list[ImportRow]:
        """Rows that may be someone already in the file: the user is asked."""
        return [r for r in self.kept if r.status is RowStatus.CONFLICT and r.member]

    def sheets_without_unit(self) -> list[str]:
        """Sheets with rows that no column, group row, title or name gives a unit: the
        window asks "unit for this sheet" (plan again with `sheet_units`)."""
        return [s.sheet for s in self.sheets if any(not b[3] for b in s.block_spill)]

    def confirm(self, rows: Iterable[ImportRow] | None = None) -> None:
        """The user says these probable matches (all when None) are the same people."""
        for r in list(rows) if rows is not None else self.probable:
            if r.status is RowStatus.CONFLICT and r.member and r.matched_by == "probable":
                r.status, r.confirmed = RowStatus.UPDATE, True

    def summary(self) -> dict[str, int]:
        kept = self.kept
        counts = {s: 0 for s in RowStatus}
        for r in kept:
            counts[r.status] += 1
        return {
            "rows": sum(s.count for s in self.sheets),
            "new": self.count(RowStatus.NEW),
            "update": counts[RowStatus.UPDATE],
            "existing": counts[RowStatus.EXISTING],
            "conflict": counts[RowStatus.CONFLICT],
            "invalid": counts[RowStatus.INVALID],
            "warnings": sum(s.new_warned for s in self.sheets)
            + sum(
                1
                for r in kept
                if r.status is RowStatus.UPDATE
                and any(i.severity is Severity.WARNING for i in r.issues)
            ),
            "new_units": len(self.units_to_add),
        }

    def lines(self, limit: int = 200) -> list[str]:
        """The preview a clerk reads (Vietnamese)."""
        return list(self.iter_lines(limit))

    def iter_lines(self, limit: int = 200) -> Iterator[str]:
        """`lines`, one at a time (a sheet sorted by name has a unit line per row)."""
        yield f"Tệp “{self.source}”: {len(self.sheets)} trang."
        yield from self.sheet_lines
        for s in self.sheets:
            yield from s.iter_lines()
        yield from self._tail_lines(limit)

    def _tail_lines(self, limit: int) -> list[str]:
        many = sum(1 for s in self.sheets if s.header is not None) > 1
        out: list[str] = []

        def where(r: ImportRow | RowIssue) -> str:
            return f"Trang “{r.sheet}”, dòng {r.row}" if many else f"Dòng {r.row}"

        # A spilled row has no error: the errors are all in the kept rows.
        errors = [i for r in self.kept for i in r.issues if i.severity is Severity.ERROR]
        for i in errors[:limit]:
            col = f", cột “{i.column}”" if i.column else ""
            out.append(f"{where(i)}{col}: {i.message}")
        if len(errors) > limit:
            out.append(f"… và {len(errors) - limit} lỗi khác.")
        # Warnings are many and alike (e.g. everyone past 30): one line per kind.
        groups: dict[str, _Warnings] = {}
        for s in self.sheets:
            for key, g in s.warnings.items():
                into = groups.setdefault(key, _Warnings())
                into.count += g.count
                into.rows = (into.rows + g.rows)[:_EXAMPLES]
                into.messages = list(dict.fromkeys(into.messages + g.messages))[:2]
        for g in groups.values():
            rows = ", ".join(str(r) for r in g.rows)
            more = ", …" if g.count > _EXAMPLES else ""
            example = g.messages[0] if len(g.messages) == 1 else f"ví dụ: {g.messages[0]}"
            out.append(f"Cảnh báo ở {g.count} dòng ({rows}{more}): {example}")
        shown = 0
        for r in self.kept:
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
