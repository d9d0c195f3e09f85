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
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain.member import Member
from dvdesk.domain.names import fold
from dvdesk.domain.validation import Severity, validate_member
from dvdesk.errors import KnownError
from dvdesk.exchange import sheet_layout
from dvdesk.exchange.cell_values import text
from dvdesk.exchange.headers import HeaderGuess, find_header
from dvdesk.exchange.sheet_layout import SKIP_REASONS, RowKind, classify
from dvdesk.exchange.sheet_matching import Matcher
from dvdesk.exchange.sheet_plan import (
    Change,
    ImportPlan,
    ImportRow,
    RowIssue,
    RowStatus,
    SheetPlan,
    SkippedRow,
    UnitBlock,
)
from dvdesk.exchange.sheet_reader import STATE_LABELS, Grid, open_grids
from dvdesk.exchange.sheet_rows import FIELD_LABELS, ReadRow, RowReader
from dvdesk.exchange.sheet_units import SheetUnits, UnitChooser
from dvdesk.exchange.units_in_sheet import UnitResolver

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

Progress = Callable[[int, int], None]
_CODE = re.compile(r"^[A-Z]{2,6}[0-9]{1,4}$")  # "KDC01", "THPT2": a code, not a name
__all__ = [
    "Change",
    "ImportPlan",
    "ImportRow",
    "RowIssue",
    "RowStatus",
    "SheetPlan",
    "SkippedRow",
    "UnitBlock",
    "apply_import",
    "plan_import",
]


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
    sheets: Sequence[str] | None = None,
) -> ImportPlan:
    """Read and check every sheet; writes nothing.

    Args:
        default_unit: the user's unit (code or name) for rows whose sheet gives none
            by column or group row; a name not in the catalogue becomes a new unit.
        sheet_units: the same, per sheet name (the window's "unit for this sheet").
        fields: column → field, to override the recognised header of the main sheet.
        erase_empty: an empty cell erases the stored value on a re-import.
        confirm_probable: take every probable match as the same person.
        sheets: the workbook's sheets to read (hidden ones too); by default every
            visible sheet (a hidden sheet is listed in the preview, not read).
    """
    with open_grids(path, sheets) as grids:
        plan = _plan(
            store, path, grids, default_unit, sheet_units, fields, today, progress, erase_empty
        )
    if confirm_probable:
        plan.confirm()
    return plan


def _plan(
    store: Store,
    path: Path,
    grids: list[Grid],
    default_unit: str | None,
    sheet_units: dict[str, str] | None,
    fields: dict[int, str] | None,
    today: date | None,
    progress: Progress | None,
    erase_empty: bool,
) -> ImportPlan:
    """`plan_import` over the open grids, each streamed once."""
    sheet_lines = grids[0].sheet_lines([g.sheet for g in grids]) if grids else []
    read = {g.sheet for g in grids}
    workbook = (
        [(i.name, STATE_LABELS[i.state], i.name in read) for i in grids[0].sheets] if grids else []
    )
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
        header = grids[main].rows[g.row]

        def label(c: int) -> str:
            # A column the guess did not recognise is named by its own header too.
            written = text(header[c]) if c < len(header) else ""
            return g.labels.get(c) or written or f"cột {c + 1}"

        guesses[main] = HeaderGuess(
            g.row, g.data_start, dict(fields), {c: label(c) for c in fields}
        )
    for choice in (default_unit, *(sheet_units or {}).values()):
        if choice and resolver.find(choice) is None and _CODE.match(choice.strip()):
            raise KnownError(
                f"Không có đơn vị mã “{choice}”. Để tạo đơn vị mới, hãy ghi tên của nó, "
                "ví dụ “Thôn Đông”."
            )
    many = sum(1 for g in guesses if g) > 1
    planner = _Planner(store, resolver, today or date.today(), erase_empty, many)
    choices = {k: v for k, v in (sheet_units or {}).items() if v}
    total = sum(g.size - h.data_start for g, h in zip(grids, guesses, strict=True) if h)
    planned = []
    for grid, guess in zip(grids, guesses, strict=True):
        choice = choices.get(grid.sheet, default_unit or "")
        planned.append(planner.sheet(grid, guess, choice, progress, total))
    if progress:
        progress(total, total)
    return ImportPlan(path.name, planned, resolver.new, main, erase_empty, sheet_lines, workbook)


class _Planner:
    """Reads the sheets one after the other; what it learns (CCCDs, people) spans them."""

    def __init__(
        self, store: Store, resolver: UnitResolver, today: date, erase: bool, many_sheets: bool
    ) -> None:
        self.store, self.resolver, self.today = store, resolver, today
        self.matcher = Matcher(store, resolver, erase)
        self.units = UnitChooser(resolver, many_sheets)
        self.sheet_cccd: dict[str, tuple[str, int]] = {}  # cccd → (name, row) in the workbook
        # person → (sheet, row, cccd, uid), for duplicates in the workbook
        self.sheet_keys: dict[tuple[str, str, str], tuple[str, int, str, str]] = {}
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
        plan = SheetPlan(grid.sheet, guess, hidden=bool(grid.hidden))
        if guess is None:
            filled = any(any(v not in (None, "") for v in r) for r in grid.all_rows())
            plan.refused = (
                "không có dòng tiêu đề có cột “Họ và tên” và một cột khác."
                if filled
                else "trang trống."
            )
            return plan
        name_columns, note = sheet_layout.name_columns(grid, guess)
        if note:
            plan.notes.append(note)
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
            plan.notes.append("Trang này bị ẩn trong bảng tính: được đọc vì đã được chọn.")
        ctx = self.units.context(grid, guess, choice)
        used = set(guess.fields) | set(name_columns)
        width = 0  # of the widest row: the columns the preview may call ignored
        filled_unknown: dict[int, int] = {}  # column read into nothing → cells with a value
        unknown_by_width: dict[int, list[int]] = {}
        excluded = frozenset(name_columns) | frozenset(
            c for c, f in guess.fields.items() if f in ("full_name", "name_first", "name_last")
        )
        in_signature = False
        hidden_read = 0  # hidden rows read as people
        block: list[Any] = []  # the block of rows going on: [first, last, count, unit, reason]
        unplaced = 0  # people without a unit
        for index, cells in enumerate(grid.all_rows()):
            width = max(width, len(cells))
            if index < guess.data_start:
                continue
            self.done += 1
            if progress and self.done % 500 == 0:
                progress(min(self.done, total), total)
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
                self.units.group(ctx, sense.text, sense.group_class, number)
                in_signature = False
                continue
            if sense.kind is not RowKind.DATA:
                in_signature = in_signature or sense.kind is RowKind.SIGNATURE
                plan.skipped.append(SkippedRow(number, SKIP_REASONS[sense.kind], sense.text))
                continue
            unknown = unknown_by_width.get(len(cells))
            if unknown is None:
                unknown = [c for c in range(len(cells)) if c not in used]
                unknown_by_width[len(cells)] = unknown
            for c in unknown:
                if cells[c] not in (None, ""):
                    filled_unknown[c] = filled_unknown.get(c, 0) + 1
            hidden = index in grid.hidden_rows
            row = self._row(number, cells, name, reader, ctx, grid, hidden)
            if isinstance(row, SkippedRow):
                plan.skipped.append(row)
                continue
            hidden_read += hidden
            plan.add(row)
            unit, reason = row.unit, row.unit_reason
            if block and block[3] == unit and block[4] == reason:
                block[1], block[2] = number, block[2] + 1
            else:
                if block:
                    plan.block_spill.append(tuple(block))
                block = [number, number, 1, unit, reason]
            if not unit:
                unplaced += 1
        if block:
            plan.block_spill.append(tuple(block))
        if hidden_read:
            plan.notes.append(f"{hidden_read} dòng bị ẩn trong bảng tính: vẫn đọc, có cảnh báo.")
        if unplaced:
            name = grid.sheet or "Sheet1"
            plan.notes.append(
                f"{unplaced} người chưa rõ đơn vị: chọn đơn vị cho trang này "
                f'(dòng lệnh: --unit TÊN hoặc --sheet-unit "{name}=TÊN").'
            )
        unknown = [c for c in range(width) if c not in used]
        plan.ignored = sheet_layout.ignored_columns(header_row, unknown, filled_unknown)
        return plan

    # -- one row -----------------------------------------------------------

    def _row(
        self,
        number: int,
        cells: list[object],
        name: str,
        reader: RowReader,
        ctx: SheetUnits,
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
        unit, reason, klass = self.units.unit(ctx, read, reader)
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
        earlier = self.matcher.same(key, m.cccd, read.uid, self.sheet_keys) if m.full_name else None
        if earlier and earlier[0] != sheet:
            why = f"cùng người ở trang “{earlier[0]}” dòng {earlier[1]}"
            return SkippedRow(number, why, m.full_name)
        errors = any(i.severity is Severity.ERROR for i in issues)
        target, how, existing = self.matcher.match(m, read.uid, key)
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
            self.sheet_keys[key] = (sheet, number, m.cccd, read.uid)
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
                self.sheet_cccd[m.cccd] = (m.full_name, number)
            self.sheet_keys[key] = (sheet, number, m.cccd, read.uid)
        return row

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
        stored = self.matcher.stored(target)
        assert row.member is not None
        values, changes, steps, row.member_changed = self.matcher.diff(
            stored, row.member, read, target, strong_unit
        )
        row.existing, row.matched_by, row.steps = existing, how, steps
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
            self.sheet_cccd[merged.cccd] = (merged.full_name, row.row)
        return row

    def _validate(self, row: ImportRow, reader: RowReader, m: Member, own_uid: str) -> None:
        def owner(cccd: str, _uid: str) -> str | None:
            if cccd in self.sheet_cccd:
                name, number = self.sheet_cccd[cccd]
                return f"{name} (dòng {number})"
            holder = self.matcher.by_cccd.get(cccd)
            if holder and holder != own_uid:
                return self.matcher.by_uid.get(holder)
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


def apply_import(
    store: Store, plan: ImportPlan, *, today: date | None = None, progress: Progress | None = None
) -> tuple[int, Path | None]:
    """Write the plan's new units, new members and updates in ONE transaction, after a
    backup; returns (members added or updated, backup path)."""
    from dvdesk.store import backup

    summary = plan.summary()
    updates = [
        r.member
        for r in plan.kept
        if r.status is RowStatus.UPDATE and r.member and r.member_changed
    ]
    if not summary["new"] and not summary["update"]:
        return 0, None
    saved = backup.make_backup(store, reason="truoc-nhap") if store.path else None
    with store.transaction():
        count = store.imports.add_units_and_rows(
            plan.units_to_add,
            plan.new_records(),
            today=today,
            progress=progress,
            total=summary["new"],
        ).count
        for member in updates:
            store.members.update(member, today)
        steps = dict(plan.steps_to_record())
        if steps:
            store.steps.record_many(steps)
    return count + summary["update"], saved
