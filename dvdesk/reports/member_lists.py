"""Printed lists: the preset views (members eligible on a consideration date, those who
soon will be, and every other view), on paper.

Youth Union documents (Hướng dẫn 29-HD/TWĐTN-VP: "Số …-DS/ĐTN", signed
"TM. BAN CHẤP HÀNH ĐOÀN XÃ …" / "BÍ THƯ", with "Người lập biểu"). Grouped by
unit in the units' order, members in roster order within each unit.

Who is on a list is decided once, in store/views.py: the printed list, the
window's count and `dvdesk list --eligible-on/--view` read the same view
through the same rows (domain/listing.py), so they agree (tests/services).
People already admitted (dự bị, chính thức) or gone are left out: these
lists are for finding whom to consider next. On a list chosen by age,
members whose date of birth is partial and who may be on it (some possible
birthday makes them so) come after, in their own section "chưa rõ ngày sinh
đầy đủ", with the statuses still possible and the range of days they turn
18: never left off. A student who graduates before turning 18 is noted,
since their introduction must be transferred (chuyển nguồn).

Rows stream from the store unit by unit into a `RowTable`, so a
200,000-member list takes time linear in its length and bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from dvdesk.domain.dates import add_months, fmt, parse_date
from dvdesk.domain.eligibility import STATUS_LABELS, Method, Status
from dvdesk.domain.listing import ListRow
from dvdesk.domain.member import PRESENCE_LABELS, Presence, Unit
from dvdesk.domain.procedure import STAGE_LABELS
from dvdesk.reports import furniture as f
from dvdesk.reports import sources
from dvdesk.reports import styles as st
from dvdesk.reports.fonts import missing_glyphs
from dvdesk.reports.progress import Cancel, Progress, Tracker
from dvdesk.reports.row_table import Column, RowTable, Section
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.settings import Settings
from dvdesk.store.views import View

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

METHOD_LABELS = {
    Method.COMPLETED: "tháng tròn, tính cả ngày",
    Method.CALENDAR: "hiệu số tháng, bỏ qua ngày",
}
LIST_CODE = "DS"  # danh sách, in the number line
WHO = "chưa vào Đảng, chưa chuyển đi hay ra khỏi Đoàn"  # the views' eligible_query filter
PARTIAL_HEADING = "II. Đoàn viên chưa rõ ngày sinh đầy đủ"


def _age(row: dict[str, Any]) -> str:
    k = row["age_months"]
    return "" if k is None else f"{k // 12} tuổi {k % 12} tháng"


_AT_HOME = Presence.AT_HOME.value
_PRESENCES = {presence.value: label for presence, label in PRESENCE_LABELS.items()}


def _note(row: dict[str, Any]) -> str:
    notes = row["notes"]
    if row["presence"] != _AT_HOME:
        notes = [_PRESENCES[row["presence"]], *notes]
    if len(notes) < 2:
        return notes[0] if notes else ""
    # Sentences joined by "; " lose their full stops but the last ("… tuổi.; Chưa …").
    return "; ".join([*(n.rstrip(".") for n in notes[:-1]), notes[-1]])


_GENDERS = {"nam": "Nam", "nu": "Nữ"}
# The cells' texts are worked out once per distinct value: a 200,000-member list
# repeats the same dates of birth and stages thousands of times.
_STAGES = {stage.value: label for stage, label in STAGE_LABELS.items()}


def _gender(row: dict[str, Any]) -> str:
    return _GENDERS.get(row["gender"] or "", "")


@lru_cache(maxsize=1 << 15)
def _dob_text(dob: str | None) -> str:
    parsed = parse_date(dob) if dob else None
    return parsed.vi() if parsed else "chưa có"


def _dob(row: dict[str, Any]) -> str:
    return _dob_text(row["dob"])


def _month(row: dict[str, Any]) -> str:
    return f"{row['eligible_from']:%m/%Y}" if row["eligible_from"] else ""


NAME = Column("Họ và tên", 38 * mm, lambda r: r["full_name"])
DOB = Column("Ngày sinh", 20 * mm, _dob, center=True)
GENDER = Column("Giới tính", 10 * mm, _gender, center=True)
CLASS = Column("Lớp", 13 * mm, lambda r: r["school_class"] or "", center=True)
STAGE = Column("Giai đoạn", 19 * mm, lambda r: _STAGES[r["stage"]])

# Each set adds up to the frame's 165 mm with the 14 mm "TT" column.
ELIGIBLE_COLUMNS = (
    NAME,
    DOB,
    GENDER,
    CLASS,
    Column("Tuổi tại ngày xét", 28 * mm, _age, center=True),
    STAGE,
    Column("Ghi chú", 23 * mm, _note),
)
UPCOMING_COLUMNS = (
    Column("Họ và tên", 42 * mm, lambda r: r["full_name"]),
    DOB,
    GENDER,
    CLASS,
    Column("Đủ 18 tuổi từ ngày", 20 * mm, lambda r: fmt(r["eligible_from"]), center=True),
    Column("Tháng đủ tuổi", 16 * mm, _month, center=True),
    Column("Ghi chú", 30 * mm, _note),
)


def _possible(row: dict[str, Any]) -> str:
    """The statuses a partial date of birth still allows on the date (the view's row)."""
    if row["status"] != Status.UNKNOWN.value:
        return STATUS_LABELS[Status(row["status"])]
    possible = row["possible_statuses"] or ()
    if not possible:
        return "Chưa xét được"
    # "Chưa đủ 18 tuổi hoặc đủ tuổi": one of them, not both ("…; Đủ tuổi" read as a list).
    labels = [STATUS_LABELS[Status(s)] for s in possible]
    return " hoặc ".join([labels[0], *(x[:1].lower() + x[1:] for x in labels[1:])])


def _range(row: dict[str, Any]) -> str:
    lo, hi = row["eligible_from_earliest"], row["eligible_from_latest"]
    if not lo or not hi:
        return "Chưa có ngày sinh"
    lo, hi = date.fromisoformat(lo), date.fromisoformat(hi)
    return f"ngày {fmt(lo)}" if lo == hi else f"từ {fmt(lo)} đến {fmt(hi)}"


def _place(row: dict[str, Any]) -> str:
    """The unit, after its commune at the receiving level (unit names repeat across communes)."""
    commune = row.get("commune_name") or ""
    return f"{commune} — {row['unit_name']}" if commune else row["unit_name"]


PARTIAL_COLUMNS = (
    Column("Họ và tên", 40 * mm, lambda r: r["full_name"]),
    Column("Đơn vị", 30 * mm, _place),
    Column("Ngày sinh đã biết", 20 * mm, _dob, center=True),
    Column("Tại ngày xét có thể là", 28 * mm, _possible),
    Column("Đủ 18 tuổi trong khoảng", 33 * mm, _range, center=True),
)


@dataclass(frozen=True)
class ListSpec:
    """What a list shows, and how its rows are turned into cells."""

    title: str
    subtitle: str
    columns: Sequence[Column]
    on: date  # the consideration date (eligible) or the start of the window (upcoming)
    method: Method
    near_limit: bool  # flag members near the age threshold
    empty_reason: str  # why the list is empty, when it is
    more_notes: Callable[[ListRow], list[str]] | None = None  # e.g. what a record lacks


def enrich(row: ListRow, spec: ListSpec, settings: Settings) -> dict[str, Any]:
    """A view's row as printed: its first eligible day as a date, and the notes a reader needs."""
    start = row.eligible_from or row.eligible_from_latest
    eligible_from = date.fromisoformat(start) if start else None
    notes = ["Sát ngưỡng tuổi — kiểm tra lại"] if spec.near_limit and row.near_limit else []
    if row.note:
        notes.append(row.note)  # the view's own (the graduating students')
    elif row.graduation_year and eligible_from and row.unit_kind == "school":
        month, day = (int(x) for x in settings.school_year_end.split("-"))
        graduates = date(row.graduation_year, month, day)
        if eligible_from > graduates:
            # Printed after the school year's end, the graduation is past.
            done = "Đã tốt nghiệp" if graduates < spec.on else "Tốt nghiệp"
            notes.append(f"{done} ({fmt(graduates)}) khi chưa đủ 18 tuổi: chuyển nguồn")
    if spec.more_notes is not None:
        notes += spec.more_notes(row)
    return row._asdict() | {"eligible_from": eligible_from, "notes": notes}


def _sections(
    store: Store,
    survey: sources.Survey,
    query: MemberQuery,
    spec: ListSpec,
    settings: Settings,
    graduation: date | None,
) -> Iterator[Section]:
    for number, (unit, count) in enumerate(survey.units, 1):
        rows = (
            enrich(r, spec, settings)
            for r in sources.unit_rows(store, query, unit, spec.on, graduation)
            if not (survey.by_age and r.partial)
        )
        # At the receiving level each unit is headed with its commune (sources.CommuneUnit).
        commune = getattr(unit, "commune_name", "") or getattr(unit, "commune_code", "")
        name = f"{commune} — {unit.name}" if commune else unit.name
        yield Section(
            f"{number}. {name} ({unit.code}) — {f.count(count)} đoàn viên",
            f"{number}. {name} ({unit.code}) (tiếp theo)",
            rows,
        )


def _month_summary(survey: sources.Survey) -> list[Flowable]:
    s = st.styles()
    rows: list[list[object]] = [
        [f.para("Tháng đủ 18 tuổi", s.head_cell), f.para("Số đoàn viên", s.head_cell)]
    ]
    for (year, month), n in sorted(survey.months.items()):
        rows.append([f"{month:02d}/{year}", str(n)])
    table = Table(rows, colWidths=[45 * mm, 35 * mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([*st.grid_style(), *st.plain_cells()]))
    return [f.para("Tổng hợp theo tháng đủ 18 tuổi", s.heading), table]


def _build(
    store: Store,
    settings: Settings,
    query: MemberQuery,
    spec: ListSpec,
    units: list[Unit],
    today: date,
    number: str,
    tracker_args: tuple[Progress | None, Cancel | None],
    by_age: bool = True,
    months_summary: bool = False,
    graduation: date | None = None,
) -> tuple[list[Flowable], Tracker]:
    """The list's story. `by_age`: the view selects by age, so members whose date
    of birth is partial (who may be on it) get section II."""
    s = st.styles()
    survey = sources.survey(store, query, spec.on, units, by_age, graduation)
    # At the receiving level without --commune each partial row names its commune.
    communes = {
        u.commune_code: u.commune_name or u.commune_code
        for u in units
        if isinstance(u, sources.CommuneUnit)
    }
    partial = [
        enrich(r, spec, settings) | {"commune_name": communes.get(r.commune_code, "")}
        for r in survey.partial
    ]
    total = survey.total
    tracker = Tracker(total, *tracker_args)
    story: list[Flowable] = [
        f.letterhead(f.Letterhead.UNION, settings, today, LIST_CODE, number),
        Spacer(1, 6 * mm),
        f.balanced(spec.title, s.title),
        f.para(spec.subtitle, s.centred_note),
    ]
    signature = f.signatures([f.maker("NGƯỜI LẬP BIỂU"), f.union_signer(settings)])
    # The total is the view's count (what the window shows), partial dates included.
    summary = f"Tổng cộng: {f.count(total)} đoàn viên."
    if partial:
        summary += f" Trong đó {f.count(len(partial))} đoàn viên chưa rõ ngày sinh đầy đủ (mục II)."
    tail: list[Flowable] = [Spacer(1, 2 * mm), f.para(summary, s.body), signature]
    # The tail goes with the last table, or after the month summary when there is one.
    closing_in_table = not (months_summary and survey.months)
    if partial:
        story.append(f.para("I. Đoàn viên có đủ ngày sinh", s.heading))
    if survey.units:
        last_tail = tail if closing_in_table and not partial else []
        sections = _sections(store, survey, query, spec, settings, graduation)
        story.append(RowTable(spec.columns, sections, last_tail, tracker))
    elif partial:
        story.append(f.para("Không có.", s.body))
    else:
        story.append(f.para(spec.empty_reason, s.body_justified))
    if partial:
        note = (
            "Ngày sinh chỉ có năm, hoặc tháng và năm: chưa xác định được đủ tuổi hay chưa. "
            "Những người dưới đây có thể thuộc danh sách; cần bổ sung ngày sinh đầy đủ "
            "trước khi xét. Người chưa có ngày sinh không xét được tuổi: xem danh sách "
            "“Hồ sơ thiếu hoặc cần kiểm tra”."
        )
        section = Section(
            f"{PARTIAL_HEADING} — {f.count(len(partial))} người",
            f"{PARTIAL_HEADING} (tiếp theo)",
            partial,
            note,
        )
        story.append(
            RowTable(PARTIAL_COLUMNS, [section], tail if closing_in_table else [], tracker)
        )
    if not closing_in_table:
        # The summary is short: heading, table, total and signature stay on one page.
        story.append(f.closing([*_month_summary(survey), *tail[:2]], signature))
    elif not survey.units and not partial:
        story.append(f.closing(tail[:2], signature))
    return story, tracker


def _scope(units: list[Unit], unit_code: str) -> str:
    if unit_code:
        return f"của {units[0].name} ({units[0].code})"
    return f"của {len(units)} đơn vị"


def _of_commune(store: Store, commune_code: str | None) -> str:
    """The subtitle's commune at the receiving level ('' for a commune's own file)."""
    if commune_code is None:
        return ""
    names = {r["commune_code"]: r["commune_name"] for r in store.received.all()}
    if commune_code not in names and commune_code != store.settings.get().commune_code:
        from dvdesk.errors import KnownError

        raise KnownError(f"Không có dữ liệu của xã/phường mã “{commune_code}” trong tệp này.")
    return f". {names.get(commune_code) or store.settings.get().commune_name} (mã {commune_code})"


def _write(
    out: Path,
    built: tuple[list[Flowable], Tracker],
    spec: ListSpec,
    settings: Settings,
    overwrite: bool,
) -> int:
    """Write a built list to `out` (its author: the Youth Union); the page count."""
    story, tracker = built
    return f.write_pdf(
        out,
        story,
        f.document_title(spec.title),
        settings.youth_union,
        tracker,
        overwrite=overwrite,
    )


def write_eligible_list(
    store: Store,
    on: date,
    out: Path,
    unit_code: str = "",
    today: date | None = None,
    *,
    number: str = "",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    overwrite: bool = False,
    commune_code: str | None = None,
) -> int:
    """Members eligible on the consideration date `on` (the "eligible" view); the page count.

    `commune_code`: at the receiving level, one commune's members only.
    """
    today = today or date.today()
    settings = sources.settings_of(store)
    units = sources.units_of(store, unit_code, commune_code)
    method = settings.method
    query = sources.eligible_query(on, settings, unit_code, commune_code)
    rule = f"đủ 18 tuổi đến đủ 60 tuổi, tính theo tháng ({METHOD_LABELS[method]})"
    spec = ListSpec(
        "DANH SÁCH ĐOÀN VIÊN ĐỦ TUỔI XEM XÉT KẾT NẠP ĐẢNG",
        f"Tại ngày chi bộ họp xét {fmt(on)}: {rule}; {WHO}" + _of_commune(store, commune_code),
        ELIGIBLE_COLUMNS,
        on,
        method,
        True,
        f"Không có đoàn viên nào {rule} tại ngày {fmt(on)} trong số đoàn viên {WHO} "
        f"{_scope(units, unit_code)}.",
    )
    built = _build(store, settings, query, spec, units, today, number, (progress, cancel))
    return _write(out, built, spec, settings, overwrite)


def write_upcoming_list(
    store: Store,
    months: int,
    out: Path,
    on: date | None = None,
    unit_code: str = "",
    today: date | None = None,
    *,
    number: str = "",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    overwrite: bool = False,
    commune_code: str | None = None,
) -> int:
    """Members turning 18 (by month count) in the `months` after `on`; the page count."""
    today = today or date.today()
    on = on or today
    settings = sources.settings_of(store)
    units = sources.units_of(store, unit_code, commune_code)
    method = settings.method
    query = sources.upcoming_query(on, months, settings, unit_code, commune_code)
    end = add_months(on, months)
    window = f"sau ngày {fmt(on)} đến hết ngày {fmt(end)}"
    spec = ListSpec(
        f"DANH SÁCH ĐOÀN VIÊN SẼ ĐỦ 18 TUỔI TRONG {months} THÁNG TỚI",
        f"Đủ 18 tuổi {window}, tính theo tháng ({METHOD_LABELS[method]}); {WHO}"
        + _of_commune(store, commune_code),
        UPCOMING_COLUMNS,
        on,
        method,
        False,
        f"Không có đoàn viên nào {WHO} {_scope(units, unit_code)} đủ 18 tuổi "
        f"(tính theo tháng, {METHOD_LABELS[method]}) {window}.",
    )
    built = _build(
        store,
        settings,
        query,
        spec,
        units,
        today,
        number,
        (progress, cancel),
        months_summary=True,
    )
    return _write(out, built, spec, settings, overwrite)


# Titles as a trích yếu, not the window labels ("DANH SÁCH: ĐÃ XÓA (CÓ THỂ KHÔI PHỤC)").
_VIEW_TITLES = {
    "all": "DANH SÁCH ĐOÀN VIÊN",
    "problems": "DANH SÁCH ĐOÀN VIÊN CÓ HỒ SƠ THIẾU HOẶC CẦN KIỂM TRA",
    "deleted": "DANH SÁCH ĐOÀN VIÊN ĐÃ XÓA KHỎI SỔ THEO DÕI",
}
# What the window says to do ("chọn để khôi phục") means nothing on paper, and its
# trailing "…" ("vi phạm (⛔)…") reads there as a sentence cut off.
_VIEW_HINTS = {
    "deleted": "Những người đã xóa khỏi sổ theo dõi, còn khôi phục được.",
    "problems": "Thiếu ngày sinh đầy đủ, sai định dạng, quá tuổi Đoàn tại ngày xét, hồ sơ kết "
    "nạp vi phạm quy định hoặc cần kiểm tra.",
}


PROBLEM_COLUMNS = (
    NAME,
    DOB,
    GENDER,
    STAGE,
    Column("Cần bổ sung, kiểm tra", 64 * mm, _note),
)


def problems_of(store: Store, on: date) -> Callable[[ListRow], list[str]]:
    """What each member of the "problems" view lacks or breaks, as the form says it.

    A list of records to check that does not say what to check sent the
    office back to the window for every name. Only this view pays for it
    (one record read and validated a row).
    """

    def notes(row: ListRow) -> list[str]:
        report = store.members.validate(store.members.get(row.uid), on)
        found = list(dict.fromkeys(i.message for i in report.issues))
        return found or ["Hồ sơ kết nạp cần kiểm tra: xem phiếu theo dõi hồ sơ"]

    return notes


def view_title(view: View) -> str:
    """A preset view's list title: "DANH SÁCH ĐOÀN VIÊN ĐANG TRONG QUY TRÌNH KẾT NẠP"."""
    if view.key in _VIEW_TITLES:
        return _VIEW_TITLES[view.key]
    label = view.label.upper()
    return f"DANH SÁCH {label}" if label.startswith("HỌC SINH") else f"DANH SÁCH ĐOÀN VIÊN {label}"


def view_hint(view: View) -> str:
    """The view's one-line description as printed: without the window's signs (⛔),
    which the document face has no glyph for (they printed as "( )")."""
    text = _VIEW_HINTS.get(view.key, view.hint)
    for ch in missing_glyphs(text):
        text = text.replace(f" ({ch})", "").replace(ch, "")
    return " ".join(text.split())


def write_view_list(
    store: Store,
    view: View,
    on: date,
    out: Path,
    unit_code: str = "",
    today: date | None = None,
    *,
    number: str = "",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    overwrite: bool = False,
    commune_code: str | None = None,
) -> int:
    """Any preset view as a printed list (the members the window shows for it); page count."""
    today = today or date.today()
    settings = sources.settings_of(store)
    units = sources.units_of(store, unit_code, commune_code)
    query = replace(view.query, unit_code=unit_code) if unit_code else view.query
    if commune_code is not None:
        query = replace(query, commune_code=commune_code)
    spec = ListSpec(
        view_title(view),
        f"Tại ngày {fmt(on)}. {view_hint(view)}" + _of_commune(store, commune_code),
        PROBLEM_COLUMNS if view.key == "problems" else ELIGIBLE_COLUMNS,
        on,
        query.method,
        True,
        f"Không có đoàn viên nào thuộc “{view.label}” tại ngày {fmt(on)} "
        f"{_scope(units, unit_code)}.",
        more_notes=problems_of(store, on) if view.key == "problems" else None,
    )
    by_age = (
        query.eligible_on is not None
        or query.upcoming_months is not None
        or query.eligible_between is not None
    )
    built = _build(
        store,
        settings,
        query,
        spec,
        units,
        today,
        number,
        (progress, cancel),
        by_age=by_age,
        graduation=view.graduation,
    )
    return _write(out, built, spec, settings, overwrite)
