"""The columns of member lists for people (XLSX and CSV exports).

Labels are the Vietnamese headers commune offices use, so an exported list
can be read back by `dvdesk import` (headers.py recognises every label here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain.member import GENDER_LABELS, PRESENCE_LABELS, UNIT_KIND_LABELS, Member
from dvdesk.domain.procedure import STAGE_LABELS, STEPS, StepState, stage_of

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

Value = str | int | date | None


@dataclass(frozen=True)
class SheetColumn:
    label: str
    width: int  # characters
    value: Callable[[Member, dict], Value]  # (member, context) → cell value


def _dob(m: Member, _: dict) -> Value:
    # A full date is a real date cell; a partial one stays text as the clerk knows it.
    if m.dob is None:
        return None
    return m.dob.as_date() if m.dob.is_full else m.dob.vi()


MEMBER_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("Họ và tên", 28, lambda m, _: m.full_name),
    SheetColumn("Ngày sinh", 12, _dob),
    SheetColumn("Giới tính", 9, lambda m, _: GENDER_LABELS[m.gender] if m.gender else ""),
    SheetColumn("Số CCCD", 15, lambda m, _: m.cccd),
    SheetColumn("Dân tộc", 10, lambda m, _: m.ethnicity),
    SheetColumn("Tôn giáo", 11, lambda m, _: m.religion),
    SheetColumn("Mã chi đoàn", 11, lambda m, _: m.unit_code),
    SheetColumn("Chi đoàn", 26, lambda m, c: c["unit_names"].get(m.unit_code, "")),
    SheetColumn("Lớp", 7, lambda m, _: m.school_class),
    SheetColumn("Năm học", 11, lambda m, _: m.school_year),
    SheetColumn("Năm tốt nghiệp", 9, lambda m, _: m.graduation_year),
    SheetColumn("Ngày vào Đoàn", 12, lambda m, _: m.union_joined),
    SheetColumn("Tình trạng", 18, lambda m, _: PRESENCE_LABELS[m.presence]),
    SheetColumn(
        "Giai đoạn", 22, lambda m, c: c["stages"].get(m.uid, STAGE_LABELS[stage_of(set())])
    ),
    SheetColumn("Quê quán", 24, lambda m, _: m.hometown),
    SheetColumn("Nơi ở hiện nay", 24, lambda m, _: m.address),
    SheetColumn("Số điện thoại", 13, lambda m, _: m.phone),
    SheetColumn("Ghi chú", 30, lambda m, _: m.notes),
    SheetColumn("Mã dvdesk", 38, lambda m, _: m.uid),
)


@dataclass
class ListData:
    """Everything the spreadsheet exports show, read once from the store."""

    members: list[Member]
    context: dict
    units: list[tuple[str, str, str, int]]  # code, name, kind label, member count
    steps: dict  # uid → list[StepRecord]


def list_data(store: Store) -> ListData:
    members = store.packages.members(None)
    steps = store.packages.steps(None)
    stages = {
        uid: STAGE_LABELS[stage_of({r.code for r in rs if r.state is StepState.DONE})]
        for uid, rs in steps.items()
    }
    units = store.packages.units(None)
    counts: dict[str, int] = {}
    for m in members:
        counts[m.unit_code] = counts.get(m.unit_code, 0) + 1
    return ListData(
        members=members,
        context={"unit_names": {u.code: u.name for u in units}, "stages": stages},
        units=[(u.code, u.name, UNIT_KIND_LABELS[u.kind], counts.get(u.code, 0)) for u in units],
        steps=steps,
    )


STEP_HEADERS = tuple(f"{s.form} {s.title}".strip() for s in STEPS)
