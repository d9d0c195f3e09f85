"""The receiving level's summary per commune (bảng tổng hợp theo xã), A4.

One line per commune: the last package merged (number and date), members,
eligible on the date, candidates at each stage, the directive's ratios, the
year's admissions against the commune's target, overdue and flagged
records; then the total. The figures are the store's (store/received.py),
the same the consolidated workbook shows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from dvdesk.errors import KnownError
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.store.received import RATIO_COLUMNS, summary_rows

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

TITLE = "BẢNG TỔNG HỢP THEO XÃ, PHƯỜNG"
TYPE_CODE = "BC"
# (column of summary_rows, short header, width in mm): they fill the frame's 165 mm
# (at 170 the table ran 5 mm into the right margin).
PDF_COLUMNS = (
    (0, "Mã xã", 11),
    (1, "Xã, phường", 15),
    (2, "Gói số (ngày lập)", 16),
    (5, "Đoàn viên", 11),
    (6, "Đủ tuổi", 11),
    (7, "Giới thiệu", 10),
    (8, "Học lớp", 9),
    (9, "Hồ sơ", 9),
    (10, "Xét KN", 9),
    (11, "Dự bị", 9),
    (12, "KN / GT", 10),
    (13, "KN / HL", 10),
    (14, "KN năm", 9),
    (15, "Chỉ tiêu", 9),
    (16, "Quá hạn", 8),
    (18, "Cảnh báo", 9),
)
# Sixteen columns: 9 pt and 2 pt padding so that no word or figure breaks inside
# ("Đoà/n", "Cả/nh", "1111/1", "50/%"); documents.md allows smaller table text.
HEAD_SIZE = CELL_SIZE = 9
PAD = 2


EXPLANATION = (
    "Đủ tuổi: đủ tuổi vào Đảng, chưa là đảng viên. Giới thiệu, học lớp, hồ sơ, xét KN, "
    "dự bị: số người đang ở giai đoạn đó. KN / GT, KN / HL: số được kết nạp (9-KNĐ) ÷ số "
    "được giới thiệu (4-KNĐ), ÷ số học lớp nhận thức (CN-NTVĐ), cùng các năm có số liệu "
    "của xã. KN năm: kết nạp trong năm từ danh sách đoàn viên. Chỉ tiêu "
    "năm: theo số đảng viên và tỷ lệ chỉ tiêu xã gửi kèm gói dữ liệu (trống khi xã "
    "chưa nhập số đảng viên). Quá hạn, sắp hết hạn: người đang trong quy trình kết nạp."
)


def _style(parent: ParagraphStyle, size: float) -> ParagraphStyle:
    return ParagraphStyle(f"summary_{parent.name}", parent=parent, fontSize=size, leading=size + 1)


def _text(value: Any, column: int) -> str:
    if column in RATIO_COLUMNS:
        return "—" if value is None else f"{value * 100:.0f}%"
    if value is None:
        return ""
    if column in (3, 4) and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
    return str(value)


def summary_story(store: Store, on: date, commune: str | None = None) -> list[Flowable]:
    s = st.styles()
    settings = store.settings.get()
    figures = store.received.summary(on, settings.method)
    if commune is not None:
        figures = [x for x in figures if x.commune_code == commune.strip()]
        if not figures:
            raise KnownError(
                f"Không có dữ liệu của xã/phường mã “{commune.strip()}” trong tệp này."
            )
    rows = summary_rows(figures, on.year)
    head_style = _style(s.head_cell, HEAD_SIZE)
    left, right = _style(s.cell, CELL_SIZE), _style(s.cell_right, CELL_SIZE)
    head = [f.para(label, head_style) for _, label, _ in PDF_COLUMNS]
    body = []
    for row in rows:
        cells = []
        for i, _, _ in PDF_COLUMNS:
            text = _text(row[i], i)
            if i == 2 and row[2] is not None:  # the date on its own line, never broken
                text = f"{f.escape_text(str(row[2]))}<br/>{_text(row[3], 3)}"
                cells.append(f.markup(text, left))
                continue
            cells.append(f.para(text, left if i in (1, 2) else right))
        body.append(cells)
    table = Table([head, *body], colWidths=[w * mm for _, _, w in PDF_COLUMNS], repeatRows=1)
    table.setStyle(
        [
            *st.grid_style(),
            *st.plain_cells(),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ]
    )
    return [
        f.letterhead(f.Letterhead.PARTY, settings, on, TYPE_CODE),
        Spacer(1, 4 * mm),
        f.para(TITLE, s.title),
        f.balanced(
            f"Tính đến ngày {on:%d/%m/%Y}; đủ tuổi vào Đảng tính theo cách tính tuổi trong cài "
            f"đặt; kết nạp và chỉ tiêu của năm {on.year}.",
            s.subtitle,
        ),
        table,
        # The explanation and the signatures kept together (HD 36): who drew the
        # table up and the body's signer, as on the lists.
        f.closing(
            [
                Spacer(1, 2 * mm),
                f.para(EXPLANATION, s.small),
                Spacer(1, 4 * mm),
            ],
            f.signatures([f.maker("NGƯỜI LẬP BIỂU"), f.party_signer(settings)]),
        ),
    ]


def write_commune_summary(
    store: Store,
    out: Path,
    on: date | None = None,
    commune: str | None = None,
    *,
    overwrite: bool = False,
) -> int:
    """The summary PDF; returns the page count."""
    on = on or date.today()
    settings = store.settings.get()
    story = summary_story(store, on, commune)
    return f.write_pdf(
        out, story, f.document_title(TITLE), settings.party_committee, overwrite=overwrite
    )
