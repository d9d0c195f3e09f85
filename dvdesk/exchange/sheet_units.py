"""Which unit each row of a sheet goes to, and why (đơn vị của từng dòng).

In this order: the row's unit column; the group row above it ("I. CHI ĐOÀN
THÔN ĐÔNG"; "Chi đoàn 12A1" names a class of a school); the user's choice
for the sheet; the unit named in the title ("DANH SÁCH ĐOÀN VIÊN THÔN ĐÔNG");
the sheet's name. Each answer comes with the reason the preview shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dvdesk.domain.member import Unit, UnitKind
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.headers import HeaderGuess
from dvdesk.exchange.sheet_reader import Grid
from dvdesk.exchange.sheet_rows import ReadRow, RowReader
from dvdesk.exchange.units_in_sheet import (
    UnitResolver,
    above_units,
    class_of,
    clean_group,
    generic_sheet_name,
    looks_like_unit,
    units_in_title,
)


@dataclass
class SheetUnits:
    """Where the rows of one sheet go when no column says: the user's choice, the title,
    the sheet name, and the group row last seen."""

    choice: Unit | None = None
    title: str = ""  # the title line naming the unit
    title_unit: str = ""
    title_class: str = ""
    sheet_unit: str = ""
    group: Unit | None = None
    group_text: str = ""
    group_row: int = 0
    group_class: str = ""
    # The unit the unit column gave the row above: a column filled once per block
    # ("Thôn Đông" on the first row of its people, blank under it) holds for the rows below.
    above: tuple[Unit, str] | None = None


class UnitChooser:
    """Decides the units of rows; new units are planned in the resolver."""

    def __init__(
        self,
        resolver: UnitResolver,
        many_sheets: bool,
        stored_unit: Callable[[str], str | None] = lambda uid: None,
    ) -> None:
        self.resolver = resolver
        self.many_sheets = many_sheets  # several sheets with a header: sheet names name units
        self.stored_unit = stored_unit  # uid → the unit code the file has for that person

    def context(self, grid: Grid, guess: HeaderGuess, choice: str) -> SheetUnits:
        ctx = SheetUnits()
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

    def group(self, ctx: SheetUnits, text: str, group_class: str, number: int) -> None:
        ctx.group_text, ctx.group_row, ctx.above = text, number, None
        if group_class:
            ctx.group_class = group_class
            if ctx.group is not None and ctx.group.kind is not UnitKind.SCHOOL:
                ctx.group = None
            return
        ctx.group = self.resolver.resolve(clean_group(text))
        ctx.group_class = ""

    def school(self, ctx: SheetUnits) -> tuple[Unit | None, str]:
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

    def _edited_unit(self, read: ReadRow, reader: RowReader) -> tuple[Unit, str] | None:
        """dvdesk's own lists have both "Mã chi đoàn" and "Chi đoàn": when they name two
        units, the one that differs from the file is the secretary's edit (the name
        when the file does not know the person)."""
        by_code = self.resolver.codes.get("".join(read.unit_code.split()).upper())
        by_name = self.resolver.find(read.unit)
        if (
            by_code is None
            or by_name is None
            or by_code is by_name
            or self.resolver.names(by_code, read.unit)  # two units of one name
        ):
            return None
        code, name = reader.label("unit_code"), reader.label("unit")
        stored = self.stored_unit(read.uid) if read.uid else None
        if stored == by_name.code:
            return by_code, f"theo cột “{code}” (cột “{name}” vẫn ghi {by_name.name})"
        return by_name, f"theo cột “{name}” (cột “{code}” ghi mã {by_code.code} của {by_code.name})"

    def unit(
        self, ctx: SheetUnits, read: ReadRow, reader: RowReader
    ) -> tuple[Unit | None, str, str]:
        """(unit, why, class from a group or title) of one row."""
        klass = ctx.group_class or (ctx.title_class if ctx.group is None else "")
        if read.unit and above_units(read.unit):
            read.unit = ""  # the commune's party body (an HD 38 sheet): the unit is elsewhere
        if read.unit and not read.unit_code and class_of(read.unit):
            # "12A1" or "Chi đoàn 12A1" in the unit column is a class of a school.
            klass = class_of(read.unit)
            school, why = self.school(ctx)
            return school, f"lớp {klass} theo cột “{reader.label('unit')}”, {why}", klass
        if read.unit_code and read.unit:
            moved = self._edited_unit(read, reader)
            if moved is not None:
                return moved[0], moved[1], klass
        if read.unit_code or read.unit:
            column = reader.label("unit_code" if read.unit_code else "unit")
            unit = self.resolver.resolve(read.unit, read.unit_code)
            ctx.above = (unit, f"theo cột “{column}” (ô trống: như dòng trên)")
            return unit, f"theo cột “{column}”", klass
        if ctx.above is not None:
            return ctx.above[0], ctx.above[1], klass
        if ctx.group_class:
            school, why = self.school(ctx)
            return school, f"lớp {ctx.group_class} (dòng {ctx.group_row}), {why}", klass
        if ctx.group is not None:
            return ctx.group, f"theo dòng nhóm “{ctx.group_text}” (dòng {ctx.group_row})", klass
        if ctx.choice is not None:
            return ctx.choice, "theo đơn vị đã chọn", klass
        if ctx.title_class:
            school, why = self.school(ctx)
            return school, f"lớp {ctx.title_class} trong tiêu đề, {why}", klass
        if ctx.title_unit:
            return self.resolver.resolve(ctx.title_unit), f"theo tiêu đề “{ctx.title}”", klass
        if ctx.sheet_unit:
            unit = self.resolver.resolve(ctx.sheet_unit)
            return unit, f"theo tên trang “{ctx.sheet_unit}”", klass
        return None, "không có cột, dòng nhóm, tiêu đề hay tên trang nào cho biết", klass
