"""Exports at the receiving level (dữ liệu tổng hợp): everything keyed by commune.

A consolidated file holds many communes whose unit codes repeat ("KDC01" in
each), so its lists carry the commune's code and name in front of every row,
unit names are looked up per (commune, unit), and `--commune` keeps one
commune. The workbook opens with the per-commune summary (tổng hợp theo
xã): package number and date, members, eligible, candidates at each stage,
the directive's ratios, the year's admissions against the target, overdue
and flagged records.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain.member import UNIT_KIND_LABELS, Member
from dvdesk.domain.procedure import STAGE_LABELS, StepState, stage_of
from dvdesk.errors import KnownError
from dvdesk.exchange import sheet_columns
from dvdesk.exchange.csv_files import csv_bytes
from dvdesk.files import check_output, write_private
from dvdesk.store.received import RATIO_COLUMNS, SUMMARY_HEADER, summary_rows

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

COMMUNE_HEADER = (("Mã xã", 8), ("Xã/phường", 22))


def _columns() -> tuple[sheet_columns.SheetColumn, ...]:
    """The people-list columns of the plain exports (the field registry's, issue 15)."""
    return sheet_columns.member_columns()


def is_consolidated(store: Store) -> bool:
    """A file that merged packages (the receiving level's)."""
    return bool(store.received.all())


@dataclass
class CommuneData:
    code: str
    name: str
    members: list[Member]
    context: dict[str, Any]
    units: list[tuple[str, str, str, int]]  # code, name, kind label, member count


def communes(store: Store, commune: str | None = None) -> Iterator[CommuneData]:
    """Each commune's members, units and stages in turn (one commune in memory at a time)."""
    names = {r["commune_code"]: r["commune_name"] for r in store.received.all()}
    codes = store.received.commune_codes()
    if commune is not None:
        wanted = commune.strip()
        if wanted not in codes:
            raise KnownError(f"Không có dữ liệu của xã/phường mã “{wanted}” trong tệp này.")
        codes = [wanted]
    own = store.settings.get()
    for code in codes:
        members = store.packages.members(code)
        steps = store.packages.steps(code)
        units = store.packages.units(code)
        stages = {
            uid: STAGE_LABELS[stage_of({r.code for r in rs if r.state is StepState.DONE})]
            for uid, rs in steps.items()
        }
        counts: dict[str, int] = {}
        for m in members:
            counts[m.unit_code] = counts.get(m.unit_code, 0) + 1
        name = names.get(code) or (own.commune_name if code == own.commune_code else "")
        yield CommuneData(
            code,
            name,
            members,
            {"unit_names": {u.code: u.name for u in units}, "stages": stages, "steps": steps},
            [(u.code, u.name, UNIT_KIND_LABELS[u.kind], counts.get(u.code, 0)) for u in units],
        )


def _member_rows(data: Iterator[CommuneData]) -> Iterator[list[Any]]:
    number = 0
    columns = _columns()
    for c in data:
        for m in c.members:
            number += 1
            yield [number, c.code, c.name, *(col.value(m, c.context) for col in columns)]


def member_header() -> list[tuple[str, int]]:
    return [("STT", 5), *COMMUNE_HEADER, *((c.label, c.width) for c in _columns())]


def export_consolidated_xlsx(
    store: Store,
    out: Path,
    commune: str | None = None,
    on: date | None = None,
    *,
    overwrite: bool = False,
) -> dict[str, int]:
    """Summary per commune, members and units with their commune; rows per sheet."""
    from openpyxl import Workbook

    check_output(out, overwrite=overwrite, protect=[store.path])
    from dvdesk.exchange.xlsx_export import _sheet

    on = on or date.today()
    book = Workbook()
    book.remove(book.active)
    figures = store.received.summary(on, store.settings.get().method)
    if commune is not None:
        figures = [f for f in figures if f.commune_code == commune.strip()]
    counts: dict[str, int] = {}
    counts["Tổng hợp theo xã"] = _summary_sheet(book, figures, on)
    counts["Đoàn viên"] = _sheet(
        book, "Đoàn viên", member_header(), _member_rows(communes(store, commune))
    )
    counts["Chi đoàn"] = _sheet(
        book,
        "Chi đoàn",
        [
            *COMMUNE_HEADER,
            ("Mã chi đoàn", 12),
            ("Chi đoàn", 30),
            ("Loại", 14),
            ("Số đoàn viên", 12),
        ],
        ([c.code, c.name, *u] for c in communes(store, commune) for u in c.units),
    )
    buf = io.BytesIO()
    book.save(buf)
    write_private(out, buf.getvalue(), overwrite=overwrite, protect=[store.path])
    return counts


def _summary_sheet(book: Any, figures: Sequence[Any], on: date) -> int:
    from dvdesk.exchange.xlsx_export import _sheet

    rows = summary_rows(list(figures), on.year)
    count = _sheet(book, "Tổng hợp theo xã", list(SUMMARY_HEADER), rows)
    sheet = book["Tổng hợp theo xã"]
    for r in range(2, len(rows) + 2):
        for c in RATIO_COLUMNS:
            sheet.cell(row=r, column=c + 1).number_format = "0.0%"
    return count - 1  # the total row is not a commune


def export_consolidated_csv(
    store: Store, out: Path, commune: str | None = None, *, overwrite: bool = False
) -> int:
    """The member list with each member's commune; returns the number of members."""
    from dvdesk.exchange.csv_export import _text

    check_output(out, overwrite=overwrite, protect=[store.path])
    rows = [[_text(v) for v in row] for row in _member_rows(communes(store, commune))]
    data = csv_bytes([label for label, _ in member_header()], rows)
    write_private(out, data, overwrite=overwrite, protect=[store.path])
    return len(rows)
