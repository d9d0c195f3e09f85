"""Statistics report (báo cáo kết quả phát triển đảng viên) with a bar chart.

A Party report (Hướng dẫn 36-HD/VPTW): "Số …-BC/ĐU", the definitions the
figures follow printed with them (domain/statistics.py: period counts of
4-KNĐ, CN-NTVĐ and 9-KNĐ dated in the period), the figures per year and unit
kind, the students' share, a chart that reads in black and white (three
distinct greys, each bar labelled with its value, round axis steps) with the
yearly admission target drawn, the progress against the 3–4% target from the
figures the officer entered (missing stays missing), then "Nơi nhận" and the
signature.

The layout reads only a `StatisticsReport`: a small object of already
computed figures and their definitions. `from_statistics` builds one from
the domain's `Statistics`; the services layer may build one from its own
figures (issue #11) without touching the layout.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
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
from dvdesk.reports import sources
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import BOLD, ITALIC, REGULAR, nfc, register_fonts
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

TITLE = "BÁO CÁO"
SUMMARY = "kết quả phát triển đảng viên từ nguồn đoàn viên ưu tú"
TYPE_CODE = "BC"
MAX_YEARS = 6  # the chart stays readable
# Three greys far apart, so they stay apart on any printer or photocopy.
SERIES = (
    ("introduced", "Được giới thiệu", colors.white),
    ("course", "Học lớp nhận thức về Đảng", colors.Color(0.62, 0.62, 0.62)),
    ("admitted", "Được kết nạp", colors.black),
)


def definitions_of() -> tuple[tuple[str, str], ...]:
    """The definitions to print, as (term, text): the domain's own sentences
    (domain/statistics.py, the same the window and `dvdesk stats` show), a
    short term before the first ": " in bold."""
    out = []
    for sentence in DEFINITIONS.values():
        term, colon, text = sentence.partition(": ")
        named = colon and len(term) <= 40 and "=" not in term  # "Được kết nạp: …"
        out.append((term, text) if named else ("", sentence))
    return tuple(out)


@dataclass(frozen=True)
class FigureRow:
    """One line of the figures table."""

    period: str  # "2025" or "2020–2025"
    kind: str  # "Khu dân cư", "Trường THPT", "Cộng"
    introduced: int
    course: int
    admitted: int
    admitted_per_introduced: float | None
    admitted_per_course: float | None
    total: bool = False  # the sum line, in bold


@dataclass(frozen=True)
class TargetRow:
    """A year's new members against the target; None where it cannot be computed."""

    year: int
    party_members: int | None  # the đảng bộ's members the percentage is of
    admitted: int  # admitted from the Youth Union source (the file's records)
    low: int | None  # needed for 3%
    high: int | None  # needed for 4%
    target: int | None  # needed for the office's own target
    reached: bool | None
    outside_admitted: int | None = None  # admitted from other sources, when entered


@dataclass(frozen=True)
class ShareRow:
    """Students' (THPT) share of a period's figures."""

    period: str
    of_introduced: float | None
    of_admitted: float | None


@dataclass(frozen=True)
class StatisticsReport:
    """Everything the report prints, already computed."""

    years: tuple[int, ...]
    definitions: tuple[tuple[str, str], ...]
    figures: tuple[FigureRow, ...]
    chart: tuple[tuple[int, int, int, int], ...]  # (year, introduced, course, admitted)
    targets: tuple[TargetRow, ...]
    target_percent: float
    notes: tuple[str, ...] = ()
    shares: tuple[ShareRow, ...] = ()

    @property
    def period(self) -> str:
        if len(self.years) == 1:
            return f"năm {self.years[0]}"
        return f"từ năm {self.years[0]} đến năm {self.years[-1]}"


def percent(value: float | None, digits: int = 1) -> str:
    """Vietnamese style: a decimal comma, "—" when there is nothing to divide."""
    return "—" if value is None else f"{value * 100:.{digits}f}".replace(".", ",") + "%"


def _kind_label(kind: UnitKind | None) -> str:
    return "Cộng" if kind is None else UNIT_KIND_LABELS[kind]


def _row(period: str, r: YearFigures) -> FigureRow:
    return FigureRow(
        period,
        _kind_label(r.kind),
        r.introduced,
        r.course,
        r.admitted,
        r.admitted_per_introduced,
        r.admitted_per_course,
        total=r.kind is None,
    )


def from_statistics(stats: Statistics, settings: Settings) -> StatisticsReport:
    """The report's figures from the domain's statistics and the office's settings."""
    figures = [_row(str(y), stats.row(y, k)) for y in stats.years for k in (*UnitKind, None)]
    if len(stats.years) > 1:
        span = f"{stats.years[0]}–{stats.years[-1]}"
        figures += [_row(span, stats.span(k)) for k in (*UnitKind, None)]
    chart = tuple(
        (y, t.introduced, t.course, t.admitted) for y in stats.years for t in [stats.row(y, None)]
    )
    targets = []
    missing = []
    for t in stats.targets:
        # The officer enters the đảng bộ's members at the start of the year and the
        # admissions from outside the tracked lists (domain/statistics.py); a year
        # without them is shown as missing, never guessed.
        members = t.party_members or None
        known = members is not None
        if not known or t.outside_admitted is None:
            missing.append(t.year)
        targets.append(
            TargetRow(
                t.year,
                members,
                t.admitted,
                t.low if known else None,
                t.high if known else None,
                t.target if known else None,
                t.reached if known else None,
                t.outside_admitted,
            )
        )
    shares = []
    periods = [(str(y), stats.row(y, UnitKind.SCHOOL), stats.row(y, None)) for y in stats.years]
    if len(stats.years) > 1:
        span = f"{stats.years[0]}–{stats.years[-1]}"
        periods.append((span, stats.span(UnitKind.SCHOOL), stats.span(None)))
    for period, school, total in periods:
        shares.append(
            ShareRow(
                period,
                school.introduced / total.introduced if total.introduced else None,
                school.admitted / total.admitted if total.admitted else None,
            )
        )
    notes: tuple[str, ...] = ()
    if missing:
        years = ", ".join(str(y) for y in missing)
        notes = (
            f"Năm {years}: chưa nhập số đảng viên của đảng bộ đầu năm hoặc số kết nạp "
            "ngoài danh sách đoàn viên, nên chưa tính được tỷ lệ so với chỉ tiêu.",
        )
    return StatisticsReport(
        stats.years,
        definitions_of(),
        tuple(figures),
        chart,
        tuple(targets),
        settings.target_percent,
        notes,
        tuple(shares),
    )


def _figures_table(report: StatisticsReport) -> Table:
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
    start = 1
    for i, r in enumerate(report.figures):
        rows.append(
            [
                r.period,
                r.kind,
                str(r.introduced),
                str(r.course),
                str(r.admitted),
                percent(r.admitted_per_introduced),
                percent(r.admitted_per_course),
            ]
        )
        n = len(rows) - 1
        if r.total:
            style.append(("FONT", (1, n), (-1, n), BOLD, st.TABLE_SIZE, st.TABLE_LEADING))
        last = i + 1 == len(report.figures) or report.figures[i + 1].period != r.period
        if last:  # one period cell spanning its lines
            style += [("SPAN", (0, start), (0, n)), ("VALIGN", (0, start), (0, n), "MIDDLE")]
            if "–" in r.period:
                style.append(("BACKGROUND", (0, start), (-1, n), colors.HexColor("#F2F2F2")))
            start = n + 1
    widths = [20 * mm, 27 * mm, 22 * mm, 24 * mm, 20 * mm, 26 * mm, 26 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def axis_step(top: float, ticks: int = 5) -> int:
    """A round step (1, 2, 5 × 10ⁿ) giving at most `ticks` intervals up to `top`."""
    top = max(top, 1)
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        step = max(1, int(factor * power))
        if top / step <= ticks:
            return step
    return int(10 * power)


YEAR_SLOT = 40 * mm
NO_TARGET = "Chưa vẽ chỉ tiêu kết nạp: chưa nhập số đảng viên của đảng bộ đầu năm."


def chart(report: StatisticsReport, width: float = 160 * mm, height: float = 75 * mm) -> Drawing:
    """Grouped bars per year (all units), each labelled; the year's target as a dashed bar."""
    register_fonts()  # the legend is measured in the document face
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR  # the renderer starts from Helvetica otherwise
    bars = VerticalBarChart()
    bars.x, bars.y = 14 * mm, 20 * mm
    # A year's group no wider than YEAR_SLOT: one year's three bars spread across the
    # whole chart (a 4 cm black block) on a one-year report.
    years = max(1, len(report.chart))
    bars.width, bars.height = min(width - 18 * mm, years * YEAR_SLOT), height - 28 * mm
    bars.data = [[row[i + 1] for row in report.chart] for i in range(len(SERIES))]
    bars.categoryAxis.categoryNames = [str(row[0]) for row in report.chart]
    for labels in (bars.categoryAxis.labels, bars.valueAxis.labels):
        labels.fontName, labels.fontSize = REGULAR, 11
    targets = {t.year: t.target for t in report.targets if t.target is not None}
    top = max([v for series in bars.data for v in series] + list(targets.values()) + [1])
    step = axis_step(top * 1.1)
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueStep = step
    bars.valueAxis.valueMax = step * math.ceil(top * 1.1 / step)
    bars.valueAxis.labelTextFormat = "%d"
    bars.groupSpacing, bars.barSpacing = 10, 1
    for i, (_, _, fill) in enumerate(SERIES):
        bars.bars[i].fillColor = fill
        bars.bars[i].strokeColor = colors.black
        bars.bars[i].strokeWidth = 0.8
    bars.barLabelFormat = "%d"
    bars.barLabels.fontName, bars.barLabels.fontSize = REGULAR, 10
    bars.barLabels.nudge = 7
    drawing.add(bars)
    # The admission target of each year: a dashed line across the year's group.
    n = max(1, len(report.chart))
    slot = bars.width / n
    scale = bars.height / bars.valueAxis.valueMax
    for i, (year, *_rest) in enumerate(report.chart):
        if year in targets:
            y = bars.y + targets[year] * scale
            x0 = bars.x + i * slot + 3
            drawing.add(Line(x0, y, x0 + slot - 6, y, strokeWidth=1.6, strokeDashArray=[4, 2]))
    # The legend: a swatch of each grey with its name, and the target's dash.
    x, y = 14 * mm, 6 * mm
    for _, label, fill in SERIES:
        drawing.add(Rect(x, y, 8, 8, fillColor=fill, strokeColor=colors.black, strokeWidth=0.8))
        text = nfc(label)
        drawing.add(String(x + 11, y + 1, text, fontName=REGULAR, fontSize=10))
        x += 15 + _width(text, 10)
    if targets:
        drawing.add(Line(x, y + 4, x + 14, y + 4, strokeWidth=1.6, strokeDashArray=[4, 2]))
        label = nfc(f"Chỉ tiêu kết nạp ({_pct(report.target_percent)})")
        drawing.add(String(x + 17, y + 1, label, fontName=REGULAR, fontSize=10))
    drawing.add(String(0, height - 8, nfc("Số người"), fontName=REGULAR, fontSize=11))
    if not targets:  # say why, rather than leave the reader looking for the line
        drawing.add(String(22 * mm, height - 8, nfc(NO_TARGET), fontName=ITALIC, fontSize=10))
    return drawing


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, REGULAR, size))


def _pct(value: float) -> str:
    return f"{value:g}".replace(".", ",") + "%"


def _target_table(report: StatisticsReport) -> Table:
    s = st.styles()
    own = report.target_percent not in (TARGET_LOW_PERCENT, TARGET_HIGH_PERCENT)
    head = [
        "Năm",
        "Đảng viên đầu năm",
        "Kết nạp mới (trong + ngoài danh sách)",
        "Tỷ lệ",
        f"Cần kết nạp ({_pct(TARGET_LOW_PERCENT)})",
        f"Cần kết nạp ({_pct(TARGET_HIGH_PERCENT)})",
    ]
    if own:
        head.append(f"Chỉ tiêu ({_pct(report.target_percent)})")
    head.append(f"Đánh giá (chỉ tiêu {_pct(report.target_percent)})")
    rows: list[list[object]] = [[f.para(h, s.head_cell) for h in head]]

    def num(v: int | None) -> str:
        return "—" if v is None else str(v)

    for t in report.targets:
        # The year's rate needs both entered figures (domain TargetProgress.percent).
        ratio = None
        if t.party_members and t.outside_admitted is not None:
            ratio = (t.admitted + t.outside_admitted) / t.party_members
        outside = "chưa nhập" if t.outside_admitted is None else str(t.outside_admitted)
        new = f"{t.admitted} + {outside}"
        line: list[object] = [
            str(t.year),
            "chưa nhập" if t.party_members is None else str(t.party_members),
            f.para(new, s.cell_center),  # "12 + chưa nhập" wraps inside its cell
            percent(ratio, 2),
            num(t.low),
            num(t.high),
        ]
        if own:
            line.append(num(t.target))
        verdict = "Chưa đủ số liệu" if t.reached is None else ("Đạt" if t.reached else "Chưa đạt")
        line.append(f.para(verdict, s.cell_center))
        rows.append(line)
    width = st.FRAME_WIDTH / len(head)
    table = Table(rows, colWidths=[width] * len(head), repeatRows=1)
    table.setStyle(TableStyle([*st.grid_style(), *st.plain_cells()]))
    return table


def _shares_table(report: StatisticsReport) -> Table:
    s = st.styles()
    head = ["Năm", "Trong số được giới thiệu", "Trong số được kết nạp"]
    rows: list[list[object]] = [[f.para(h, s.head_cell) for h in head]]
    for r in report.shares:
        rows.append([r.period, percent(r.of_introduced), percent(r.of_admitted)])
    table = Table(rows, colWidths=[30 * mm, 50 * mm, 50 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*st.grid_style(), *st.plain_cells()]))
    return table


RECIPIENTS = ("- Cấp ủy cấp trên (để báo cáo);", "- Lưu Văn phòng Đảng ủy.")


def statistics_story(
    report: StatisticsReport, settings: Settings, today: date, number: str = ""
) -> list[Flowable]:
    s = st.styles()
    story: list[Flowable] = [
        f.letterhead(f.Letterhead.PARTY, settings, today, TYPE_CODE, number),
        Spacer(1, 6 * mm),
        f.para(TITLE, s.title),
        f.balanced(f"{SUMMARY}, {report.period}", s.subtitle),
        f.para("Cách tính các số liệu trong báo cáo:", s.body),
        *(
            f.markup(
                f"- <b>{f.escape_text(term)}</b>: {f.escape_text(text)}"
                if term
                else f"- {f.escape_text(text)}",
                s.note,
            )
            for term, text in report.definitions
        ),
        f.para("1. Kết quả theo năm và loại đơn vị", s.heading),
        _figures_table(report),
    ]
    # Every section numbered in turn (the students' share was the one heading without).
    section = 1
    if report.shares:
        section += 1
        story.append(
            KeepTogether(
                [
                    f.para(f"{section}. Tỷ lệ học sinh trường THPT", s.heading),
                    _shares_table(report),
                ]
            )
        )
    chart_heading = f"{section + 1}. Biểu đồ (toàn đảng bộ)"
    story.append(KeepTogether([f.para(chart_heading, s.heading), chart(report)]))
    last: list[Flowable] = [
        f.para(f"{section + 2}. Kết nạp đảng viên mới so với chỉ tiêu 3–4% mỗi năm", s.heading),
        _target_table(report),
        *(f.para(note, s.note) for note in report.notes),
        Spacer(1, 4 * mm),
    ]
    story.append(f.closing(last, f.signatures([f.party_signer(settings)], RECIPIENTS)))
    return story


def report_years(stats_years: Sequence[int], year: int | None, today: date) -> tuple[int, ...]:
    """The years a report shows: the chosen one, else the last few, without holes."""
    if year is not None:
        return (year,)
    if not stats_years:
        return (today.year,)
    last = stats_years[-1]
    return tuple(range(max(stats_years[0], last - MAX_YEARS + 1), last + 1))


def write_report(
    report: StatisticsReport,
    settings: Settings,
    out: Path,
    today: date,
    number: str = "",
    *,
    overwrite: bool = False,
) -> int:
    """Print an already computed report; returns the page count."""
    title = f"{f.document_title(TITLE)} {SUMMARY}, {report.period}"
    story = statistics_story(report, settings, today, number)
    return f.write_pdf(out, story, title, settings.party_committee, overwrite=overwrite)


def write_statistics(
    store: Store,
    out: Path,
    year: int | None = None,
    today: date | None = None,
    number: str = "",
    *,
    overwrite: bool = False,
) -> int:
    """The statistics report from the store's figures; returns the page count."""
    today = today or date.today()
    settings = sources.settings_of(store)
    stats = sources.statistics_of(store, None)
    years = report_years(stats.years, year, today)
    report = from_statistics(sources.statistics_of(store, years), settings)
    return write_report(report, settings, out, today, number, overwrite=overwrite)
