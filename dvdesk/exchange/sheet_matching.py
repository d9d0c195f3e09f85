"""Who a row of a re-imported sheet is, and what it changes (đối chiếu khi nhập lại).

A row is the stored person with the same dvdesk code (uid, in dvdesk's own
exports), else the same CCCD; the same folded name, date of birth and unit
alone is only a probable match, which the user confirms. For a match, `diff`
lists each field the sheet changes as label: old → new.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from dvdesk.domain import fields as registry
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.fields import FieldType
from dvdesk.domain.member import Member
from dvdesk.domain.names import fold
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.exchange import cell_values as cv
from dvdesk.exchange.sheet_plan import Change
from dvdesk.exchange.sheet_rows import ReadRow
from dvdesk.exchange.templates_columns import shown_address
from dvdesk.exchange.units_in_sheet import UnitResolver

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

Key = tuple[str, str, str]  # folded name, ISO date of birth, unit code


class Matcher:
    """The people already in the file, by uid, CCCD and (name, date of birth, unit)."""

    def __init__(self, store: Store, resolver: UnitResolver, erase: bool) -> None:
        self.store, self.resolver, self.erase = store, resolver, erase
        self.by_uid: dict[str, str] = {}  # uid → name
        self.by_cccd: dict[str, str] = {}  # cccd → uid
        self.by_key: dict[Key, tuple[str, str, str]] = {}  # → (name, cccd, uid)
        for r in store.imports.commune_identities():
            self.by_uid[r["uid"]] = r["full_name"]
            if r["cccd"]:
                self.by_cccd[r["cccd"]] = r["uid"]
            key = (fold(r["full_name"]), r["dob"] or "", r["unit_code"])
            self.by_key[key] = (r["full_name"], r["cccd"], r["uid"])
        self.stored_members: dict[str, Member] = {}
        self.lookups = 0

    @staticmethod
    def same(
        key: tuple[str, str, str], cccd: str, uid: str, seen: dict[tuple[str, str, str], Any]
    ) -> Any:
        found = seen.get(key)
        if found is None:
            return None
        other_cccd, other_uid = found[-2], found[-1]
        if (cccd and other_cccd and cccd != other_cccd) or (uid and other_uid and uid != other_uid):
            return None
        return found

    def match(self, m: Member, uid: str, key: tuple[str, str, str]) -> tuple[str, str, str]:
        """(stored uid, how, stored name) of the person this row is, or ("", "", "")."""
        if uid and uid in self.by_uid:
            return uid, "uid", self.by_uid[uid]
        if m.cccd and m.cccd in self.by_cccd:
            owner = self.by_cccd[m.cccd]
            if uid and uid != owner:
                return owner, "cccd-other", self.by_uid.get(owner, "")
            return owner, "cccd", self.by_uid.get(owner, "")
        found = self.by_key.get(key)
        if found is not None and key[0]:
            name, cccd, stored_uid = found
            if not (m.cccd and cccd and m.cccd != cccd) and not (uid and uid != stored_uid):
                return stored_uid, "probable", name
        return "", "", ""

    def diff(
        self, stored: Member, sheet_member: Member, read: ReadRow, target: str, strong_unit: bool
    ) -> tuple[dict[str, Any], list[Change], list[StepRecord], bool]:
        """(new values, changes, steps to record, member fields changed) of a matched row.

        Only what the sheet has replaces stored data: an empty cell keeps it unless
        `erase`; the unit moves only when a column, group row or the user says so.
        """
        values: dict[str, Any] = {}
        changes: list[Change] = []
        for f in registry.MEMBER_FIELDS:
            if f.name == "uid" or not hasattr(stored, f.name):
                continue
            old = getattr(stored, f.name)
            if f.name == "unit_code":
                new = sheet_member.unit_code
                if not (strong_unit and new) or new == old:
                    continue
            elif f.name in read.present:
                new = getattr(sheet_member, f.name)
                if f.name == "full_name" and fold(new) == fold(old) and new == fold(new).title():
                    continue  # "NGUYEN VAN AN" typed without marks does not undo "Nguyễn Văn An"
                if f.name == "address" and new == shown_address(stored):
                    continue  # a template export shows the address with its commune
            elif self.erase and f.name in read.empty and f.name != "full_name":
                new = f.default
            else:
                continue
            if new != old:
                values[f.name] = new
                if f.type is FieldType.UNIT:
                    shown = [self.unit_label(code) for code in (old, new)]
                else:
                    shown = [_display(f, old), _display(f, new)]
                changes.append(Change(f.name, f.label, shown[0], shown[1]))
        member_changed = bool(changes)
        steps: list[StepRecord] = []
        if read.steps:
            old_steps = self.store.steps.of(target)
            for code, sheet_step in read.steps.items():
                old_step = old_steps.get(code)
                new_step = _merged_step(old_step, sheet_step)
                if new_step != old_step:
                    steps.append(new_step)
                    changes.extend(_step_changes(old_step, new_step))
        return values, changes, steps, member_changed

    def unit_label(self, code: str) -> str:
        unit = self.resolver.codes.get(code)
        return f"{unit.name} ({code})" if unit else code

    def stored(self, uid: str) -> Member:
        """A stored member; after the first few, all of them are read at once."""
        if uid not in self.stored_members:
            self.lookups += 1
            if self.lookups == 200:
                self.stored_members.update((m.uid, m) for m in self.store.packages.members(None))
            if uid not in self.stored_members:
                self.stored_members[uid] = self.store.members.get(uid)
        return self.stored_members[uid]


def _display(f: registry.MemberField, value: Any) -> str:
    if value is None or value == "":
        return ""
    if f.type is FieldType.ENUM:
        return f.labels.get(value, str(value))
    if f.type is FieldType.FLAG:
        return "có" if value else "không"
    if isinstance(value, PartialDate):
        return value.vi()
    if isinstance(value, date):
        return cv.text(value)
    return str(value)


_STEP_LABELS = {
    ("course", "done_on"): "Ngày học lớp nhận thức về Đảng",
    ("course", "doc_number"): "Số giấy chứng nhận",
    ("introduction", "note"): "Người giới thiệu",
}


def _merged_step(old: StepRecord | None, sheet: StepRecord) -> StepRecord:
    """What the sheet's admission columns make of a recorded step (never undoing a done one)."""
    if old is None:
        return sheet
    if sheet.code == "introduction":
        return replace(old, note=sheet.note)
    return replace(old, state=StepState.DONE, done_on=sheet.done_on, doc_number=sheet.doc_number)


def _step_changes(old: StepRecord | None, new: StepRecord) -> list[Change]:
    out = []
    for (code, attribute), label in _STEP_LABELS.items():
        if code != new.code:
            continue
        before = getattr(old, attribute) if old else None
        after = getattr(new, attribute)
        if before != after:
            show = [cv.text(v) if v else "" for v in (before, after)]
            out.append(Change(f"{code}.{attribute}", label, show[0], show[1]))
    return out
