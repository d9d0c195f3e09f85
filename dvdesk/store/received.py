"""Merged packages at the receiving level (dữ liệu tổng hợp của cấp nhận).

A merge replaces one commune's rows by a newer package's, inside the caller's
transaction, audited row by row like any other write; `received_packages`
remembers the last sequence merged per commune and `received_audit` keeps the
audit entries each package carried.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from operator import itemgetter
from typing import Any

from dvdesk.domain.eligibility import Method
from dvdesk.domain.member import Member, Presence, Unit, UnitKind
from dvdesk.domain.procedure import Stage, StepRecord
from dvdesk.domain.statistics import (
    EVENT_STEPS,
    Counts,
    Statistics,
    TargetProgress,
    YearTotals,
    active_years,
    compute,
)
from dvdesk.domain.validation import validate_member
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import AUDIT_INSERT, Connection, now_iso
from dvdesk.store.dossier_bulk import Checks
from dvdesk.store.dossier_rows import DossierRows, Tables
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.members import search_index_deferred
from dvdesk.store.packages import PackagesRepo
from dvdesk.store.received_index import ReceivedIndex
from dvdesk.store.rows import audit_view, member_row, step_values, step_view

IN_PROCEDURE = (Stage.INTRODUCED, Stage.COURSE, Stage.DOSSIER, Stage.ADMISSION)
PARTY = (Stage.PROBATION, Stage.FULL)
# The "eligible" view's exclusions, as store/views.py (PARTY_MEMBERS, GONE); views.py
# imports the gateway, so they are not imported from there.
_NOT_STAGES = tuple(s.value for s in PARTY)
_GONE = (Presence.MOVED.value, Presence.LEFT_UNION.value)
MERGE_CACHE_KIB = 160 * 1024  # the merge's page cache (the process stays under 400 MB)


@dataclass(frozen=True)
class CommuneFigures:
    """One commune's line of the receiving level's summary (tổng hợp theo xã)."""

    commune_code: str
    commune_name: str
    sequence: int | None  # last package merged (None: members without a package)
    created_at: str  # when that package was made at the commune
    merged_at: str  # when it was merged here
    members: int
    eligible: int  # eligible on the date (not yet Party members)
    stages: dict[str, int]  # Stage value → members at that stage
    flagged: int  # records with validation warnings (cảnh báo)
    overdue: int  # candidates with an overdue step (quá hạn)
    expiring: int  # candidates with a step about to lapse (sắp hết hạn)
    statistics: Statistics  # the directive's figures over every year with activity
    year: TargetProgress  # this year's admissions against the commune's target

    @property
    def candidates(self) -> int:
        return sum(self.stages.get(s.value, 0) for s in IN_PROCEDURE)


@dataclass(frozen=True)
class Replaced:
    """What `replace_commune` did: the change value and the counts a preview shows."""

    changes: Changes
    added: int  # new here (moved-in members included)
    updated: int  # record or procedure steps changed
    unchanged: int
    removed: int  # no longer in the commune's list (soft-deleted)


class ReceivedRepo:
    """`store.received`: merged packages at the receiving level."""

    def __init__(
        self, conn: Connection, packages: PackagesRepo, checks: Callable[[date], Checks]
    ) -> None:
        self._conn = conn
        self._packages = packages
        self._checks = checks  # this file's bulk checklists on a day (store.dossier.bulk_checks)
        self._index = ReceivedIndex(conn)

    def sequence(self, commune_code: str) -> int | None:
        found = self._conn.scalar(
            "SELECT sequence FROM received_packages WHERE commune_code = ?", [commune_code]
        )
        return None if found is None else int(found)

    def all(self) -> list[dict[str, Any]]:
        return self._index.all()

    def commune_codes(self) -> list[str]:
        """Every commune with a package merged or live members here, in code order."""
        return self._index.commune_codes()

    def summary(self, on: date, method: Method = Method.COMPLETED) -> list[CommuneFigures]:
        """Per commune: package, members, eligible on `on`, stages, ratios, target, flags.

        Everything is counted per commune code, so one commune's "KDC01" never
        adds to another's. Communes with members but no package (the file's
        own entries) come too.
        """
        received = {r["commune_code"]: r for r in self.all()}
        counts = {
            r["commune_code"]: r
            for r in self._conn.rows(
                "SELECT commune_code, count(*) AS members, sum(issue_codes <> '') AS flagged "
                "FROM members WHERE deleted_at IS NULL GROUP BY commune_code"
            )
        }
        # The "eligible" view's own question (store/views.py), counted per commune.
        eligible = MemberQuery(
            eligible_on=on, method=method, not_stages=_NOT_STAGES, not_presences=_GONE
        )
        where, params = eligible.where()
        eligible_counts = {
            code: n
            for code, n in self._conn.tuples(
                f"SELECT m.commune_code, count(*) FROM members m WHERE {where} "
                "GROUP BY m.commune_code",
                params,
            )
        }
        stages: dict[str, dict[str, int]] = defaultdict(dict)
        for code, stage, n in self._conn.tuples(
            "SELECT commune_code, stage, count(*) FROM members WHERE deleted_at IS NULL "
            "GROUP BY commune_code, stage"
        ):
            stages[code][stage] = n
        events = self._event_counts()
        totals = self.party_totals()
        flags = self._flags(on, method)
        out: list[CommuneFigures] = []
        for code in sorted(set(received) | set(counts)):
            r, c = received.get(code), counts.get(code, {})
            party_members = int(r["party_members"]) if r else 0
            target = float(r["target_percent"]) if r else 3.0
            mine = events.get(code, {})
            span = active_years(mine) or (on.year, on.year)
            entered = totals.get(code, {})
            stats = compute(mine, span[0], span[1], entered, target)
            year = compute(mine, on.year, on.year, entered, target).targets[0]
            if on.year not in entered:  # a package before format 1.3: the manifest's total
                year = replace(year, party_members=party_members or None)
            out.append(
                CommuneFigures(
                    code,
                    r["commune_name"] if r else "",
                    int(r["sequence"]) if r else None,
                    r["created_at"] if r else "",
                    r["merged_at"] if r else "",
                    int(c.get("members") or 0),
                    int(eligible_counts.get(code, 0)),
                    stages.get(code, {}),
                    int(c.get("flagged") or 0),
                    flags.get(code, (0, 0))[0],
                    flags.get(code, (0, 0))[1],
                    stats,
                    year,
                )
            )
        return out

    def statistics(self, commune_code: str, first: int, last: int) -> Statistics:
        """One commune's period figures (as its own file's `store.statistics.compute`).

        The yearly đảng bộ totals are the commune's own entries as its last package
        carried them (party_totals.csv); a year without them shows as not entered.
        """
        received = {r["commune_code"]: r for r in self.all()}
        target = (
            float(received[commune_code]["target_percent"]) if commune_code in received else 3.0
        )
        counts = self._event_counts(commune_code).get(commune_code, {})
        return compute(
            counts, first, last, self.party_totals(commune_code).get(commune_code), target
        )

    def party_totals(self, commune_code: str | None = None) -> dict[str, dict[int, YearTotals]]:
        """Per commune: the yearly đảng bộ figures its last package carried, by year."""
        out: dict[str, dict[int, YearTotals]] = defaultdict(dict)
        for code, year, at_start, outside, source in self._conn.tuples(
            "SELECT commune_code, year, members_at_start, outside_admitted, source "
            "FROM received_party_totals "
            f"{'' if commune_code is None else 'WHERE commune_code = ? '}ORDER BY 1, 2",
            [] if commune_code is None else [commune_code],
        ):
            out[code][year] = YearTotals(year, at_start, outside, source)
        return dict(out)

    def _event_counts(self, commune_code: str | None = None) -> dict[str, Counts]:
        """Per commune: members per (year, step, unit kind at the time), as store.statistics."""
        marks = ",".join("?" * len(EVENT_STEPS))
        out: dict[str, dict[tuple[int, str, UnitKind], int]] = defaultdict(dict)
        for code, year, step, kind, n in self._conn.tuples(
            "SELECT m.commune_code, CAST(substr(s.done_on, 1, 4) AS INTEGER), s.code, "
            "coalesce(s.unit_kind, u.kind), count(*) FROM steps s "
            "JOIN members m ON m.id = s.member_id JOIN units u ON u.id = m.unit_id "
            f"WHERE s.state = 'done' AND s.done_on IS NOT NULL AND s.code IN ({marks}) "
            f"AND m.deleted_at IS NULL {'' if commune_code is None else 'AND m.commune_code = ?'} "
            "GROUP BY 1, 2, 3, 4",
            [*EVENT_STEPS, *([] if commune_code is None else [commune_code])],
        ):
            out[code][(year, step, UnitKind(kind))] = n
        return dict(out)

    def _flags(self, on: date, method: Method) -> dict[str, tuple[int, int]]:
        """Candidates with an overdue / an expiring step, per commune (their checklists,
        with their dossiers, as the commune's own file builds them)."""
        marks = ",".join("?" * len(IN_PROCEDURE))
        ids = [
            r[0]
            for r in self._conn.tuples(
                f"SELECT id FROM members WHERE deleted_at IS NULL AND stage IN ({marks}) "
                "AND EXISTS (SELECT 1 FROM steps s WHERE s.member_id = members.id) ORDER BY id",
                [x.value for x in IN_PROCEDURE],
            )
        ]
        checks = self._checks(on)
        checks = Checks(self._conn, replace(checks.options, method=method))
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for member, checklist in checks.checklists(ids, on):
            counts = out[member["commune_code"]]
            counts[0] += bool(checklist.overdue)
            counts[1] += bool(checklist.expiring)
        return {code: (v[0], v[1]) for code, v in out.items()}

    def commune_key(self, commune_code: str) -> dict[str, Any] | None:
        """The public key recorded for a commune (its first package), or None."""
        row = self._conn.one("SELECT * FROM commune_keys WHERE commune_code = ?", [commune_code])
        if row is not None:
            row["public_key"] = bytes(row["public_key"])
        return row

    def key_owner(self, public_key: bytes) -> str | None:
        """The commune whose recorded key this is, if any."""
        found = self._conn.scalar(
            "SELECT commune_code FROM commune_keys WHERE public_key = ?", [public_key]
        )
        return None if found is None else str(found)

    def record_key(
        self, commune_code: str, commune_name: str, public_key: bytes, fingerprint: str
    ) -> Changes:
        """Record (or, confirmed by the officer, replace) a commune's key; audited."""
        with self._conn.transaction():
            old = self.commune_key(commune_code)
            if old is not None and old["public_key"] == public_key:
                return Changes()
            row = {
                "commune_code": commune_code,
                "commune_name": commune_name,
                "public_key": public_key,
                "fingerprint": fingerprint,
                "recorded_at": now_iso(),
            }
            self._conn.execute(
                "INSERT INTO commune_keys (commune_code, commune_name, public_key, fingerprint, "
                "recorded_at) VALUES (:commune_code, :commune_name, :public_key, :fingerprint, "
                ":recorded_at) ON CONFLICT (commune_code) DO UPDATE SET "
                "commune_name = excluded.commune_name, public_key = excluded.public_key, "
                "fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at",
                row,
            )
            self._conn.audit(
                "update" if old else "insert",
                "commune_key",
                commune_code,
                None if old is None else {"fingerprint": old["fingerprint"]},
                {"fingerprint": fingerprint, "commune_name": commune_name},
            )
        return Changes.of(Kind.PACKAGES)

    def shared_cccds(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each CCCD held by live members of more than one commune: [(commune, name)]."""
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for cccd, code, name in self._conn.tuples(
            "SELECT cccd, commune_code, full_name FROM members WHERE deleted_at IS NULL "
            "AND cccd IN (SELECT cccd FROM members WHERE deleted_at IS NULL AND cccd <> '' "
            "GROUP BY cccd HAVING count(DISTINCT commune_code) > 1) ORDER BY cccd, commune_code"
        ):
            out[cccd].append((code, name))
        return list(out.items())

    def namesakes(self) -> Iterator[list[tuple[str, str, str]]]:
        """Groups of live members with the same folded name and full date of birth.

        Each group is [(commune, name, dob)]. Read in date order a few thousand
        rows at a time (a province's 200,000 names never in memory together);
        the folded name (names.fold) is read from the stored search text, which
        begins with it (rows.member_row).
        """
        with self._conn.guard():
            cursor = self._conn.sqlite.execute(
                "SELECT dob, commune_code, full_name, cccd, search_text FROM members "
                "WHERE deleted_at IS NULL AND length(dob) = 10 ORDER BY dob"
            )
        day: str | None = None
        group: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        while True:
            with self._conn.guard():
                batch = cursor.fetchmany(5000)
            for dob, code, name, cccd, search in batch:
                if dob != day:
                    yield from (g for g in group.values() if len(g) > 1)
                    day, group = dob, defaultdict(list)
                # Names and search texts are single-spaced (names.normalize_name, rows.py).
                size = name.count(" ") + 1
                words = search.split(" ", size)[:size]
                if cccd and cccd in words:
                    words = words[: words.index(cccd)]
                group[" ".join(words)].append((code, name, dob))
            if not batch:
                break
        yield from (g for g in group.values() if len(g) > 1)

    def uid_homes(self, uids: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """Where each of these uids has a record in this file: (commune code, deleted?)."""
        out: dict[str, tuple[str, bool]] = {}
        uids = list(uids)
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._conn.tuples(
                f"SELECT uid, commune_code, deleted_at IS NOT NULL FROM members "
                f"WHERE uid IN ({marks})",
                chunk,
            ):
                out[r[0]] = (r[1], bool(r[2]))
        return out

    @contextlib.contextmanager
    def bulk(self) -> Iterator[None]:
        """Around a whole merge (inside its transaction): the search index built once, and
        a page cache of MERGE_CACHE_KIB.

        A merge inserts a province's members in one transaction: the indexes with
        random keys (uid, names, dates, the audit's uid: ~120 MB at 200,000 members)
        then stay in the cache instead of being spilled and read back again and again
        (a tenth of the merge's CPU). The file's own cache size is restored after.
        """
        before = self._conn.scalar("PRAGMA cache_size")
        self._conn.execute(f"PRAGMA cache_size = -{MERGE_CACHE_KIB}")
        try:
            with search_index_deferred(self._conn):
                yield
        finally:
            self._conn.execute(f"PRAGMA cache_size = {int(before)}")
            self._conn.execute("PRAGMA shrink_memory")

    def replace_commune(
        self,
        info: dict[str, Any],
        units: list[Unit],
        members: list[Member],
        steps: dict[str, list[StepRecord]],
        audit_rows: list[dict[str, Any]],
        today: date,
        issue_codes: dict[str, str] | None = None,
        dossier: Tables | None = None,
        elsewhere: Container[str] | None = None,
        party_totals: Iterable[YearTotals] | None = None,
    ) -> Replaced:
        """Make one commune's rows equal to a package's. Call inside `store.transaction()`.

        `members` are normalized (as a package reads them). A member whose
        record is in another commune (or deleted) moves here: the same row, so
        the history stays with it and the steps follow. `issue_codes` are the
        warnings the merge plan already found (uid → codes); a member missing
        from it is validated here. Every change is audited row by row, in bulk. The
        commune's candidates then have their stage and violation codes derived again
        (store/dossier_bulk.py), as the commune's own file derives them on every write.
        `dossier` (by table, store/dossier_rows.py) replaces the commune's dossier
        rows; None (a package without them) leaves them as they are. `elsewhere`: the
        uids the caller knows to have a record in this file (`uid_homes`), so no other
        is looked up. `party_totals` replaces the commune's yearly đảng bộ figures; None
        (a package before format 1.3) leaves them as they are.
        """
        code = info["commune_code"]
        stamp = now_iso()
        unit_ids = self._merge_units(code, units)
        kinds = {u.code: u.kind for u in units}
        old_rows = {
            r["uid"]: r
            for r in self._conn.rows("SELECT * FROM members WHERE commune_code = ?", [code])
        }
        incoming = {m.uid for m in members}
        audit: list[tuple[Any, ...]] = []
        # Departures first: a re-entered person may reuse a departed one's CCCD.
        gone = [
            (uid, r["id"])
            for uid, r in old_rows.items()
            if uid not in incoming and r["deleted_at"] is None
        ]
        self._conn.executemany(
            "UPDATE members SET deleted_at = ? WHERE id = ?", [(stamp, i) for _, i in gone]
        )
        audit += [
            self._conn.audit_row(
                "delete", "member", uid, {"deleted_at": None}, {"deleted_at": stamp}, stamp
            )
            for uid, _ in gone
        ]
        arriving = self._rows_by_uid(
            [u for u in incoming if u not in old_rows and (elsewhere is None or u in elsewhere)]
        )
        fresh: list[dict[str, Any]] = []
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        changed_uids: set[str] = set()
        for m in members:
            codes = (issue_codes or {}).get(m.uid)
            if codes is None:
                report = validate_member(m, today=today, unit_kinds=kinds, normalized=True)
                codes = " ".join(i.code for i in report.warnings)
            row = member_row(m)
            row.update(
                unit_id=unit_ids[m.unit_code], commune_code=code, deleted_at=None, issue_codes=codes
            )
            old = old_rows.get(m.uid) or arriving.get(m.uid)
            if old is None:
                row.update(created_at=stamp, updated_at=stamp)
                fresh.append(row)
                continue
            changed = {k: v for k, v in row.items() if old.get(k) != v}
            if not changed:
                continue
            changed_uids.add(m.uid)
            changed["updated_at"] = stamp
            columns = tuple(sorted(changed))
            updates[columns].append((*(changed[c] for c in columns), old["id"]))
            before = {k: old[k] for k in audit_view(changed)}
            if old["commune_code"] != code:
                before["commune_code"] = old["commune_code"]
                after = {**audit_view(changed), "commune_code": code}
            else:
                after = audit_view(changed)
            audit.append(self._conn.audit_row("update", "member", m.uid, before, after, stamp))
        for columns, values in updates.items():
            sets = ", ".join(f"{c} = ?" for c in columns)
            self._conn.executemany(f"UPDATE members SET {sets} WHERE id = ?", values)
        if fresh:
            names = list(fresh[0])
            self._conn.executemany(
                f"INSERT INTO members ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                map(itemgetter(*names), fresh),
            )
            audit += [
                self._conn.audit_row("insert", "member", r["uid"], None, audit_view(r), stamp)
                for r in fresh
            ]
        self._conn.executemany(AUDIT_INSERT, audit)
        steps_changed = self._merge_steps(code, steps, stamp)
        if dossier is not None:
            steps_changed |= DossierRows(self._conn).replace_commune(code, dossier)
        self._conn.execute(
            "UPDATE units SET deleted_at = ? WHERE commune_code = ? AND deleted_at IS NULL "
            f"AND code NOT IN ({','.join('?' * len(units)) or 'NULL'})",
            [stamp, code, *(u.code for u in units)],
        )
        self._record_received(info, audit_rows, stamp)
        if party_totals is not None:
            self._conn.execute("DELETE FROM received_party_totals WHERE commune_code = ?", [code])
            self._conn.executemany(
                "INSERT INTO received_party_totals (commune_code, year, members_at_start, "
                "outside_admitted, source) VALUES (?, ?, ?, ?, ?)",
                [
                    (code, t.year, t.members_at_start, t.outside_admitted, t.source)
                    for t in party_totals
                ],
            )
        # Stage and violation codes derived again, as the commune's own file does after
        # every step or dossier write (store/dossier.py refresh), in bulk.
        checks = self._checks(today)
        checks.refresh(checks.candidates(code), today)
        live_before = {u for u, r in old_rows.items() if r["deleted_at"] is None} & incoming
        added = len(incoming) - len(live_before)  # new, moved in, or back from deletion
        updated = len((changed_uids | steps_changed) & live_before)
        changes = Changes.of(
            Kind.MEMBERS, Kind.UNITS, Kind.STEPS, Kind.PACKAGES, reorders=True, commune=code
        )
        return Replaced(changes, added, updated, len(incoming) - added - updated, len(gone))

    def _rows_by_uid(self, uids: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._conn.rows(f"SELECT * FROM members WHERE uid IN ({marks})", chunk):
                out[r["uid"]] = r
        return out

    def _merge_units(self, code: str, units: list[Unit]) -> dict[str, int]:
        existing = {
            r["code"]: r
            for r in self._conn.rows(
                "SELECT id, code, name, kind, deleted_at FROM units WHERE commune_code = ?", [code]
            )
        }
        ids: dict[str, int] = {}
        for u in units:
            new = {"name": u.name, "kind": u.kind.value, "deleted_at": None}
            old = existing.get(u.code)
            if old is None:
                cur = self._conn.execute(
                    "INSERT INTO units (commune_code, code, name, kind) VALUES (?, ?, ?, ?)",
                    (code, u.code, u.name, u.kind.value),
                )
                ids[u.code] = int(cur.lastrowid or 0)
                self._conn.audit("insert", "unit", f"{code}/{u.code}", None, new)
                continue
            ids[u.code] = old["id"]
            before = {k: old[k] for k in new}
            if before != new:
                self._conn.update("units", old["id"], new)
                self._conn.audit("update", "unit", f"{code}/{u.code}", before, new)
        return ids

    def _merge_steps(self, code: str, steps: dict[str, list[StepRecord]], stamp: str) -> set[str]:
        """Replace the steps that differ; the uids whose steps changed."""
        ids = {
            r[0]: r[1]
            for r in self._conn.tuples(
                "SELECT uid, id FROM members WHERE commune_code = ? AND deleted_at IS NULL", [code]
            )
        }
        old = self._packages.steps(code)
        changed: list[tuple[str, int]] = []
        rows: list[tuple[Any, ...]] = []
        audit: list[tuple[Any, ...]] = []
        for uid in set(old) | set(steps):
            before, after = old.get(uid, []), steps.get(uid, [])
            if sorted(map(step_view, before), key=str) == sorted(map(step_view, after), key=str):
                continue
            member_id = ids[uid]
            changed.append((uid, member_id))
            rows += [step_values(member_id, r, stamp) for r in after]
            audit.append(
                self._conn.audit_row(
                    "update",
                    "steps",
                    uid,
                    [step_view(r) for r in before],
                    [step_view(r) for r in after],
                    stamp,
                )
            )
        self._conn.executemany("DELETE FROM steps WHERE member_id = ?", [(i,) for _, i in changed])
        self._conn.executemany(
            "INSERT INTO steps (member_id, code, state, done_on, doc_number, note, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._conn.executemany(AUDIT_INSERT, audit)
        return {uid for uid, _ in changed}

    def _record_received(
        self, info: dict[str, Any], audit_rows: list[dict[str, Any]], stamp: str
    ) -> None:
        code = info["commune_code"]
        old = self._conn.one("SELECT * FROM received_packages WHERE commune_code = ?", [code])
        row = {
            k: info[k]
            for k in (
                "commune_code",
                "commune_name",
                "sequence",
                "created_at",
                "app_version",
                "sha256",
            )
        }
        row["party_members"] = int(info.get("party_members", 0))
        row["target_percent"] = float(info.get("target_percent", 3.0))
        row["merged_at"] = stamp
        self._conn.upsert("received_packages", row, pk="commune_code")
        values = itemgetter("at", "actor", "action", "entity", "entity_uid", "old", "new")
        self._conn.executemany(
            "INSERT INTO received_audit (commune_code, sequence, at, actor, action, entity, "
            "entity_uid, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((code, info["sequence"], *values(r)) for r in audit_rows),
        )
        self._conn.audit("merge", "package", code, old, row)


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


SUMMARY_HEADER: tuple[tuple[str, int], ...] = (
    ("Mã xã", 8),
    ("Xã/phường", 24),
    ("Gói số", 7),
    ("Ngày lập gói", 12),
    ("Ngày gộp", 12),
    ("Đoàn viên", 10),
    ("Đủ tuổi vào Đảng", 10),
    ("Được giới thiệu", 10),
    ("Đã học lớp nhận thức", 10),
    ("Đang làm hồ sơ", 10),
    ("Đang xét kết nạp", 10),
    ("Đảng viên dự bị", 10),
    ("Kết nạp / giới thiệu", 10),
    ("Kết nạp / học lớp", 10),
    ("Kết nạp trong năm", 10),
    ("Chỉ tiêu năm", 9),
    ("Quá hạn", 8),
    ("Sắp hết hạn", 8),
    ("Hồ sơ có cảnh báo", 10),
)
RATIO_COLUMNS = frozenset({12, 13})  # fractions 0..1 (None: nothing to divide)


def summary_rows(figures: list[CommuneFigures], year: int) -> list[list[Any]]:
    """One row per commune and a total row (Cộng), in SUMMARY_HEADER's order.

    Ratios are the directive's period counts (domain/statistics.py) over the
    commune's years with activity: admitted ÷ introduced, admitted ÷ course;
    the total row divides the summed counts. The year's
    admissions and target come from each commune's own Party membership.
    """
    rows: list[list[Any]] = []
    totals = [0] * len(SUMMARY_HEADER)
    spans = [0, 0, 0]  # introduced, course, admitted over each commune's years
    for f in figures:
        span = f.statistics.span(None)
        admitted_year, target = f.year.admitted, f.year.target
        row: list[Any] = [
            f.commune_code,
            f.commune_name,
            f.sequence,
            f.created_at[:10] or None,
            f.merged_at[:10] or None,
            f.members,
            f.eligible,
            f.stages.get(Stage.INTRODUCED.value, 0),
            f.stages.get(Stage.COURSE.value, 0),
            f.stages.get(Stage.DOSSIER.value, 0),
            f.stages.get(Stage.ADMISSION.value, 0),
            f.stages.get(Stage.PROBATION.value, 0),
            span.admitted_per_introduced,
            span.admitted_per_course,
            admitted_year,
            target,
            f.overdue,
            f.expiring,
            f.flagged,
        ]
        rows.append(row)
        for i in (5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18):
            totals[i] += row[i] or 0
        for i, v in enumerate((span.introduced, span.course, span.admitted)):
            spans[i] += v
    total: list[Any] = list(totals)
    total[0], total[1], total[2], total[3], total[4] = (
        "",
        f"Cộng ({len(figures)} xã)",
        None,
        None,
        None,
    )
    total[12], total[13] = _ratio(spans[2], spans[0]), _ratio(spans[2], spans[1])
    rows.append(total)
    return rows
