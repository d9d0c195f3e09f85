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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain.dates import fmt
from dvdesk.domain.member import Member
from dvdesk.domain.names import fold
from dvdesk.domain.validation import validate_member
from dvdesk.exchange.manifest import PackageError
from dvdesk.exchange.package import Package
from dvdesk.exchange.records import member_key, steps_key
from dvdesk.exchange.signing import normalize_fingerprint

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

APPLY, SAME, OLDER, SUPERSEDED = "apply", "same", "older", "superseded"
KEY_NEW, KEY_SAME, KEY_CHANGED = "new", "same", "changed"


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
    key_status: str = ""  # KEY_NEW / KEY_SAME / KEY_CHANGED (signed packages)
    old_fingerprint: str = ""
    renamed_from: str = ""  # the commune's name in the last package merged, when it changed
    moves: list[str] = field(default_factory=list)  # "… chuyển từ xã A sang xã B"
    kept_elsewhere: set[str] = field(default_factory=set)  # uids a newer package holds
    issue_codes: dict[str, str] = field(default_factory=dict)  # uid → warnings (validated once)

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
            out += _identity_lines(p)
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
            sections = (
                ("Chuyển xã", p.moves),
                ("Xung đột", p.conflicts),
                ("Nghi trùng", p.duplicates),
            )
            for title, items in sections:
                out += [f"  {title}: {text}" for text in items[:limit]]
                if len(items) > limit:
                    out.append(f"  … và {len(items) - limit} trường hợp {title.lower()} khác.")
        return out


def _identity_lines(p: PackagePlan) -> list[str]:
    out: list[str] = []
    fp = p.package.fingerprint
    if p.key_status == KEY_NEW:
        out.append(
            f"  Lần đầu nhận gói của xã này: đã ghi nhận khóa ký, mã nhận dạng {fp}. "
            "Hãy gọi điện cho xã để đối chiếu mã này."
        )
    elif p.key_status == KEY_CHANGED:
        out.append(
            f"  Khóa ký mới của xã đã được xác nhận: mã nhận dạng {fp} (khóa cũ "
            f"{p.old_fingerprint})."
        )
    if p.renamed_from:
        out.append(
            f"  Đổi tên: “{p.renamed_from}” → “{p.package.manifest.commune_name}” "
            f"(mã {p.package.manifest.commune_code})."
        )
    return out


def plan_merge(
    store: Store,
    packages: list[Package],
    today: date | None = None,
    accept_keys: Iterable[str] = (),
) -> MergePlan:
    """What merging `packages` would do; refuses (PackageError) what may not be merged.

    Refused before anything else: a package of this file's own commune, one
    signed by a key other than the one recorded for its commune (unless the
    officer confirmed the new key's fingerprint in `accept_keys`), one signed
    by another commune's key, and a package already merged or older (a replay).
    """
    today = today or date.today()
    _check_senders(store, packages, accept_keys)
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
    _refuse_replays(plans)
    for plan in plans:
        _note_identity(store, plan, received.get(plan.package.manifest.commune_code))
    applied = [p for p in plans if p.action == APPLY]
    _place_members(store, applied, received)
    for plan in applied:
        _count_changes(store, plan)
        _check_records(plan, today)
    _find_duplicates(store, applied)
    return MergePlan(plans)


def _check_senders(store: Store, packages: list[Package], accept_keys: Iterable[str]) -> None:
    """Own commune, then keys: recorded, confirmed anew, or another commune's."""
    own = store.settings.get().commune_code.strip()
    accepted = {normalize_fingerprint(k) for k in accept_keys} - {""}
    keys: dict[str, bytes] = {}  # commune → key, within this batch
    for p in packages:
        m = p.manifest
        if own and m.commune_code == own:
            raise PackageError(
                f"Gói “{p.source}” là gói của chính xã/phường của tệp dữ liệu này (mã {own}): "
                "chỉ gộp vào tệp dữ liệu tổng hợp của cấp nhận."
            )
        owner = store.received.key_owner(p.public_key)
        if owner is not None and owner != m.commune_code:
            raise PackageError(
                f"Gói “{p.source}” mang mã xã {m.commune_code} nhưng được ký bằng khóa của "
                f"xã mã {owner}: không gộp (gói giả danh hoặc nhầm tệp dữ liệu)."
            )
        other = next((c for c, k in keys.items() if k == p.public_key), None)
        if other is not None and other != m.commune_code:
            raise PackageError(
                f"Gói “{p.source}” (xã mã {m.commune_code}) và gói của xã mã {other} được ký "
                "bằng cùng một khóa: không gộp (gói giả danh hoặc nhầm tệp dữ liệu)."
            )
        if keys.setdefault(m.commune_code, p.public_key) != p.public_key:
            raise PackageError(
                f"Các gói của xã mã {m.commune_code} trong lần gộp này được ký bằng hai khóa "
                f"khác nhau (gói “{p.source}”): không gộp."
            )
        recorded = store.received.commune_key(m.commune_code)
        if recorded is None or recorded["public_key"] == p.public_key:
            continue
        if p.fingerprint not in accepted:
            raise PackageError(
                f"Gói “{p.source}” của {m.commune_name} (mã {m.commune_code}) được ký bằng khóa "
                f"khác khóa đã ghi nhận (mã nhận dạng đã ghi {recorded['fingerprint']}, gói này "
                f"{p.fingerprint}). Không gộp. Nếu xã đã đổi máy hoặc tệp dữ liệu, hãy gọi điện "
                f"xác nhận mã mới rồi gộp lại với --accept-key {p.fingerprint}."
            )


def _refuse_replays(plans: list[PackagePlan]) -> None:
    for plan in plans:
        m = plan.package.manifest
        if plan.action == SAME and plan.refreshed:
            raise PackageError(
                f"Gói “{plan.package.source}” của {m.commune_name}: đã gộp một gói số "
                f"{plan.previous} khác của xã này (tạo lúc {plan.refreshed}). Có thể xã đã khôi "
                "phục dữ liệu từ bản sao lưu: không gộp — hãy đề nghị xã xuất gói mới (số lớn hơn)."
            )
        if plan.action in (SAME, OLDER):
            raise PackageError(
                f"Gói “{plan.package.source}” của {m.commune_name} (mã {m.commune_code}) là gói "
                f"số {m.sequence}, {'đã được gộp trước đây' if plan.action == SAME else 'cũ hơn'}"
                f" (gói mới nhất đã gộp của xã: số {plan.previous}): không gộp lại."
            )


def _note_identity(store: Store, plan: PackagePlan, received: dict[str, Any] | None) -> None:
    m = plan.package.manifest
    recorded = store.received.commune_key(m.commune_code)
    if recorded is None:
        plan.key_status = KEY_NEW
    elif recorded["public_key"] == plan.package.public_key:
        plan.key_status = KEY_SAME
    else:
        plan.key_status, plan.old_fingerprint = KEY_CHANGED, recorded["fingerprint"]
    if received is not None and received["commune_name"] != m.commune_name:
        plan.renamed_from = received["commune_name"]


def _count_changes(store: Store, plan: PackagePlan) -> None:
    code = plan.package.manifest.commune_code
    current = {m.uid: m for m in store.packages.members(code)}
    old_steps = store.packages.steps(code)
    new_steps = plan.package.steps
    for m in plan.package.members:
        if m.uid in plan.kept_elsewhere:
            continue
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

        report = validate_member(
            m, today=today, unit_kinds=kinds, cccd_owner=owner, normalized=True
        )
        for problem in report.errors:
            plan.conflicts.append(f"{_who(m.full_name, m.uid)}: {problem.message}")
        # Validated once: the merge writes these warnings without validating again.
        plan.issue_codes[m.uid] = " ".join(i.code for i in report.warnings)
    for uid in pkg.steps:
        if uid not in uids:
            plan.conflicts.append(f"Bước quy trình của mã {uid[:8]}… không có đoàn viên tương ứng.")


def _place_members(
    store: Store, applied: list[PackagePlan], received: dict[str, dict[str, Any]]
) -> None:
    """Where each member lives after the merge: one live record, the newer package's commune.

    A member in a package of commune B whose live record is in commune A has
    moved when B's package is newer than A's last (merged or in this batch);
    otherwise A keeps them and B's row waits for B's next package. A deleted
    record never blocks: it is revived where the member now is. Two packages
    of the same age both holding the person is a conflict.
    """
    claims: dict[str, list[tuple[PackagePlan, Member]]] = defaultdict(list)
    for plan in applied:
        for m in plan.package.members:
            claims[m.uid].append((plan, m))
    homes = store.received.uid_homes(list(claims))
    names = {code: r["commune_name"] for code, r in received.items()}
    names.update(
        {p.package.manifest.commune_code: p.package.manifest.commune_name for p in applied}
    )
    batch = {p.package.manifest.commune_code: p for p in applied}

    def age(code: str) -> str:
        plan = batch.get(code)
        if plan is not None:
            return plan.package.manifest.created_at
        return str(received[code]["created_at"]) if code in received else ""

    for uid, holders in claims.items():
        home = homes.get(uid)  # (commune code, deleted?)
        # (commune, package age, plan): each package holding them, and a live record
        # in a commune not merged now (its last package competes too).
        # A package merged now wins a tie with one merged before: it arrived later.
        contenders: list[tuple[str, tuple[str, int], PackagePlan | None]] = [
            (p.package.manifest.commune_code, (age(p.package.manifest.commune_code), 1), p)
            for p, _ in holders
        ]
        if home is not None and not home[1] and home[0] not in batch:
            contenders.append((home[0], (age(home[0]), 0), None))
        newest = max(c[1] for c in contenders)
        first = [c for c in contenders if c[1] == newest]
        if len(first) > 1:
            codes = " và ".join(f"xã mã {c}" for c in sorted({c[0] for c in first}))
            for plan, m in holders:
                plan.conflicts.append(
                    f"{_who(m.full_name, uid)} có trong gói của cả {codes} (cùng thời điểm): "
                    "cần xác định nơi sinh hoạt hiện nay."
                )
            continue
        to, _, winner = first[0]
        for plan, _ in holders:
            if plan is not winner:
                plan.kept_elsewhere.add(uid)
        if winner is not None and home is not None and home[0] != to:
            m = next(m for p, m in holders if p is winner)
            winner.moves.append(
                f"{_who(m.full_name, uid)}: chuyển từ {names.get(home[0], 'xã')} (mã {home[0]}) "
                f"sang {names[to]} (mã {to})."
            )


def _find_duplicates(store: Store, applied: list[PackagePlan]) -> None:
    """Same CCCD in two communes; same folded name and date of birth anywhere."""
    replaced = {p.package.manifest.commune_code for p in applied}
    written = {m.uid for p in applied for m in p.package.members if m.uid not in p.kept_elsewhere}
    people: list[tuple[str, str, str, str, str, PackagePlan | None]] = [
        (r["uid"], r["commune_code"], r["cccd"], r["full_name"], r["dob"] or "", None)
        for r in store.received.member_identities()
        if r["commune_code"] not in replaced and r["uid"] not in written
    ]
    for plan in applied:
        code = plan.package.manifest.commune_code
        people += [
            (m.uid, code, m.cccd, m.full_name, m.dob.iso() if m.dob else "", plan)
            for m in plan.package.members
            if m.uid not in plan.kept_elsewhere
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


def apply_merge(
    store: Store,
    plan: MergePlan,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path | None:
    """Write every applied package in one transaction, after a backup; all or nothing.

    Records each commune's key (first package, or a new key the officer
    confirmed). `progress(done, total)` after each package. Returns the
    backup's path (None for an in-memory store or nothing to apply).
    """
    from dvdesk.errors import KnownError
    from dvdesk.store import backup

    if plan.conflicts:
        raise KnownError(f"Không gộp: có {plan.conflicts} xung đột cần xử lý trước.")
    applied = plan.applied
    if not applied:
        return None
    saved = backup.make_backup(store, reason="truoc-gop") if store.path else None
    with store.transaction(), store.received.bulk():
        for done, p in enumerate(applied, start=1):
            m, pkg = p.package.manifest, p.package
            info = {
                "commune_code": m.commune_code,
                "commune_name": m.commune_name,
                "sequence": m.sequence,
                "created_at": m.created_at,
                "app_version": m.app_version,
                "sha256": pkg.digest,
                "party_members": m.party_members,
                "target_percent": m.target_percent,
            }
            store.received.record_key(
                m.commune_code, m.commune_name, pkg.public_key, pkg.fingerprint
            )
            members = [x for x in pkg.members if x.uid not in p.kept_elsewhere]
            steps = {u: s for u, s in pkg.steps.items() if u not in p.kept_elsewhere}
            store.received.replace_commune(
                info, pkg.units, members, steps, pkg.audit, today or date.today(), p.issue_codes
            )
            if progress:
                progress(done, len(applied))
    return saved
