"""Member lists as an Excel workbook (xuất danh sách ra Excel).

One sheet per list: members, units, candidates' procedure steps. Real date
cells shown dd/mm/yyyy, a bold frozen header with filters, column widths, and
formula-looking text escaped so opening the file never runs anything.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain.procedure import STEP_CODES, STEP_STATE_LABELS, StepState
from dvdesk.exchange.cells import escape_cell
from dvdesk.exchange.sheet_columns import STEP_HEADERS, list_data, member_columns
from dvdesk.files import check_output, write_private

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

DATE_FORMAT = "DD/MM/YYYY"


def _cell(value: Any) -> Any:
    return escape_cell(value) if isinstance(value, str) else value


def _sheet(
    book: Any, title: str, header: Sequence[tuple[str, int]], rows: Iterable[Sequence[Any]]
) -> int:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append([label for label, _ in header])
    bold = Font(bold=True)
    for i, (_, width) in enumerate(header, 1):
        cell = sheet.cell(row=1, column=i)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(i)].width = width + 2
    count = 0
    for row in rows:
        values = [_cell(v) for v in row]
        sheet.append(values)
        count += 1
        # sheet.cell() is a lookup; sheet[max_row] would rescan every cell (quadratic).
        for column, value in enumerate(values, 1):
            if isinstance(value, date):
                sheet.cell(row=count + 1, column=column).number_format = DATE_FORMAT
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    return count


def export_xlsx(store: Store, out: Path, *, overwrite: bool = False) -> dict[str, int]:
    """Write the workbook; returns rows per sheet.

    `out` is checked first and written whole or not at all (dvdesk/files.py);
    an existing file is replaced only with `overwrite`.
    """
    from openpyxl import Workbook

    check_output(out, overwrite=overwrite, protect=[store.path])
    data = list_data(store)
    columns = member_columns()
    book = Workbook()
    book.remove(book.active)
    counts = {}
    counts["Đoàn viên"] = _sheet(
        book,
        "Đoàn viên",
        [("STT", 5), *((c.label, c.width) for c in columns)],
        ([i, *(c.value(m, data.context) for c in columns)] for i, m in enumerate(data.members, 1)),
    )
    counts["Chi đoàn"] = _sheet(
        book,
        "Chi đoàn",
        [("Mã chi đoàn", 12), ("Chi đoàn", 30), ("Loại", 14), ("Số đoàn viên", 12)],
        data.units,
    )
    candidates = [m for m in data.members if m.uid in data.steps]
    header = [
        ("STT", 5),
        ("Họ và tên", 28),
        ("Ngày sinh", 12),
        ("Mã chi đoàn", 11),
        ("Giai đoạn", 22),
        *((h, 14) for h in STEP_HEADERS),
    ]

    def step_cells(uid: str) -> list[Any]:
        recorded = {r.code: r for r in data.steps[uid]}
        out_cells: list[Any] = []
        for code in STEP_CODES:
            r = recorded.get(code)
            if r is None or r.state is StepState.NOT_STARTED:
                out_cells.append(None)
            elif r.state is StepState.DONE:
                out_cells.append(r.done_on)
            else:
                out_cells.append(STEP_STATE_LABELS[r.state])
        return out_cells

    by_name = {c.name: c for c in columns}
    counts["Quy trình kết nạp"] = _sheet(
        book,
        "Quy trình kết nạp",
        header,
        (
            [
                i,
                m.full_name,
                by_name["dob"].value(m, data.context),
                m.unit_code,
                by_name["stage"].value(m, data.context),
                *step_cells(m.uid),
            ]
            for i, m in enumerate(candidates, 1)
        ),
    )
    # Zipped in memory, then written by the one writer: openpyxl's own file, left
    # open when the disk fills, would fail again in its finaliser with a traceback.
    buf = io.BytesIO()
    book.save(buf)
    write_private(out, buf.getvalue(), overwrite=overwrite, protect=[store.path])
    return counts
