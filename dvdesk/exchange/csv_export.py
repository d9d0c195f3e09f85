"""The member list as CSV for spreadsheets (danh sách đoàn viên .csv).

UTF-8 with BOM, dates dd/mm/yyyy as Vietnamese offices write them, and every
text cell that a spreadsheet would run as a formula escaped.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dvdesk.domain.dates import fmt
from dvdesk.exchange.cells import escape_cell
from dvdesk.exchange.csv_files import csv_bytes
from dvdesk.exchange.sheet_columns import list_data, member_columns
from dvdesk.files import check_output, write_private

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return fmt(value)
    return escape_cell(str(value))


def export_csv(store: Store, out: Path, *, overwrite: bool = False) -> int:
    """Write the member list; returns the number of members written.

    `out` is checked first and written whole or not at all (dvdesk/files.py);
    an existing file is replaced only with `overwrite`.
    """
    check_output(out, overwrite=overwrite, protect=[store.path])
    data = list_data(store)
    columns = member_columns()
    header = ["STT", *(c.label for c in columns)]
    rows = (
        [str(i), *(_text(c.value(m, data.context)) for c in columns)]
        for i, m in enumerate(data.members, 1)
    )
    write_private(out, csv_bytes(header, rows), overwrite=overwrite, protect=[store.path])
    return len(data.members)
