"""The columns of member lists for people (XLSX and CSV exports).

Labels are the Vietnamese headers commune offices use, so an exported list
can be read back by `dvdesk import` (headers.py recognises every label here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.fields import FieldType, MemberField
from dvdesk.domain.member import UNIT_KIND_LABELS, Member
from dvdesk.domain.procedure import STAGE_LABELS, STEPS, StepState, stage_of

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

Value = str | int | date | None


@dataclass(frozen=True)
class SheetColumn:
    label: str
    width: int  # characters
    value: Callable[[Member, dict], Value]  # (member, context) → cell value
    name: str = ""  # the registry field (or import column) it shows


def _display(f: MemberField) -> Callable[[Member, dict], Value]:
    """How a field shows in a list for people: labels for enums, real dates, numbers."""
    name, default = f.name, f.default
    if f.type is FieldType.ENUM:
        labels = f.labels

        def enum(m: Member, _: dict) -> Value:
            value = getattr(m, name, default)
            return labels.get(value, str(value)) if value else ""

        return enum
    if f.type is FieldType.PARTIAL_DATE:

        def partial(m: Member, _: dict) -> Value:
            # A full date is a real date cell; a partial one stays text as the clerk knows it.
            d: PartialDate | None = getattr(m, name, default)
            if d is None:
                return None
            return d.as_date() if d.is_full else d.vi()

        return partial
    if f.type is FieldType.FLAG:
        return lambda m, _: "x" if getattr(m, name, default) else ""

    def plain(m: Member, _: dict) -> Value:
        value: Value = getattr(m, name, default)
        return value

    return plain


def _stage(m: Member, c: dict) -> Value:
    stage: str = c["stages"].get(m.uid, STAGE_LABELS[stage_of(set())])
    return stage


# Columns that are not member fields, shown after the field they explain.
_AFTER = {
    "unit_code": SheetColumn(
        "Chi đoàn", 26, lambda m, c: c["unit_names"].get(m.unit_code, ""), "unit"
    ),
    "presence": SheetColumn("Giai đoạn", 22, _stage, "stage"),
}


def member_columns() -> tuple[SheetColumn, ...]:
    """The member columns of the XLSX/CSV lists, from the field registry (domain/fields.py).

    Every header is one an import recognises, so an exported list can be read back.
    """
    out: list[SheetColumn] = []
    for f in registry.exported_fields():
        out.append(SheetColumn(f.export_header, f.width, _display(f), f.name))
        if f.name in _AFTER:
            out.append(_AFTER[f.name])
    return tuple(out)


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
