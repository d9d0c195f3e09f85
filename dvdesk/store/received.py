"""Merged packages at the receiving level (dữ liệu tổng hợp của cấp nhận).

A merge replaces one commune's rows by a newer package's, inside the caller's
transaction, audited row by row like any other write; `received_packages`
remembers the last sequence merged per commune and `received_audit` keeps the
audit entries each package carried.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from operator import itemgetter
from typing import Any

from dvdesk.domain.member import Member, Unit
from dvdesk.domain.procedure import StepRecord, StepState, stage_of
from dvdesk.domain.validation import validate_member
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import AUDIT_INSERT, Connection, now_iso
from dvdesk.store.members import FTS_INSERT_TRIGGER
from dvdesk.store.packages import PackagesRepo
from dvdesk.store.rows import audit_view, member_row, step_view


class ReceivedRepo:
    """`store.received`: merged packages at the receiving level."""

    def __init__(self, conn: Connection, packages: PackagesRepo) -> None:
        self._conn = conn
        self._packages = packages

    def sequence(self, commune_code: str) -> int | None:
        found = self._conn.scalar(
            "SELECT sequence FROM received_packages WHERE commune_code = ?", [commune_code]
        )
        return None if found is None else int(found)

    def all(self) -> list[dict[str, Any]]:
        return self._conn.rows("SELECT * FROM received_packages ORDER BY commune_code")

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

    def member_identities(self) -> list[dict[str, Any]]:
        """uid, commune, CCCD, name and date of birth of every live member (duplicate checks)."""
        return self._conn.rows(
            "SELECT uid, commune_code, cccd, full_name, dob FROM members WHERE deleted_at IS NULL"
        )

    def uid_communes(self, uids: Iterable[str]) -> dict[str, str]:
        """The commune each of these uids already belongs to in this file."""
        out: dict[str, str] = {}
        uids = list(uids)
        for start in range(0, len(uids), 500):
            chunk = uids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self._conn.tuples(
                f"SELECT uid, commune_code FROM members WHERE uid IN ({marks})", chunk
            ):
                out[r[0]] = r[1]
        return out

    # -- writing (merge at the receiving level) -----------------------------

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
        """Around a whole merge (inside its transaction): the search index built once.

        The per-row FTS insert trigger is dropped and re-created (DDL is
        transactional: a rollback brings it back); the new rows' search text
        is indexed in one statement at the end.
        """
        trigger = self._conn.scalar(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            [FTS_INSERT_TRIGGER],
        )
        if trigger is None:
            yield
            return
        last_id = self._conn.scalar("SELECT coalesce(max(id), 0) FROM members")
        self._conn.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        yield
        self._conn.execute(
            "INSERT INTO members_fts (rowid, search_text) "
            "SELECT id, search_text FROM members WHERE id > ?",
            [last_id],
        )
        self._conn.execute(trigger)

    def replace_commune(
        self,
        info: dict[str, Any],
        units: list[Unit],
        members: list[Member],
        steps: dict[str, list[StepRecord]],
        audit_rows: list[dict[str, Any]],
        today: date,
        issue_codes: dict[str, str] | None = None,
    ) -> Changes:
        """Make one commune's rows equal to a package's. Call inside `store.transaction()`.

        `members` are normalized (as a package reads them). A member whose
        record is in another commune (or deleted) moves here: the same row, so
        the history stays with it and the steps follow. `issue_codes` are the
        warnings the merge plan already found (uid → codes); a member missing
        from it is validated here. Every change is audited row by row, in bulk.
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
        arriving = self._rows_by_uid([u for u in incoming if u not in old_rows])
        fresh: list[dict[str, Any]] = []
        updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
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
        self._merge_steps(code, steps, stamp)
        self._conn.execute(
            "UPDATE units SET deleted_at = ? WHERE commune_code = ? AND deleted_at IS NULL "
            f"AND code NOT IN ({','.join('?' * len(units)) or 'NULL'})",
            [stamp, code, *(u.code for u in units)],
        )
        self._record_received(info, audit_rows, stamp)
        return Changes.of(
            Kind.MEMBERS, Kind.UNITS, Kind.STEPS, Kind.PACKAGES, reorders=True, commune=code
        )

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

    def _merge_steps(self, code: str, steps: dict[str, list[StepRecord]], stamp: str) -> None:
        ids = {
            r[0]: r[1]
            for r in self._conn.tuples(
                "SELECT uid, id FROM members WHERE commune_code = ? AND deleted_at IS NULL", [code]
            )
        }
        old = self._packages.steps(code)
        changed: list[tuple[str, int]] = []
        rows: list[tuple[Any, ...]] = []
        stages: list[tuple[str, int]] = []
        audit: list[tuple[Any, ...]] = []
        for uid in set(old) | set(steps):
            before, after = old.get(uid, []), steps.get(uid, [])
            if sorted(map(step_view, before), key=str) == sorted(map(step_view, after), key=str):
                continue
            member_id = ids[uid]
            changed.append((uid, member_id))
            rows += [
                (
                    member_id,
                    r.code,
                    r.state.value,
                    r.done_on.isoformat() if r.done_on else None,
                    r.doc_number,
                    r.note,
                    stamp,
                )
                for r in after
            ]
            done = {r.code for r in after if r.state is StepState.DONE}
            stages.append((stage_of(done).value, member_id))
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
        self._conn.executemany("UPDATE members SET stage = ? WHERE id = ?", stages)
        self._conn.executemany(AUDIT_INSERT, audit)

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
        row["merged_at"] = stamp
        self._conn.upsert("received_packages", row, pk="commune_code")
        columns = ("at", "actor", "action", "entity", "entity_uid", "old", "new")
        self._conn.executemany(
            "INSERT INTO received_audit (commune_code, sequence, at, actor, action, entity, "
            "entity_uid, old, new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((code, info["sequence"], *(r[c] for c in columns)) for r in audit_rows),
        )
        self._conn.audit("merge", "package", code, old, row)
