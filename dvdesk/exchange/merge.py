"""Merging commune packages at the receiving level (tổng hợp dữ liệu các xã).

One engine does both the preview and the merge: inside ONE transaction it
takes the packages one at a time (a province's hundred communes never sit in
memory together), checks each (sender's key, replay, own commune, every
record), writes it, and at the end looks for possible duplicates across
communes. A preview (`plan_merge`, `--dry-run`) then rolls everything back;
a merge commits only when nothing conflicts, after a backup — all or
nothing. What each package did (added / updated / unchanged / removed,
members who moved between communes, conflicts, possible duplicates) is the
`MergePlan` a clerk reads.

A newer package (higher sequence) replaces its commune's rows; the very file
merged last time changes nothing; an older one, or another file under a number
already merged, is a replay and is refused. A member whose live record is in
another commune moves to the commune of the newer package: the same row, so
the history and the procedure steps go with them; a deleted record never
blocks anyone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk import __version__, older_than_this
from dvdesk.domain.dates import fmt
from dvdesk.domain.validation import validate_member
from dvdesk.errors import KnownError
from dvdesk.exchange.manifest import Manifest, PackageError
from dvdesk.exchange.package import Package, PackageFile
from dvdesk.exchange.signing import fingerprint, normalize_fingerprint

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

APPLY, SAME, OLDER, SUPERSEDED = "apply", "same", "older", "superseded"
KEY_NEW, KEY_SAME, KEY_CHANGED = "new", "same", "changed"
Source = Package | PackageFile
Progress = Callable[[int, int], None]


class KeyChanged(PackageError):
    """A commune's package is signed by a key other than the one recorded for it.

    Refused unless the officer, having phoned the commune, confirms the new
    key's fingerprint (`accept_keys`; the window asks with this error's fields).
    """

    def __init__(self, source: str, manifest: Manifest, recorded: str, new: str) -> None:
        m = manifest
        super().__init__(
            f"Gói “{source}” của {m.commune_name} (mã {m.commune_code}) được ký bằng khóa "
            f"khác khóa đã ghi nhận (mã nhận dạng đã ghi {recorded}, gói này {new}). Không "
            "gộp. Nếu xã đã đổi máy hoặc tệp dữ liệu, hãy gọi điện xác nhận mã mới rồi gộp "
            f"lại với --accept-key {new}."
        )
        self.source = source
        self.commune_code, self.commune_name = m.commune_code, m.commune_name
        self.old_fingerprint, self.fingerprint = recorded, new


@dataclass
class PackagePlan:
    """What one package would do (tóm tắt một gói)."""

    package: Package | None  # None once a package read from a file was written (memory)
    manifest: Manifest
    source: str
    digest: str  # SHA-256 of the file as received
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
    identical: bool = False  # SAME: the very file merged before (a harmless re-run)
    fingerprint: str = ""
    key_status: str = ""  # KEY_NEW / KEY_SAME / KEY_CHANGED
    old_fingerprint: str = ""
    renamed_from: str = ""  # the commune's name in the last package merged, when it changed
    moves: list[str] = field(default_factory=list)  # "… chuyển từ xã A sang xã B"
    kept_elsewhere: int = 0  # members a newer package of another commune holds

    @property
    def label(self) -> str:
        m = self.manifest
        return f"{m.commune_name} (mã {m.commune_code}), gói số {m.sequence}"


@dataclass
class MergePlan:
    packages: list[PackagePlan]
    sources: list[Source] = field(default_factory=list)
    accept_keys: tuple[str, ...] = ()
    committed: bool = False

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
            version = p.manifest.app_version or "không rõ phiên bản"
            out.append(f"Gói “{p.source}”: {p.label}; xuất bằng dvdesk {version}")
            if older_than_this(p.manifest.app_version):
                out.append(
                    f"  Lưu ý: xã này dùng dvdesk {version}, cũ hơn bản ở đây ({__version__}): "
                    "hãy đề nghị xã cập nhật dvdesk."
                )
            out += _identity_lines(p)
            if p.action == SAME:
                out.append(
                    f"  Gói này đã được gộp trước đây (gói số {p.previous}): không thay đổi gì."
                )
            elif p.action == SUPERSEDED:
                out.append("  Cùng lần gộp có gói mới hơn của xã này: bỏ qua gói này.")
            elif p.added + p.updated + p.unchanged + p.removed or not p.conflicts:
                out.append(
                    f"  Thêm mới {p.added}, cập nhật {p.updated}, không đổi "
                    f"{p.unchanged}, không còn trong danh sách {p.removed}; "
                    f"xung đột {len(p.conflicts)}, nghi trùng {len(p.duplicates)}."
                )
            if p.kept_elsewhere:
                out.append(
                    f"  {p.kept_elsewhere} người trong gói đã có trong gói mới hơn của xã khác "
                    "(đã chuyển đi): giữ ở xã đó."
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
    if p.key_status == KEY_NEW:
        out.append(
            f"  Lần đầu nhận gói của xã này: đã ghi nhận khóa ký, mã nhận dạng {p.fingerprint}. "
            "Hãy gọi điện cho xã để đối chiếu mã này."
        )
    elif p.key_status == KEY_CHANGED:
        out.append(
            f"  Khóa ký mới của xã đã được xác nhận: mã nhận dạng {p.fingerprint} (khóa cũ "
            f"{p.old_fingerprint})."
        )
    if p.renamed_from:
        out.append(
            f"  Đổi tên: “{p.renamed_from}” → “{p.manifest.commune_name}” "
            f"(mã {p.manifest.commune_code})."
        )
    return out


# -- the three entry points ------------------------------------------------------------


def plan_merge(
    store: Store,
    packages: Sequence[Source],
    today: date | None = None,
    accept_keys: Iterable[str] = (),
) -> MergePlan:
    """What merging `packages` would do; nothing is written (the work is rolled back).

    Refused (PackageError) before anything is shown: a package of this file's
    own commune, one signed by a key other than the one recorded for its
    commune (unless the officer confirmed the new key's fingerprint in
    `accept_keys`), one signed by another commune's key, a replay.
    """
    return _run(store, list(packages), today or date.today(), tuple(accept_keys), commit=False)


def apply_merge(
    store: Store,
    plan: MergePlan,
    today: date | None = None,
    progress: Progress | None = None,
) -> Path | None:
    """Merge what `plan` previewed, after a backup; all or nothing.

    Returns the backup's path (None for an in-memory store or nothing to apply).
    """
    from dvdesk.store import backup

    if plan.conflicts:
        raise KnownError(f"Không gộp: có {plan.conflicts} xung đột cần xử lý trước.")
    if not plan.applied:
        return None
    saved = backup.make_backup(store, reason="truoc-gop") if store.path else None
    done = _run(
        store, plan.sources, today or date.today(), plan.accept_keys, commit=True, progress=progress
    )
    if not done.committed:
        raise KnownError(f"Không gộp: có {done.conflicts} xung đột cần xử lý trước.")
    return saved


def merge_files(
    store: Store,
    files: Sequence[PackageFile],
    *,
    commit: bool,
    today: date | None = None,
    accept_keys: Iterable[str] = (),
    progress: Progress | None = None,
) -> tuple[MergePlan, Path | None]:
    """Preview (`commit=False`) or merge package files in one pass; the plan and the backup.

    Each package is unpacked once and dropped after it is written, so memory
    holds one commune's rows at a time. With conflicts nothing is committed
    (`plan.committed` is False) and the backup made for the merge is removed.
    """
    from dvdesk.store import backup

    writes = commit and store.path is not None and _any_new(store, files)
    saved = backup.make_backup(store, reason="truoc-gop") if writes else None
    try:
        plan = _run(
            store,
            list(files),
            today or date.today(),
            tuple(accept_keys),
            commit=commit,
            progress=progress,
            release=True,
        )
    except BaseException:
        _discard(saved)
        raise
    if saved is not None and not plan.committed:
        _discard(saved)
        saved = None
    return plan, saved


def _any_new(store: Store, files: Sequence[PackageFile]) -> bool:
    """Whether any package would be written (no backup for a run that changes nothing)."""
    received = {r["commune_code"]: r for r in store.received.all()}
    plans = [_header(f, received) for f in files]
    _order(plans, received)
    return any(p.action == APPLY for p in plans)


def _discard(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


# -- the engine ----------------------------------------------------------------------------


class _Rollback(Exception):
    """Leaves the merge's transaction without committing (a preview, or conflicts)."""


def _run(
    store: Store,
    sources: list[Source],
    today: date,
    accept_keys: tuple[str, ...],
    *,
    commit: bool,
    progress: Progress | None = None,
    release: bool = False,
) -> MergePlan:
    received = {r["commune_code"]: r for r in store.received.all()}
    plans = [_header(s, received) for s in sources]
    merge = MergePlan(plans, sources, accept_keys)
    accepted = {normalize_fingerprint(k) for k in accept_keys} - {""}
    _rekeyed(store, plans, accepted)
    _order(plans, received)
    _refuse_replays(plans)
    own = store.settings.get().commune_code.strip()
    applied = [(p, s) for p, s in zip(plans, sources, strict=True) if p.action == APPLY]
    batch = _Batch(own, accepted)
    for plan, source in zip(plans, sources, strict=True):
        if plan.action == SUPERSEDED:
            # Not merged, but checked all the same: a forged file in a batch refuses it.
            package = source if isinstance(source, Package) else source.load(release=release)
            batch.check_sender(store, plan, package)
    if not applied:
        return merge
    try:
        with store.transaction(), store.received.bulk():
            for done, (plan, source) in enumerate(applied, start=1):
                package = source if isinstance(source, Package) else source.load(release=release)
                plan.package = package
                batch.check_sender(store, plan, package)
                _note_identity(store, plan, package, received.get(package.manifest.commune_code))
                issue_codes = _check_records(plan, package, today)
                if not plan.conflicts:
                    _write(store, plan, package, issue_codes, batch, today)
                if release:
                    plan.package = None  # this commune's rows leave memory
                if progress:
                    progress(done, len(applied))
            _find_duplicates(store, [p for p, _ in applied])
            if not commit or merge.conflicts:
                raise _Rollback
            merge.committed = True
    except _Rollback:
        pass
    return merge


def _rekeyed(store: Store, plans: list[PackagePlan], accepted: set[str]) -> None:
    """A commune whose key changed: refused unless confirmed; confirmed, its numbering restarts.

    Read from the manifest before the package is unpacked (the signature check
    then binds that key to the manifest): a commune that lost its computer
    starts a new data file, whose packages count from 1 again.
    """
    for plan in plans:
        key = _b64_key(plan.manifest.signing_key)
        recorded = store.received.commune_key(plan.manifest.commune_code)
        if key is None or recorded is None or recorded["public_key"] == key:
            continue
        new = fingerprint(key)
        if new not in accepted:
            raise KeyChanged(plan.source, plan.manifest, recorded["fingerprint"], new)
        plan.previous = None  # a new key counts its packages from 1


def _b64_key(text: str) -> bytes | None:
    import base64
    import binascii

    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == 32 else None


def _header(source: Source, received: dict[str, dict[str, Any]]) -> PackagePlan:
    manifest = source.manifest
    previous = received.get(manifest.commune_code)
    return PackagePlan(
        source if isinstance(source, Package) else None,
        manifest,
        source.source,
        source.digest,
        None if previous is None else int(previous["sequence"]),
    )


def _order(plans: list[PackagePlan], received: dict[str, dict[str, Any]]) -> None:
    """Older than merged → replay; two of one commune in a batch → the newest only."""
    best: dict[str, PackagePlan] = {}
    for plan in plans:
        m = plan.manifest
        if plan.previous is not None and m.sequence <= plan.previous:
            plan.action = SAME if m.sequence == plan.previous else OLDER
            before = received[m.commune_code]
            if plan.action == SAME and before["created_at"] != m.created_at:
                plan.refreshed = str(before["created_at"]).replace("T", " ")
            plan.identical = plan.action == SAME and before["sha256"] == plan.digest
            continue
        other = best.get(m.commune_code)
        if other is None or m.sequence > other.manifest.sequence:
            if other is not None:
                other.action = SUPERSEDED
            best[m.commune_code] = plan
        else:
            plan.action = SUPERSEDED


def _refuse_replays(plans: list[PackagePlan]) -> None:
    for plan in plans:
        m = plan.manifest
        if plan.action == SAME and plan.refreshed:
            raise PackageError(
                f"Gói “{plan.source}” của {m.commune_name}: đã gộp một gói số "
                f"{plan.previous} khác của xã này (tạo lúc {plan.refreshed}). Có thể xã đã khôi "
                "phục dữ liệu từ bản sao lưu: không gộp — hãy đề nghị xã xuất gói mới (số lớn hơn)."
            )
        if plan.action == OLDER or (plan.action == SAME and not plan.identical):
            raise PackageError(
                f"Gói “{plan.source}” của {m.commune_name} (mã {m.commune_code}) là gói "
                f"số {m.sequence}, {'đã được gộp trước đây' if plan.action == SAME else 'cũ hơn'}"
                f" (gói mới nhất đã gộp của xã: số {plan.previous}): không gộp lại."
            )


@dataclass
class _Batch:
    """What the merge has seen so far: keys per commune, communes written and their plans."""

    own: str
    accepted: set[str]
    keys: dict[str, bytes] = field(default_factory=dict)
    written: dict[str, PackagePlan] = field(default_factory=dict)

    def check_sender(self, store: Store, plan: PackagePlan, p: Package) -> None:
        """Own commune, then keys: recorded, confirmed anew, or another commune's."""
        m = p.manifest
        plan.fingerprint = p.fingerprint
        if self.own and m.commune_code == self.own:
            raise PackageError(
                f"Gói “{p.source}” là gói của chính xã/phường của tệp dữ liệu này (mã "
                f"{self.own}): chỉ gộp vào tệp dữ liệu tổng hợp của cấp nhận."
            )
        owner = store.received.key_owner(p.public_key)
        if owner is not None and owner != m.commune_code:
            raise PackageError(
                f"Gói “{p.source}” mang mã xã {m.commune_code} nhưng được ký bằng khóa của "
                f"xã mã {owner}: không gộp (gói giả danh hoặc nhầm tệp dữ liệu)."
            )
        other = next((c for c, k in self.keys.items() if k == p.public_key), None)
        if other is not None and other != m.commune_code:
            raise PackageError(
                f"Gói “{p.source}” (xã mã {m.commune_code}) và gói của xã mã {other} được ký "
                "bằng cùng một khóa: không gộp (gói giả danh hoặc nhầm tệp dữ liệu)."
            )
        self.keys[m.commune_code] = p.public_key
        recorded = store.received.commune_key(m.commune_code)
        if recorded is None or recorded["public_key"] == p.public_key:
            return
        if p.fingerprint not in self.accepted:
            raise KeyChanged(p.source, m, recorded["fingerprint"], p.fingerprint)


def _note_identity(
    store: Store, plan: PackagePlan, p: Package, received: dict[str, Any] | None
) -> None:
    recorded = store.received.commune_key(p.manifest.commune_code)
    if recorded is None:
        plan.key_status = KEY_NEW
    elif recorded["public_key"] == p.public_key:
        plan.key_status = KEY_SAME
    else:
        plan.key_status, plan.old_fingerprint = KEY_CHANGED, recorded["fingerprint"]
    if received is not None and received["commune_name"] != p.manifest.commune_name:
        plan.renamed_from = received["commune_name"]


def _who(name: str, uid: str) -> str:
    return f"{name} (mã {uid[:8]}…)"


def _check_records(plan: PackagePlan, pkg: Package, today: date) -> dict[str, str]:
    """The same validation as on entry, once per row; the warnings the write records."""
    kinds = {u.code: u.kind for u in pkg.units}
    holders: dict[str, tuple[str, str]] = {}
    uids = set()
    issue_codes: dict[str, str] = {}

    def owner(cccd: str, uid: str) -> str | None:
        held = holders.get(cccd)
        return held[1] if held and held[0] != uid else None

    for m in pkg.members:
        if m.uid in uids:
            plan.conflicts.append(f"{_who(m.full_name, m.uid)} xuất hiện hai lần trong gói.")
        uids.add(m.uid)
        if m.cccd and m.cccd not in holders:  # members arrive normalized (package.py)
            holders[m.cccd] = (m.uid, m.full_name)
        report = validate_member(
            m, today=today, unit_kinds=kinds, cccd_owner=owner, normalized=True
        )
        for problem in report.errors:
            plan.conflicts.append(f"{_who(m.full_name, m.uid)}: {problem.message}")
        issue_codes[m.uid] = " ".join(i.code for i in report.warnings)
    for uid in pkg.steps:
        if uid not in uids:
            plan.conflicts.append(f"Bước quy trình của mã {uid[:8]}… không có đoàn viên tương ứng.")
    return issue_codes


def _write(
    store: Store,
    plan: PackagePlan,
    pkg: Package,
    issue_codes: dict[str, str],
    batch: _Batch,
    today: date,
) -> None:
    """Place the package's members (moves between communes), then replace its commune's rows."""
    m = pkg.manifest
    code = m.commune_code
    homes = store.received.uid_homes(x.uid for x in pkg.members)
    current = {r["commune_code"]: r for r in store.received.all()}  # with this batch's writes
    keep: list[Any] = []
    kept: set[str] = set()
    for member in pkg.members:
        home = homes.get(member.uid)
        if home is None or home[0] == code:
            keep.append(member)
            continue
        there, deleted = home
        theirs = "" if deleted else str(current.get(there, {}).get("created_at", ""))
        if theirs > m.created_at:
            kept.add(member.uid)  # a newer package of another commune holds them
            continue
        if theirs == m.created_at and there in batch.written:
            line = (
                f"{_who(member.full_name, member.uid)} có trong gói của cả xã mã {there} và "
                f"xã mã {code} (cùng thời điểm): cần xác định nơi sinh hoạt hiện nay."
            )
            plan.conflicts.append(line)
            batch.written[there].conflicts.append(line)
            continue
        name = current.get(there, {}).get("commune_name") or "xã"
        plan.moves.append(
            f"{_who(member.full_name, member.uid)}: chuyển từ {name} (mã {there}) sang "
            f"{m.commune_name} (mã {code})."
        )
        keep.append(member)
    if plan.conflicts:
        return
    plan.kept_elsewhere = len(kept)
    info = {
        "commune_code": code,
        "commune_name": m.commune_name,
        "sequence": m.sequence,
        "created_at": m.created_at,
        "app_version": m.app_version,
        "sha256": pkg.digest,
        "party_members": m.party_members,
        "target_percent": m.target_percent,
    }
    store.received.record_key(code, m.commune_name, pkg.public_key, fingerprint(pkg.public_key))
    steps = {u: s for u, s in pkg.steps.items() if u not in kept}
    dossier = None
    if pkg.dossier is not None:
        dossier = {
            t: [r for r in rows if r.get("member_uid") not in kept]
            for t, rows in pkg.dossier.items()
        }
    done = store.received.replace_commune(
        info,
        pkg.units,
        keep,
        steps,
        pkg.audit,
        today,
        issue_codes,
        dossier,
        elsewhere=homes,
        party_totals=pkg.party_totals,
    )
    plan.added, plan.updated, plan.unchanged, plan.removed = (
        done.added,
        done.updated,
        done.unchanged,
        done.removed,
    )
    batch.written[code] = plan


def _find_duplicates(store: Store, applied: list[PackagePlan]) -> None:
    """Same CCCD in two communes; same folded name and date of birth anywhere.

    Read after the writes (inside the merge's transaction), so the file's other
    communes and every package are compared in one place; only groups with a
    member of a package in this merge are reported, to that package.
    """
    plans = {p.manifest.commune_code: p for p in applied if p.action == APPLY}
    if not plans:
        return
    for cccd, group in store.received.shared_cccds():
        _report(plans, group, f"cùng số CCCD {cccd} ở các xã khác nhau")
    for people in store.received.namesakes():
        if any(c in plans for c, _, _ in people):
            dob = fmt(date.fromisoformat(people[0][2]))
            _report(plans, [(c, n) for c, n, _ in people], f"cùng họ tên và ngày sinh {dob}")


def _report(plans: dict[str, PackagePlan], group: list[tuple[str, str]], why: str) -> None:
    names = "; ".join(f"{name} (xã mã {code})" for code, name in group)
    for code in dict.fromkeys(c for c, _ in group):
        if code in plans:
            plans[code].duplicates.append(f"{names}: {why}.")
