"""Member records in the store: validated writes, soft delete, audited, and lists."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from dvdesk.domain.member import Member
from dvdesk.domain.validation import Report, validate_member
from dvdesk.store.errors import KnownError, NotFound, ValidationFailed
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.rows import audit_json, audit_view, member_from_row, member_row

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

# Columns a list or table shows; enough to display and to judge eligibility.
LIST_COLUMNS = (
    "m.id, m.uid, m.full_name, m.gender, m.dob, m.dob_precision, m.elig_from_a, "
    "m.over_from_a, m.elig_from_b, m.over_from_b, m.cccd, m.phone, m.school_class, "
    "m.school_year, m.graduation_year, m.presence, m.stage, m.issue_codes, m.commune_code, "
    "m.union_officer, m.union_extended, u.code AS unit_code, u.name AS unit_name, "
    "u.kind AS unit_kind"
)
UNITS_JOIN = "JOIN units u ON u.id = m.unit_id"
FROM_MEMBERS = f"FROM members m {UNITS_JOIN}"
# Orders a table column can ask for; names always break ties in Vietnamese order.
ORDERS = {
    "name": "m.name_sort",
    "dob": "m.dob, m.name_sort",
    "unit": "u.code, m.name_sort",
    "class": "m.school_class, m.name_sort",
    "gender": "m.gender, m.name_sort",
    "presence": "m.presence, m.name_sort",
    "stage": "m.stage, m.name_sort",
    "eligible_from": "m.elig_from_a, m.name_sort",
}
ALL = MemberQuery()  # every live member
FTS_INSERT_TRIGGER = "members_fts_insert"  # schema.py 1.0_initial

Progress = Callable[[int, int], None]


class MembersMixin:
    """Member operations of `Store` (see gateway.py)."""

    # -- reading -----------------------------------------------------------

    def member_ids(
        self: Store,
        query: MemberQuery = ALL,
        order: str = "name",
        descending: bool = False,
    ) -> list[int]:
        """Row ids in the chosen order; by name it is Vietnamese order (an index scan)."""
        where, params = query.where(fts_joined=True)
        direction = " DESC" if descending else ""
        by = ORDERS[order].replace(",", f"{direction},") + direction
        source = query.source(UNITS_JOIN if order == "unit" else "")
        sql = f"SELECT m.id {source} WHERE {where} ORDER BY {by}, m.id{direction}"
        ids = self._remembered(
            sql, params, lambda: [r[0] for r in self.db.execute(sql, params).fetchall()]
        )
        return list(ids)  # a copy: the caller may edit its list

    def member_count(self: Store, query: MemberQuery = ALL) -> int:
        where, params = query.where(fts_joined=True)
        sql = f"SELECT count(*) {query.source()} WHERE {where}"
        return int(self._remembered(sql, params, lambda: self.scalar(sql, params)))

    def _remembered(self: Store, sql: str, params: list[Any], compute: Callable[[], Any]) -> Any:
        """The answer to a read while the data has not changed since it was computed.

        A window asks for the same 200,000-id list and the same counts several
        times while it builds itself (~0.4 s each at 200,000 members). The answer
        is kept until a write commits here (total_changes) or in another process
        (PRAGMA data_version), so it is never stale; inside a transaction nothing
        is kept, since that transaction may still roll back.
        """
        conn = self.db.conn
        if conn.in_transaction:
            return compute()  # what it sees may yet be rolled back
        version = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        memo: dict[Any, Any] = self.__dict__.setdefault("_read_memo", {})
        if memo.get("version") != version:
            memo.clear()
            memo["version"] = version
        key = (sql, tuple(params))
        if key not in memo:
            if len(memo) > 16:
                memo.clear()
                memo["version"] = version
            memo[key] = compute()
        return memo[key]

    def member_rows(self: Store, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Display rows for the given row ids (the lazy table model's fetch)."""
        ids = list(ids)
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(
                f"SELECT {LIST_COLUMNS} {FROM_MEMBERS} WHERE m.id IN ({marks})", chunk
            ):
                out[row["id"]] = row
        return out

    def list_members(self: Store, query: MemberQuery = ALL) -> list[dict[str, Any]]:
        """Display rows matching `query`, in Vietnamese order."""
        where, params = query.where(fts_joined=True)
        return self.query(
            f"SELECT {LIST_COLUMNS} {query.source(UNITS_JOIN)} WHERE {where} "
            "ORDER BY m.name_sort, m.id",
            params,
        )

    def get_member(self: Store, uid: str) -> Member:
        rows = self.query(f"SELECT m.*, u.code AS unit_code {FROM_MEMBERS} WHERE m.uid = ?", [uid])
        if not rows:
            raise NotFound(f"Không tìm thấy đoàn viên mã {uid}.")
        return member_from_row(rows[0], rows[0]["unit_code"])

    def member_row_id(self: Store, uid: str) -> int:
        row_id = self.scalar("SELECT id FROM members WHERE uid = ?", [uid])
        if row_id is None:
            raise NotFound(f"Không tìm thấy đoàn viên mã {uid}.")
        return int(row_id)

    def uid_of(self: Store, row_id: int) -> str:
        return str(self.scalar("SELECT uid FROM members WHERE id = ?", [row_id]))

    def cccd_owner(self: Store, cccd: str, uid: str) -> str | None:
        """Name of another live member of this commune holding `cccd`."""
        return self.scalar(
            "SELECT full_name FROM members WHERE cccd = ? AND uid <> ? AND deleted_at IS NULL "
            "AND commune_code = ?",
            [cccd, uid, self.settings().commune_code],
        )

    def probable_duplicates(self: Store, member: Member) -> list[str]:
        """Names of live members with the same folded name and date of birth."""
        m = member.normalized()
        if m.dob is None:
            return []
        key = member_row(m)["search_text"].split(" ")
        folded = " ".join(key[: len(m.full_name.split())])
        return [
            r["full_name"]
            for r in self.db.query(
                "SELECT full_name, search_text FROM members WHERE dob = ? AND uid <> ? "
                "AND deleted_at IS NULL",
                [m.dob.iso(), m.uid],
            )
            if r["search_text"].startswith(folded + " ") or r["search_text"] == folded
        ]

    def validate(self: Store, member: Member, today: date | None = None) -> Report:
        return validate_member(
            member,
            today=today or date.today(),
            unit_kinds=self.unit_kinds(),
            cccd_owner=self.cccd_owner,
        )

    def history(self: Store, uid: str) -> list[dict[str, Any]]:
        """Audit entries for one member and their procedure steps, oldest first."""
        return self.query(
            "SELECT at, actor, action, entity, old, new FROM audit WHERE entity_uid = ? "
            "ORDER BY id",
            [uid],
        )

    # -- writing -----------------------------------------------------------

    def _checked_row(self: Store, member: Member, today: date | None) -> tuple[dict, Report]:
        m = member.normalized()
        report = self.validate(m, today)
        if not report.is_valid:
            raise ValidationFailed(report, "; ".join(i.message for i in report.errors))
        row = member_row(m)
        row["unit_id"] = self.unit_id(m.unit_code)
        row["issue_codes"] = " ".join(i.code for i in report.warnings)
        return row, report

    def add_member(self: Store, member: Member, today: date | None = None) -> Report:
        """Validate and insert; errors raise `ValidationFailed`, warnings are returned."""
        from dvdesk.store.gateway import now_iso

        row, report = self._checked_row(member, today)
        stamp = now_iso()
        row.update(commune_code=self.settings().commune_code, created_at=stamp, updated_at=stamp)
        with self.transaction():
            if self.scalar("SELECT 1 FROM members WHERE uid = ?", [row["uid"]]):
                raise KnownError(f"Đã có đoàn viên mã {row['uid']}.")
            self.db["members"].insert(row)
            self.audit("insert", "member", row["uid"], None, audit_view(row))
        return report

    def update_member(self: Store, member: Member, today: date | None = None) -> Report:
        from dvdesk.store.gateway import now_iso

        row, report = self._checked_row(member, today)
        with self.transaction():
            old = self._raw(row["uid"])
            changed = {k: v for k, v in row.items() if old.get(k) != v}
            if not audit_view(changed):
                # Saved unchanged: refresh derived columns (warnings age with the
                # calendar) but log no empty change and keep updated_at.
                if changed:
                    self.db["members"].update(old["id"], changed)
                return report
            changed["updated_at"] = now_iso()
            self.db["members"].update(old["id"], changed)
            self.audit(
                "update",
                "member",
                row["uid"],
                {k: old[k] for k in audit_view(changed)},
                audit_view(changed),
            )
        return report

    def delete_member(self: Store, uid: str) -> None:
        """Soft delete: the row stays, marked, and can be restored."""
        self._set_deleted(uid, deleted=True)

    def restore_member(self: Store, uid: str) -> None:
        self._set_deleted(uid, deleted=False)

    def _set_deleted(self: Store, uid: str, deleted: bool) -> None:
        from dvdesk.store.gateway import now_iso

        with self.transaction():
            old = self._raw(uid)
            stamp = now_iso() if deleted else None
            if deleted == (old["deleted_at"] is not None):
                return
            # The CCCD may have been given to someone else while this record was deleted.
            other = (
                not deleted
                and old["cccd"]
                and self.scalar(
                    "SELECT full_name FROM members WHERE cccd = ? AND commune_code = ? "
                    "AND deleted_at IS NULL",
                    [old["cccd"], old["commune_code"]],
                )
            )
            if other:
                raise KnownError(
                    f"Không khôi phục được {old['full_name']}: số CCCD {old['cccd']} "
                    f"đã có ở đoàn viên {other}."
                )
            self.db["members"].update(old["id"], {"deleted_at": stamp})
            self.audit(
                "delete" if deleted else "restore",
                "member",
                uid,
                {"deleted_at": old["deleted_at"]},
                {"deleted_at": stamp},
            )

    def _raw(self: Store, uid: str) -> dict[str, Any]:
        rows = self.query("SELECT * FROM members WHERE uid = ?", [uid])
        if not rows:
            raise NotFound(f"Không tìm thấy đoàn viên mã {uid}.")
        return rows[0]

    def add_members(
        self: Store,
        members: Iterable[Member],
        *,
        today: date | None = None,
        progress: Progress | None = None,
        total: int = 0,
    ) -> int:
        """Insert many members in one transaction: all of them or none.

        Every member passes the same validation as a single entry; the first
        error aborts the whole batch with `ValidationFailed`.
        """
        from dvdesk.store.gateway import now_iso

        today = today or date.today()
        kinds = self.unit_kinds()
        unit_ids = {u.code: u.id for u in self.units()}
        commune = self.settings().commune_code
        stamp = now_iso()
        # CCCDs already held in this commune, and those earlier in this batch.
        seen_cccd: dict[str, str] = {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT cccd, full_name FROM members WHERE cccd <> '' AND deleted_at IS NULL "
                "AND commune_code = ?",
                [commune],
            )
        }
        count = 0
        with self.transaction(), self._search_index_deferred():
            batch: list[dict[str, Any]] = []
            for member in members:
                m = member.normalized()
                report = validate_member(
                    m,
                    today=today,
                    unit_kinds=kinds,
                    cccd_owner=lambda c, _uid: seen_cccd.get(c),
                    normalized=True,
                )
                if not report.is_valid:
                    raise ValidationFailed(
                        report,
                        f"{m.full_name or '(không tên)'}: "
                        + "; ".join(i.message for i in report.errors),
                    )
                if m.cccd:
                    seen_cccd[m.cccd] = m.full_name
                row = member_row(m)
                row.update(
                    unit_id=unit_ids[m.unit_code],
                    commune_code=commune,
                    issue_codes=" ".join(i.code for i in report.warnings),
                    created_at=stamp,
                    updated_at=stamp,
                )
                batch.append(row)
                count += 1
                if len(batch) >= 2000:
                    self._insert_batch(batch)
                    batch = []
                    if progress:
                        progress(count, total)
            self._insert_batch(batch)
            if progress:
                progress(count, total)
        return count

    @contextlib.contextmanager
    def _search_index_deferred(self: Store) -> Iterator[None]:
        """Index the new members' search text in one statement at the end.

        The per-row FTS trigger made FTS5 flush a segment per member and was
        half the time of a 200k-member insert. Call inside a transaction: the
        trigger is dropped and re-created (DDL is transactional in SQLite, so
        a rollback brings it back), from its own text in sqlite_master.
        """
        trigger = self.scalar(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            [FTS_INSERT_TRIGGER],
        )
        if trigger is None:  # an unexpected schema: leave it alone
            yield
            return
        last_id = self.scalar("SELECT coalesce(max(id), 0) FROM members")
        self.db.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        yield
        self.db.execute(
            "INSERT INTO members_fts (rowid, search_text) "
            "SELECT id, search_text FROM members WHERE id > ?",
            [last_id],
        )
        self.db.execute(trigger)

    def _insert_batch(self: Store, rows: list[dict[str, Any]]) -> None:
        # Plain executemany: sqlite-utils' insert_all inspects every value of
        # every row, which was a third of a 200k-member import.
        if not rows:
            return
        self._insert_rows("members", rows)
        self._insert_rows(
            "audit",
            [
                {
                    "at": r["created_at"],
                    "actor": self.actor,
                    "action": "insert",
                    "entity": "member",
                    "entity_uid": r["uid"],
                    "old": None,
                    "new": audit_json(audit_view(r)),
                }
                for r in rows
            ],
        )

    def _insert_rows(self: Store, table: str, rows: list[dict[str, Any]]) -> None:
        columns = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        self.db.conn.executemany(sql, map(itemgetter(*columns), rows))
