"""Merging commune packages at the receiving level (tổng hợp dữ liệu các xã).

`plan_merge` reads nothing but the store and the packages and says, per
package, what would be added / updated / unchanged / removed, the conflicts
that block the merge and the possible duplicates to look at. `apply_merge`
then writes all applied packages in ONE transaction after a backup, or
nothing. A newer package (higher sequence) replaces its commune's rows; a
repeated or older one changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dvdesk.domain.dates import fmt
from dvdesk.domain.names import fold
from dvdesk.domain.validation import validate_member
from dvdesk.exchange.package import Package
from dvdesk.exchange.records import member_key, steps_key

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

APPLY, SAME, OLDER, SUPERSEDED = "apply", "same", "older", "superseded"


@dataclass
class PackagePlan:
    """What one package would do (tóm tắt một gói)."""

    package: Package
    previous: int | None  # last sequence merged from this commune
    action: str = APPLY
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    conflicts: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    # For a repeated sequence: when the package merged before was created at another
    # time, i.e. another export under the same number (a commune restored a backup).
    refreshed: str = ""

    @property
    def label(self) -> str:
        m = self.package.manifest
        return f"{m.commune_name} (mã {m.commune_code}), gói số {m.sequence}"


@dataclass
class MergePlan:
    packages: list[PackagePlan]

    @property
    def applied(self) -> list[PackagePlan]:
        return [p for p in self.packages if p.action == APPLY]

    @property
    def conflicts(self) -> int:
        return sum(len(p.conflicts) for p in self.packages)

    def lines(self, limit: int = 20) -> list[str]:
        """The summary a clerk reads before deciding (Vietnamese)."""
        out: list[str] = []
        for p in self.packages:
            out.append(f"Gói “{p.package.source}”: {p.label}")
            if p.action == SAME and p.refreshed:
                out.append(
                    f"  Cảnh báo: đã gộp một gói số {p.previous} khác của xã này (tạo lúc "
                    f"{p.refreshed}). Có thể xã đã khôi phục dữ liệu từ bản sao lưu: gói này "
                    "không được gộp — hãy đề nghị xã xuất gói mới (số lớn hơn)."
                )
            elif p.action == SAME:
                out.append(
                    f"  Gói này đã được gộp trước đây (gói số {p.previous}): không thay đổi gì."
                )
            elif p.action == OLDER:
                out.append(f"  Gói cũ hơn gói đã gộp (số {p.previous}): không thay đổi gì.")
            elif p.action == SUPERSEDED:
                out.append("  Cùng lần gộp có gói mới hơn của xã này: bỏ qua gói này.")
            elif p.added + p.updated + p.unchanged + p.removed or not p.conflicts:
                out.append(
                    f"  Thêm mới {p.added}, cập nhật {p.updated}, không đổi "
                    f"{p.unchanged}, không còn trong danh sách {p.removed}; "
                    f"xung đột {len(p.conflicts)}, nghi trùng {len(p.duplicates)}."
                )
            for title, items in (("Xung đột", p.conflicts), ("Nghi trùng", p.duplicates)):
                out += [f"  {title}: {text}" for text in items[:limit]]
                if len(items) > limit:
                    out.append(f"  … và {len(items) - limit} trường hợp {title.lower()} khác.")
        return out


def plan_merge(store: Store, packages: list[Package], today: date | None = None) -> MergePlan:
    today = today or date.today()
    received = {r["commune_code"]: r for r in store.received.all()}
    plans = [
        PackagePlan(p, received[p.manifest.commune_code]["sequence"])
        if p.manifest.commune_code in received
        else PackagePlan(p, None)
        for p in packages
    ]
    best: dict[str, PackagePlan] = {}
    for plan in plans:
        m = plan.package.manifest
        if plan.previous is not None and m.sequence <= plan.previous:
            plan.action = SAME if m.sequence == plan.previous else OLDER
            before = received[m.commune_code]["created_at"]
            if plan.action == SAME and before != m.created_at:
                plan.refreshed = before.replace("T", " ")
            continue
        other = best.get(m.commune_code)
        if other is None or m.sequence > other.package.manifest.sequence:
            if other is not None:
                other.action = SUPERSEDED
            best[m.commune_code] = plan
        else:
            plan.action = SUPERSEDED
    own = store.settings.get().commune_code
    for plan in plans:
        if own and plan.action == APPLY and plan.package.manifest.commune_code == own:
            # One clear line instead of thousands of "already belongs" conflicts.
            plan.conflicts.append(
                "Đây là gói của chính xã/phường của tệp dữ liệu này: chỉ gộp vào tệp dữ liệu "
                "tổng hợp của cấp nhận."
            )
    applied = [p for p in plans if p.action == APPLY and not p.conflicts]
    for plan in applied:
        _count_changes(store, plan)
        _check_records(plan, today)
    _check_ownership(store, applied)
    _find_duplicates(store, applied)
    return MergePlan(plans)


def _count_changes(store: Store, plan: PackagePlan) -> None:
    code = plan.package.manifest.commune_code
    current = {m.uid: m for m in store.packages.members(code)}
    old_steps = store.packages.steps(code)
    new_steps = plan.package.steps
    for m in plan.package.members:
        old = current.pop(m.uid, None)
        if old is None:
            plan.added += 1
        elif member_key(old) != member_key(m) or steps_key(old_steps.get(m.uid, [])) != steps_key(
            new_steps.get(m.uid, [])
        ):
            plan.updated += 1
        else:
            plan.unchanged += 1
    plan.removed = len(current)


def _who(name: str, uid: str) -> str:
    return f"{name} (mã {uid[:8]}…)"


def _check_records(plan: PackagePlan, today: date) -> None:
    """The same validation as on entry, with the package's own units and CCCDs."""
    pkg = plan.package
    kinds = {u.code: u.kind for u in pkg.units}
    holders: dict[str, tuple[str, str]] = {}
    uids = set()
    for m in pkg.members:
        if m.uid in uids:
            plan.conflicts.append(f"{_who(m.full_name, m.uid)} xuất hiện hai lần trong gói.")
        uids.add(m.uid)
        if m.cccd and m.cccd not in holders:  # members arrive normalized (package.py)
            holders[m.cccd] = (m.uid, m.full_name)

        def owner(cccd: str, uid: str) -> str | None:
            held = holders.get(cccd)
            return held[1] if held and held[0] != uid else None

        report = validate_member(m, today=today, unit_kinds=kinds, cccd_owner=owner)
        for problem in report.errors:
            plan.conflicts.append(f"{_who(m.full_name, m.uid)}: {problem.message}")
    for uid in pkg.steps:
        if uid not in uids:
            plan.conflicts.append(f"Bước quy trình của mã {uid[:8]}… không có đoàn viên tương ứng.")


def _check_ownership(store: Store, applied: list[PackagePlan]) -> None:
    """A uid belongs to one commune: the file's other communes and the other packages."""
    seen: dict[str, str] = {}
    for plan in applied:
        code = plan.package.manifest.commune_code
        uids = [m.uid for m in plan.package.members]
        owners = store.received.uid_communes(uids)
        for m in plan.package.members:
            elsewhere = owners.get(m.uid)
            if elsewhere is not None and elsewhere != code:
                plan.conflicts.append(
                    f"{_who(m.full_name, m.uid)} đã thuộc dữ liệu xã mã {elsewhere} "
                    "(có thể đã chuyển sinh hoạt): cần xử lý ở xã cũ trước khi gộp."
                )
            if seen.get(m.uid, code) != code:
                plan.conflicts.append(
                    f"{_who(m.full_name, m.uid)} có trong gói của cả xã mã {seen[m.uid]} "
                    f"và xã mã {code}."
                )
            seen.setdefault(m.uid, code)


def _find_duplicates(store: Store, applied: list[PackagePlan]) -> None:
    """Same CCCD in two communes; same folded name and date of birth anywhere."""
    replaced = {p.package.manifest.commune_code for p in applied}
    people: list[tuple[str, str, str, str, str, PackagePlan | None]] = [
        (r["uid"], r["commune_code"], r["cccd"], r["full_name"], r["dob"] or "", None)
        for r in store.received.member_identities()
        if r["commune_code"] not in replaced
    ]
    for plan in applied:
        code = plan.package.manifest.commune_code
        people += [
            (m.uid, code, m.cccd, m.full_name, m.dob.iso() if m.dob else "", plan)
            for m in plan.package.members
        ]
    by_cccd: dict[str, list] = defaultdict(list)
    by_name: dict[tuple[str, str], list] = defaultdict(list)
    for person in people:
        if person[2]:
            by_cccd[person[2]].append(person)
        if len(person[4]) == 10:  # full dates only: a birth year alone matches too many
            by_name[(fold(person[3]), person[4])].append(person)
    for cccd, group in by_cccd.items():
        if len({p[1] for p in group}) > 1:
            _report(group, f"cùng số CCCD {cccd} ở các xã khác nhau")
    for (_, dob), group in by_name.items():
        if len(group) > 1:
            _report(group, f"cùng họ tên và ngày sinh {fmt(date.fromisoformat(dob))}")


def _report(group: list, why: str) -> None:
    names = "; ".join(f"{p[3]} (xã mã {p[1]})" for p in group)
    for plan in {id(p[5]): p[5] for p in group if p[5] is not None}.values():
        plan.duplicates.append(f"{names}: {why}.")


def apply_merge(store: Store, plan: MergePlan, today: date | None = None) -> Path | None:
    """Write every applied package in one transaction, after a backup; all or nothing.

    Returns the backup's path (None for an in-memory store or nothing to apply).
    """
    from dvdesk.errors import KnownError
    from dvdesk.store import backup

    if plan.conflicts:
        raise KnownError(f"Không gộp: có {plan.conflicts} xung đột cần xử lý trước.")
    if not plan.applied:
        return None
    saved = backup.make_backup(store, reason="truoc-gop") if store.path else None
    with store.transaction():
        for p in plan.applied:
            m, pkg = p.package.manifest, p.package
            info = {
                "commune_code": m.commune_code,
                "commune_name": m.commune_name,
                "sequence": m.sequence,
                "created_at": m.created_at,
                "app_version": m.app_version,
                "sha256": pkg.digest,
            }
            store.received.replace_commune(
                info, pkg.units, pkg.members, pkg.steps, pkg.audit, today or date.today()
            )
    return saved
