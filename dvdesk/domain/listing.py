"""One member list row: the `dvdesk list --json` contract, the printed lists' data.

A row is a tuple (`ListRow`), built once per member by `list_row` from the
stored columns and the consideration date, and read by the CLI (JSON, CSV,
text), the printed lists and the window alike. Its first fields, in
`LIST_FIELDS` order, are the JSON/CSV contract (DESIGN.md, CLI contract);
the fields after them are what a printed list needs besides.

Speed: a list of 200,000 rows must cost little more than reading them, so a
full date of birth is judged from the stored first-eligible / first-over-age
days and the date's digits (no `evaluate()`, no dict per row); only partial
dates of birth, a few percent, go through `evaluate()` (cached per date).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from dvdesk.domain.dates import parse_date
from dvdesk.domain.eligibility import (
    MAX_MONTHS,
    MIN_MONTHS,
    Eligibility,
    Method,
    Status,
    YouthFlag,
    evaluate,
    youth_flag,
)

# The preset views (store/views.py defines them), as the command line names them.
VIEW_KEYS = (
    "all",
    "eligible",
    "upcoming",
    "turns_18_school_year",
    "graduating",
    "in_procedure",
    "away",
    "problems",
    "transfer_pending",
    "deleted",
)

# The stored columns a row is built from, in this order (the store selects them).
SOURCE_COLUMNS = (
    "m.uid",
    "m.full_name",
    "m.dob",
    "m.gender",
    "u.code",
    "u.name",
    "m.school_class",
    "m.presence",
    "m.stage",
    "m.elig_from_a",
    "m.over_from_a",
    "m.elig_from_b",
    "m.over_from_b",
    "m.dob_precision",
    "u.kind",
    "m.graduation_year",
    "m.union_officer",
    "m.union_extended",
    "m.commune_code",
)

LIST_FIELDS = (
    "uid",
    "full_name",
    "dob",  # as entered: YYYY-MM-DD, YYYY-MM or YYYY
    "gender",
    "unit",
    "unit_name",
    "school_class",
    "presence",
    "stage",
    "status",  # eligible | too_young | over_age | unknown (the certain answer when there is one)
    "eligible_from",  # first eligible day when known to the day
    "age_months",  # completed months on the date, when known
    "eligible_from_earliest",  # partial date of birth: range of the first eligible day
    "eligible_from_latest",
    "youth_flag",  # Youth Union age flag on the date: under_16 | past_30 | past_35
    "note",  # what the view asks of this member (e.g. what to transfer at graduation)
    "possible_statuses",  # partial date of birth: every status a birthday in range gives
)


class ListRow(NamedTuple):
    uid: str
    full_name: str
    dob: str | None
    gender: str | None
    unit: str
    unit_name: str
    school_class: str
    presence: str
    stage: str
    status: str
    eligible_from: str | None
    age_months: int | None
    eligible_from_earliest: str | None
    eligible_from_latest: str | None
    youth_flag: str | None
    note: str
    possible_statuses: tuple[str, ...] | None  # last: the JSON writer relies on it
    # -- not in the JSON contract: for printed lists and views --
    unit_kind: str
    graduation_year: int | None
    partial: bool  # the date of birth is not known to the day (its own section on paper)
    near_limit: bool  # methods A and B disagree ("sát ngưỡng tuổi")
    commune_code: str = ""  # the receiving level's lists key units by (commune, unit)

    @property
    def contract(self) -> tuple[object, ...]:
        """The values of `LIST_FIELDS`, in order."""
        return self[: len(LIST_FIELDS)]


def _classify(k: int) -> str:
    if k < MIN_MONTHS:
        return Status.TOO_YOUNG.value
    if k > MAX_MONTHS:
        return Status.OVER_AGE.value
    return Status.ELIGIBLE.value


@lru_cache(maxsize=1 << 14)
def _partial(dob: str, on: date, method: Method) -> Eligibility:
    return evaluate(parse_date(dob), on, method)


@lru_cache(maxsize=1 << 14)
def _youth(dob: str, on: date, officer: bool, extended: bool) -> str | None:
    flag: YouthFlag | None = youth_flag(
        parse_date(dob), on, union_officer=officer, extended=extended
    )
    return flag.value if flag else None


class RowMaker:
    """Turns stored tuples (`SOURCE_COLUMNS` order) into `ListRow`s for one date and method."""

    def __init__(self, on: date, method: Method, graduation: date | None = None) -> None:
        self.on = on
        self.method = method
        self.graduation = graduation  # the graduating-students view: the graduation day
        self._day = on.isoformat()
        self._calendar = method is Method.CALENDAR
        self._y, self._m, self._d = on.year, on.month, on.day

    def __call__(self, src: tuple[Any, ...]) -> ListRow:
        (
            uid,
            name,
            dob,
            gender,
            unit,
            unit_name,
            school_class,
            presence,
            stage,
            ea,
            oa,
            eb,
            ob,
            precision,
            kind,
            grad,
            officer,
            extended,
            commune,
        ) = src
        youth = _youth(dob, self.on, bool(officer), bool(extended)) if dob else None
        if dob is None:
            status, start, k, possible, lo, hi, near = (
                "unknown",
                None,
                None,
                None,
                None,
                None,
                False,
            )
        elif precision == "day":
            start = eb if self._calendar else ea
            day = self._day
            if day < (eb if self._calendar else ea):
                status = "too_young"
            elif day < (ob if self._calendar else oa):
                status = "eligible"
            else:
                status = "over_age"
            kb = (self._y - int(dob[:4])) * 12 + (self._m - int(dob[5:7]))
            ka = kb - (int(dob[8:10]) > self._d)
            k = kb if self._calendar else ka
            near = _classify(ka) != _classify(kb)
            possible, lo, hi = None, None, None
        else:
            result = _partial(dob, self.on, self.method)
            status = result.status.value
            k = result.age_months
            possible = tuple(s.value for s in result.possible)
            assert result.eligible_from_range is not None
            first, last = result.eligible_from_range
            lo, hi = first.isoformat(), last.isoformat()
            start = lo if lo == hi else None
            near = False
        note = ""
        if self.graduation is not None:
            note = graduation_note(dob, stage, self.graduation, self.method)
        return ListRow(
            uid,
            name,
            dob,
            gender,
            unit,
            unit_name,
            school_class,
            presence,
            stage,
            status,
            start,
            k,
            lo,
            hi,
            youth,
            note,
            possible,
            kind,
            grad,
            precision is not None and precision != "day",
            near,
            commune or "",
        )


# What a graduating student hands over, by how far the procedure has gone.
_HANDOVER = {
    "introduced": "giới thiệu cảm tình Đảng, nhận xét của chi đoàn",
    "course": "giới thiệu cảm tình Đảng, giấy chứng nhận CN-NTVĐ (còn giá trị 60 tháng)",
    "dossier": (
        "giới thiệu cảm tình Đảng, giấy chứng nhận CN-NTVĐ, hồ sơ đang làm "
        "(đơn, lý lịch, giấy giới thiệu, nghị quyết đã có)"
    ),
    "admission": (
        "giới thiệu cảm tình Đảng, giấy chứng nhận CN-NTVĐ và hồ sơ đề nghị kết nạp "
        "(nghị quyết chi bộ đã có)"
    ),
}


def graduation_note(dob: str | None, stage: str, graduation: date, method: Method) -> str:
    """Why a graduating student is on the list and what must be transferred.

    notes/domain.md §8: on the graduation day (the school-year end setting),
    those under 18 and those of age but not admitted by then must have their
    "cảm tình Đảng" introduction transferred to where they will live, study or work.
    """
    handover = _HANDOVER.get(stage, "giới thiệu cảm tình Đảng")
    day = f"{graduation.day:02d}/{graduation.month:02d}/{graduation.year}"
    result = evaluate(parse_date(dob), graduation, method) if dob else None
    if result is None or result.status is Status.UNKNOWN:
        why = f"Chưa rõ đủ 18 tuổi khi tốt nghiệp ({day}) hay chưa"
    elif result.status is Status.TOO_YOUNG:
        why = f"Tốt nghiệp ({day}) khi chưa đủ 18 tuổi"
    else:
        why = f"Đủ tuổi nhưng chưa được kết nạp khi tốt nghiệp ({day})"
    return f"{why}: chuyển {handover}."


# Each row's values are encoded by one call of the json module's C encoder, as
# a JSON array whose separator is NUL: JSON escapes every control character
# inside a string, so a NUL is always a separator. The one nested array,
# possible_statuses, is the last field: the split stops before it.
_TEMPLATE = "{" + ", ".join(f'"{f}": %s' for f in LIST_FIELDS) + "}"
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=("\x00", ":")).encode
_WIDTH = len(LIST_FIELDS)


def json_object(row: ListRow) -> str:
    """One row as the `list --json` object (keys in `LIST_FIELDS` order), no dict built."""
    parts = _ENCODE(row[:_WIDTH])[1:-1].split("\x00", _WIDTH - 1)
    parts[-1] = parts[-1].replace("\x00", ", ")
    return _TEMPLATE % tuple(parts)


COMMUNE_FIELDS = ("commune_code", "commune_name")  # first, in a consolidated file's lists


def with_commune(text: str, code: str, name: str) -> str:
    """A `list --json` object with the commune's code and name in front (receiving level)."""
    head = json.dumps({"commune_code": code, "commune_name": name}, ensure_ascii=False)
    return f"{head[:-1]}, {text[1:].lstrip()}"
