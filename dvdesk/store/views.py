"""The ready-made views an officer needs (danh sách theo yêu cầu): one definition each.

Each view is a `MemberQuery` built from the settings and the consideration
date. The window's counts, `dvdesk list --view`, the printed lists and the
exports all take the view from `preset_views` and read its members through
`view_rows` / `count`, so they cannot disagree (tests/services). The views
follow notes/domain.md §8 and the provincial directive's concerns (DESIGN.md):
find the sources early, follow students who graduate before being admitted,
keep track of people who work away.

"Eligible on a date" means: a Youth Union member, not already a Party member
(probationary or full), present or reachable (not moved away, not left the
Youth Union), who may be 18–60 by month on the date. A member with a partial
date of birth is in the view when some possible birthday makes them eligible;
their row says whether it is certain (status) and the range.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from dvdesk.domain.eligibility import Method
from dvdesk.domain.kinds import Presence, Stage, UnitKind
from dvdesk.domain.listing import SOURCE_COLUMNS, ListRow, RowMaker, json_object, with_commune
from dvdesk.store.member_query import MemberQuery, years_on
from dvdesk.store.settings import Settings

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

UPCOMING_MONTHS = 6
IN_PROCEDURE = (Stage.INTRODUCED, Stage.COURSE, Stage.DOSSIER, Stage.ADMISSION)
PARTY_MEMBERS = (Stage.PROBATION.value, Stage.FULL.value)  # already admitted
GONE = (Presence.MOVED.value, Presence.LEFT_UNION.value)  # no longer reachable here


@dataclass(frozen=True)
class View:
    key: str
    label: str
    hint: str  # one line saying what the view is for
    query: MemberQuery
    graduation: date | None = None  # the graduating-students view: the graduation day


def eligible_query(
    on: date, settings: Settings, unit_code: str = "", commune_code: str | None = None
) -> MemberQuery:
    """Who may be considered for admission on `on` (notes/domain.md §8)."""
    return MemberQuery(
        unit_code=unit_code,
        commune_code=commune_code,
        eligible_on=on,
        method=settings.method,
        not_stages=PARTY_MEMBERS,
        not_presences=GONE,
    )


def upcoming_query(
    on: date,
    months: int,
    settings: Settings,
    unit_code: str = "",
    commune_code: str | None = None,
) -> MemberQuery:
    """Too young on `on`, of age within `months` (by month): the sources to prepare."""
    return MemberQuery(
        unit_code=unit_code,
        commune_code=commune_code,
        upcoming_months=months,
        reference=on,
        method=settings.method,
        not_stages=PARTY_MEMBERS,
        not_presences=GONE,
    )


def preset_views(settings: Settings, on: date, months: int = UPCOMING_MONTHS) -> list[View]:
    """Every preset view for the consideration date `on`."""
    method = settings.method
    year_end = settings.school_year_end_after(on)
    return [
        View("all", "Tất cả đoàn viên", "Mọi đoàn viên đang quản lý.", MemberQuery(method=method)),
        View(
            "eligible",
            "Đủ tuổi vào Đảng tại ngày xét",
            "Đủ 18 đến đủ 60 tuổi (tính theo tháng) tại ngày chi bộ xét; chưa là đảng viên, "
            "chưa chuyển đi. Người chưa rõ ngày sinh đầy đủ có thể đủ tuổi được ghi riêng.",
            eligible_query(on, settings),
        ),
        View(
            "upcoming",
            f"Sẽ đủ 18 tuổi trong {months} tháng tới",
            "Chuẩn bị nguồn: bồi dưỡng, giới thiệu học lớp nhận thức về Đảng.",
            upcoming_query(on, months, settings),
        ),
        View(
            "turns_18_school_year",
            "Học sinh đủ 18 tuổi trước khi hết năm học",
            f"Có thể xét kết nạp trong năm học này (hết năm học {year_end:%d/%m/%Y}).",
            MemberQuery(
                unit_kind=UnitKind.SCHOOL.value,
                presences=(Presence.AT_HOME.value,),
                eligible_between=(on, year_end),
                method=method,
                not_stages=PARTY_MEMBERS,
            ),
        ),
        View(
            "graduating",
            "Học sinh lớp 12 tốt nghiệp khi chưa được kết nạp",
            f"Tốt nghiệp ngày {year_end:%d/%m/%Y}: người chưa đủ 18 tuổi, và người đủ tuổi "
            "mà chưa được kết nạp, phải chuyển giới thiệu cảm tình Đảng về nơi cư trú, "
            "học tập, làm việc mới.",
            MemberQuery(
                unit_kind=UnitKind.SCHOOL.value,
                graduation_year=year_end.year,
                stages=tuple(s.value for s in IN_PROCEDURE),
                not_presences=GONE,
                method=method,
            ),
            graduation=year_end,
        ),
        View(
            "in_procedure",
            "Đang trong quy trình kết nạp",
            "Đoàn viên ưu tú đã được giới thiệu, chưa có quyết định kết nạp.",
            MemberQuery(stages=tuple(s.value for s in IN_PROCEDURE), method=method),
        ),
        View(
            "away",
            "Đi làm ăn xa, đi nước ngoài",
            "Cần liên hệ để không mất nguồn khi họ đi khỏi địa phương.",
            MemberQuery(
                presences=(Presence.WORKING_AWAY.value, Presence.ABROAD.value), method=method
            ),
        ),
        View(
            "problems",
            "Hồ sơ thiếu hoặc cần kiểm tra",
            "Thiếu ngày sinh đầy đủ, sai định dạng, quá tuổi Đoàn tại ngày xét, hồ sơ kết nạp "
            "vi phạm (⛔)…",
            MemberQuery(has_issues=True, issues_on=on, method=method),
        ),
        View(
            "transfer_pending",
            "Đã chuyển đi — chờ nơi nhận xác nhận",
            "Đã gửi tệp chuyển nguồn (giới thiệu cảm tình Đảng) mà nơi nhận chưa gửi xác nhận: "
            "cần liên hệ theo dõi.",
            MemberQuery(transfer_pending=True, method=method),
        ),
        View(
            "deleted",
            "Đã xóa (có thể khôi phục)",
            "Những người đã xóa; chọn để khôi phục.",
            MemberQuery(deleted=True, method=method),
        ),
    ]


def views(settings: Settings, on: date, months: int = UPCOMING_MONTHS) -> list[View]:
    """The old name of `preset_views` (the window still imports it)."""
    return preset_views(settings, on, months)


UNITS_JOIN = "JOIN units u ON u.id = m.unit_id"


def view_rows(
    store: Store, query: MemberQuery, on: date, graduation: date | None = None
) -> Iterator[ListRow]:
    """The members of `query` as list rows on `on`, in roster order, streamed.

    One statement read through its cursor: memory does not grow with the
    number of rows. Consume it while the store is open.
    """
    where, params = query.where(fts_joined=True)
    sql = (
        f"SELECT {', '.join(SOURCE_COLUMNS)} {query.source(UNITS_JOIN)} "
        f"WHERE {where} ORDER BY m.name_sort, m.id"
    )
    make = RowMaker(on, query.method, graduation)
    conn = store._conn  # inside the store: the one guarded connection
    # Every fetch runs inside the guard, so a failing read is a Vietnamese message.
    with conn.guard():
        for src in conn.execute(sql, params):
            yield make(src)


def _json_sql(query: MemberQuery) -> str:
    """One `list --json` object per row (UTF-8 bytes), built by SQLite for a full date of birth.

    The same contract as `json_object(RowMaker(...))` (domain/listing.py; a
    test compares both on demo files): status from the stored first-eligible /
    first-over-age days, completed months from the date's digits (minus one
    when the day of the month is not reached, method A), the Youth Union flag
    as `youth_flag` judges it. A partial date of birth yields the member's row
    id instead (an integer): those few rows are built in Python
    (`_json_batches`). The object comes as a BLOB, so Python neither decodes
    nor re-encodes its text on the way to stdout.
    """
    s = "b" if query.method is Method.CALENDAR else "a"
    day_term = (  # method B ignores the day; ?4 stays in the statement for the numbering
        " - (0 * ?4)"
        if query.method is Method.CALENDAR
        else " - (CAST(substr(m.dob, 9, 2) AS INTEGER) > ?4)"
    )
    youth = (
        f"CASE WHEN ?1 <= {years_on('m.dob', 15)} THEN 'under_16' "
        "WHEN m.union_officer = 1 THEN NULL "
        f"WHEN ?1 < {years_on('m.dob', 31, clamp_leap_day=True)} THEN NULL "
        "WHEN m.union_extended = 0 THEN 'past_30' "
        f"WHEN ?1 >= {years_on('m.dob', 36)} THEN 'past_35' ELSE NULL END"
    )
    return (
        "CASE WHEN m.dob_precision = 'day' THEN CAST(json_object("
        "'uid', m.uid, 'full_name', m.full_name, 'dob', m.dob, 'gender', m.gender, "
        "'unit', u.code, 'unit_name', u.name, 'school_class', m.school_class, "
        "'presence', m.presence, 'stage', m.stage, "
        f"'status', CASE WHEN ?1 < m.elig_from_{s} THEN 'too_young' "
        f"WHEN ?1 < m.over_from_{s} THEN 'eligible' ELSE 'over_age' END, "
        f"'eligible_from', m.elig_from_{s}, "
        "'age_months', (?2 - CAST(substr(m.dob, 1, 4) AS INTEGER)) * 12 "
        f"+ (?3 - CAST(substr(m.dob, 6, 2) AS INTEGER)){day_term}, "
        "'eligible_from_earliest', NULL, 'eligible_from_latest', NULL, "
        f"'youth_flag', {youth}, 'note', '', 'possible_statuses', NULL) AS BLOB) "
        "ELSE m.id END"
    )


JSON_BATCH = 1024  # rows read (and written) at a time: memory does not grow with the list


def _json_batches(
    store: Store, query: MemberQuery, on: date, size: int = JSON_BATCH
) -> Iterator[list[bytes]]:
    """The `list --json` objects of `query` (UTF-8), in roster order, `size` at a time.

    One statement read through its cursor; the partial dates of birth of a
    batch (a few percent) are read again together by id and built by
    `RowMaker`, so a batch costs one extra statement at most.
    """
    where, params = query.where(fts_joined=True)
    # ?1–?4 are the date in the object; the WHERE's plain "?" number on from ?5.
    numbered = [on.isoformat(), on.year, on.month, on.day, *params]
    sql = (
        f"SELECT {_json_sql(query)} {query.source(UNITS_JOIN)} "
        f"WHERE {where} ORDER BY m.name_sort, m.id"
    )
    make = RowMaker(on, query.method)
    first = itemgetter(0)
    conn = store._conn  # inside the store: the one guarded connection
    with conn.guard():
        cursor = conn.execute(sql, numbered)
        while batch := cursor.fetchmany(size):
            texts: list[Any] = list(map(first, batch))
            partial = [t for t in texts if t.__class__ is int]
            if partial:
                marks = ",".join("?" * len(partial))
                made = {
                    src[0]: json_object(make(src[1:])).encode()
                    for src in conn.execute(
                        f"SELECT m.id, {', '.join(SOURCE_COLUMNS)} FROM members m {UNITS_JOIN} "
                        f"WHERE m.id IN ({marks})",
                        partial,
                    )
                }
                texts = [made[t] if t.__class__ is int else t for t in texts]
            yield texts


def view_json(
    store: Store, query: MemberQuery, on: date, communes: Mapping[str, str] | None = None
) -> Iterator[str]:
    """The members of `query` as `list --json` objects, in roster order, streamed.

    SQLite writes the object of a member with a full date of birth (the
    bench's "≤ 2× raw sqlite3 -json"); the few partial dates go through the
    Python row. Not for a view with a graduation note (use `view_rows`).
    With `communes` (code → name: a consolidated file) each object begins with
    the member's commune_code and commune_name.
    """
    if communes is None:
        for batch in _json_batches(store, query, on):
            for encoded in batch:
                yield encoded.decode()
        return
    where, params = query.where(fts_joined=True)
    # ?1–?4 are the date in the object; the WHERE's plain "?" number on from ?5.
    numbered = [on.isoformat(), on.year, on.month, on.day, *params]
    sql = (
        f"SELECT {_json_sql(query)}, m.commune_code {query.source(UNITS_JOIN)} "
        f"WHERE {where} ORDER BY m.name_sort, m.id"
    )
    partial_sql = f"SELECT {', '.join(SOURCE_COLUMNS)} FROM members m {UNITS_JOIN} WHERE m.id = ?"
    make = RowMaker(on, query.method)
    conn = store._conn  # inside the store: the one guarded connection
    with conn.guard():
        for value, commune in conn.execute(sql, numbered):
            if value.__class__ is int:  # a partial date of birth: the row's id (_json_sql)
                (src,) = conn.tuples(partial_sql, [value])
                text = json_object(make(src))
            else:
                text = value.decode() if isinstance(value, bytes) else value
            yield with_commune(text, commune or "", communes.get(commune or "", ""))


def view_json_chunks(
    store: Store, query: MemberQuery, on: date, size: int = JSON_BATCH
) -> Iterator[bytes]:
    """`view_json` as UTF-8 text, `size` objects at a time joined by ",\\n" (for stdout)."""
    for batch in _json_batches(store, query, on, size):
        yield b",\n".join(batch)


def count(store: Store, query: MemberQuery) -> int:
    """How many members `query` finds (the same WHERE as `view_rows`)."""
    return store.members.count(query)
