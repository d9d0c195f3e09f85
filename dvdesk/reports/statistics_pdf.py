"""Statistics report (báo cáo thống kê phát triển đảng viên) with a bar chart.

Per year and unit kind: introduced, took the course, admitted, and the
directive's two ratios (admitted in the period of those introduced in the
period, admitted of those who took the course in the period — period counts,
see domain/statistics.py, each printed with its definition); then the year's
new members against the 3–4% target, from the figures the officer entered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from dvdesk.domain.member import UNIT_KIND_LABELS, UnitKind
from dvdesk.domain.statistics import (
    DEFINITIONS,
    TARGET_HIGH_PERCENT,
    TARGET_LOW_PERCENT,
    Statistics,
    YearFigures,
)
from dvdesk.reports import furniture as f
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import SANS, SANS_BOLD
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

TITLE = "BÁO CÁO KẾT QUẢ PHÁT TRIỂN ĐẢNG VIÊN"
SERIES = (
    ("introduced", "Được giới thiệu", "#4C72B0"),
    ("course", "Học lớp nhận thức về Đảng", "#DD8452"),
    ("admitted", "Được kết nạp", "#55A868"),
)
MAX_YEARS = 6  # the chart stays readable


def percent(value: float | None, digits: int = 1) -> str:
    """Vietnamese style: a decimal comma, "—" when there is nothing to divide."""
    return "—" if value is None else f"{value * 100:.{digits}f}".replace(".", ",") + "%"


def _kind_label(kind: UnitKind | None) -> str:
    return "Cộng" if kind is None else UNIT_KIND_LABELS[kind]


def _figures_table(stats: Statistics) -> Table:
    s = st.styles()
    head = [
        "Năm",
        "Đơn vị",
        "Được giới thiệu",
        "Học lớp nhận thức",
        "Được kết nạp",
        "Kết nạp / giới thiệu",
        "Kết nạp / học lớp",
    ]
    rows: list[list[object]] = [[f.para(h, s.head_cell) for h in head]]
    style = [*st.grid_style(), *st.plain_cells()]

    def add(label: str, r: YearFigures) -> None:
        rows.append(
            [
                label,
                _kind_label(r.kind),
                str(r.introduced),
                str(r.course),
                str(r.admitted),
                percent(r.admitted_per_introduced),
                percent(r.admitted_per_course),
            ]
        )
        if r.kind is None:
            style.append(("FONT", (1, len(rows) - 1), (-1, len(rows) - 1), SANS_BOLD, 8.5))

    for year in stats.years:
        first = len(rows)
        for kind in (*UnitKind, None):
            add(str(year), stats.row(year, kind))
        style.append(("SPAN", (0, first), (0, len(rows) - 1)))
        style.append(("VALIGN", (0, first), (0, len(rows) - 1), "MIDDLE"))
    if len(stats.years) > 1:
        first = len(rows)
        label = f"{stats.years[0]}–{stats.years[-1]}"
        for kind in (*UnitKind, None):
            add(label, stats.span(kind))
        style.append(("SPAN", (0, first), (0, len(rows) - 1)))
        style.append(("VALIGN", (0, first), (0, len(rows) - 1), "MIDDLE"))
        style.append(("BACKGROUND", (0, first), (-1, -1), colors.HexColor("#F2F2F2")))
    widths = [20 * mm, 28 * mm, 22 * mm, 24 * mm, 20 * mm, 28 * mm, 28 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def chart(stats: Statistics, width: float = 165 * mm, height: float = 60 * mm) -> Drawing:
    """Grouped bars per year: introduced, course, admitted (all units)."""
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 14 * mm, 16 * mm
    bars.width, bars.height = width - 20 * mm, height - 24 * mm
    totals = [stats.row(y, None) for y in stats.years]
    bars.data = [[getattr(t, key) for t in totals] for key, _, _ in SERIES]
    bars.categoryAxis.categoryNames = [str(y) for y in stats.years]
    for axis in (bars.categoryAxis.labels, bars.valueAxis.labels):
        axis.fontName, axis.fontSize = SANS, 8
    top = max((v for series in bars.data for v in series), default=0)
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max(5, top + max(1, top // 8))
    bars.valueAxis.valueStep = max(1, (bars.valueAxis.valueMax + 4) // 5)
    bars.groupSpacing, bars.barSpacing = 8, 1
    for i, (_, _, color) in enumerate(SERIES):
        bars.bars[i].fillColor = colors.HexColor(color)
        bars.bars[i].strokeColor = None
    bars.barLabelFormat = "%d"
    bars.barLabels.fontName, bars.barLabels.fontSize = SANS, 7
    bars.barLabels.nudge = 6
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = 14 * mm, 5 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName, legend.fontSize = SANS, 8
    legend.deltax = 58 * mm
    legend.colorNamePairs = [(colors.HexColor(c), f.nfc(label)) for _, label, c in SERIES]
    drawing.add(legend)
    drawing.add(String(2, height - 6, f.nfc("Số người"), fontName=SANS, fontSize=8))
    return drawing


def _target_table(stats: Statistics) -> Table:
    s = st.styles()
    pct = stats.targets[0].target_percent if stats.targets else TARGET_LOW_PERCENT
    pct_text = f"{pct:g}".replace(".", ",")
    head = [
        "Năm",
        "Đảng viên đầu năm",
        "Kết nạp mới (trong + ngoài danh sách)",
        "Tỷ lệ",
        f"Cần ({TARGET_LOW_PERCENT:g}%)",
        f"Cần ({TARGET_HIGH_PERCENT:g}%)",
        f"Chỉ tiêu ({pct_text}%)",
        "Đánh giá",
    ]
    rows: list[list[object]] = [[f.para(h, s.head_cell) for h in head]]
    for t in stats.targets:
        verdict = "Chưa đủ số liệu" if t.reached is None else ("Đạt" if t.reached else "Chưa đạt")
        outside = "chưa nhập" if t.outside_admitted is None else str(t.outside_admitted)
        rows.append(
            [
                str(t.year),
                "chưa nhập" if t.party_members is None else str(t.party_members),
                f"{t.admitted} + {outside}",
                percent(None if t.percent is None else t.percent / 100, 2),
                "—" if t.low is None else str(t.low),
                "—" if t.high is None else str(t.high),
                "—" if t.target is None else str(t.target),
                verdict,
            ]
        )
    table = Table(
        rows,
        colWidths=[18 * mm, 22 * mm, 20 * mm, 20 * mm, 20 * mm, 20 * mm, 24 * mm, 26 * mm],
        repeatRows=1,
    )
    table.setStyle(TableStyle([*st.grid_style(), *st.plain_cells()]))
    return table


def statistics_story(stats: Statistics, settings: Settings, today: date) -> list[Flowable]:
    s = st.styles()
    years = stats.years
    period = f"năm {years[0]}" if len(years) == 1 else f"từ năm {years[0]} đến năm {years[-1]}"
    story: list[Flowable] = [
        f.letterhead(f.Letterhead.PARTY, settings, today),
        Spacer(1, 5 * mm),
        f.para(TITLE, s.title),
        f.para(f"Từ nguồn đoàn viên ưu tú, {period}", s.subtitle),
        *(
            f.para(DEFINITIONS[k], s.small)
            for k in (
                "introduced",
                "course",
                "admitted",
                "admitted_per_introduced",
                "admitted_per_course",
                "students",
            )
        ),
        Spacer(1, 2 * mm),
        f.para("1. Kết quả theo năm và loại đơn vị", s.heading),
        _figures_table(stats),
        KeepTogether([f.para("2. Biểu đồ", s.heading), chart(stats)]),
        KeepTogether(
            [
                f.para("3. Kết nạp đảng viên mới so với chỉ tiêu 3–4% mỗi năm", s.heading),
                _target_table(stats),
            ]
        ),
    ]
    story.append(f.para(DEFINITIONS["target"], s.small))
    story += [
        Spacer(1, 5 * mm),
        f.signatures([(["NGƯỜI LẬP BÁO CÁO"], ""), f.party_signature(settings)]),
    ]
    return story


def report_years(stats_years: Sequence[int], year: int | None, today: date) -> tuple[int, ...]:
    """The years a report shows: the chosen one, else the last few, without holes."""
    if year is not None:
        return (year,)
    if not stats_years:
        return (today.year,)
    last = stats_years[-1]
    return tuple(range(max(stats_years[0], last - MAX_YEARS + 1), last + 1))


def write_statistics(
    store: Store,
    out: Path,
    year: int | None = None,
    today: date | None = None,
    *,
    overwrite: bool = False,
) -> int:
    """The statistics report; returns the page count."""
    today = today or date.today()
    settings = store.settings.get()
    years = report_years(store.statistics.compute().years, year, today)
    stats = store.statistics.compute(years)
    return f.write_pdf(
        out,
        statistics_story(stats, settings, today),
        TITLE.capitalize(),
        settings.party_committee,
        overwrite=overwrite,
    )
