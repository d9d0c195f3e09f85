"""Member records in the store: validated writes, soft delete, audited, and lists.

`MembersRepo` is `store.members`. Writes return a `Changes`; `add` and
`update` also produce the validation report of the saved record (its
warnings), so they return a `Saved` carrying both (`.report`, `.changes`).
A record with errors is not saved: `ValidationFailed` is raised, as before.
"""

from __future__ import annotations

import builtins
import contextlib
import itertools
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from operator import itemgetter
from typing import Any

from dvdesk.domain.member import Member
from dvdesk.domain.validation import Report, validate_member
from dvdesk.errors import NotFound, Refused, ValidationFailed
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import AUDIT_INSERT, Connection, now_iso
from dvdesk.store.member_query import MemberQuery, fts_query, is_exact_name, matches
from dvdesk.store.rows import (
    MEMBER_ROW_COLUMNS,
    audit_json_rows,
    audit_view,
    member_from_row,
    member_row,
    member_row_values,
)
from dvdesk.store.settings import SettingsRepo
from dvdesk.store.units import UnitsRepo

# Columns a list or table shows; enough to display and to judge eligibility.
LIST_COLUMNS = (
    "m.id, m.uid, m.full_name, m.gender, m.dob, m.dob_precision, m.elig_from_a, "
    "m.over_from_a, m.elig_from_b, m.over_from_b, m.cccd, m.phone, m.school_class, "
    "m.school_year, m.graduation_year, m.presence, m.stage, m.issue_codes, m.dossier_issues, "
    "m.commune_code, "
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
# The member columns each order reads (an edit of one of them may move the row).
ORDER_COLUMNS = {
    "name": frozenset({"name_sort", "full_name"}),
    "dob": frozenset({"dob", "name_sort"}),
    "unit": frozenset({"unit_id", "name_sort"}),
    "class": frozenset({"school_class", "name_sort"}),
    "gender": frozenset({"gender", "name_sort"}),
    "presence": frozenset({"presence", "name_sort"}),
    "stage": frozenset({"stage", "name_sort"}),
    "eligible_from": frozenset({"elig_from_a", "dob", "name_sort"}),
}
ALL = MemberQuery()  # every live member
FIRST_BLOCK = 120  # ids of a list read before the rest (four screens of ~30 rows)
FTS_INSERT_TRIGGER = "members_fts_insert"  # schema.py 1.0_initial


def _count_plan(query: MemberQuery) -> str:
    """How SQLite should read the members to count a view (the file has no statistics,
    and its guesses cost up to 0.4 s at 200,000 members).

    A test on columns no index holds (the "cần kiểm tra" checks) or the few pending
    transfers: the table itself, read in order (not by an index, a row at a time at
    random). Eligible on a date: the list index, which holds both days.
    """
    if query.has_issues or query.transfer_pending:
        return "NOT INDEXED"
    if query.eligible_on is not None and query.commune_code is None:
        return "INDEXED BY members_list"
    return ""


@contextlib.contextmanager
def search_index_deferred(conn: Connection) -> Iterator[None]:
    """Index the new members' search text in one statement at the end.

    Around a bulk insert (add_many, a merge). The per-row FTS trigger made FTS5
    flush a segment per member and was half the time of a 200k-member insert.
    Call inside a transaction: the trigger is dropped and re-created (DDL is
    transactional in SQLite, so a rollback brings it back), from its own text
    in sqlite_master.
    """
    trigger = conn.scalar(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        [FTS_INSERT_TRIGGER],
    )
    if trigger is None:  # an unexpected schema: leave it alone
        yield
        return
    last_id = conn.scalar("SELECT coalesce(max(id), 0) FROM members")
    conn.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
    yield
    conn.execute(
        "INSERT INTO members_fts (rowid, search_text) "
        "SELECT id, search_text FROM members WHERE id > ?",
        [last_id],
    )
    conn.execute(trigger)


Progress = Callable[[int, int], None]


# Columns whose change cannot move a member in a list nor in or out of a view
# (search text, names, dates, unit, stage, presence and issues all can).
STABLE_COLUMNS = frozenset(
    {
        "notes",
        "ethnicity",
        "religion",
        "hometown",
        "address",
        "union_joined",
        "union_officer",
        "union_extended",
        "school_year",
        "cccd",
        "phone",
        "updated_at",
    }
)


@dataclass(frozen=True)
class Block:
    """The first ids of a list (`ids`) and how many ids the whole list has (`total`)."""

    ids: array[int]
    total: int


@dataclass(frozen=True)
class Saved:
    """A saved member: the warnings that remain (`report`) and what changed."""

    report: Report
    changes: Changes


class MembersRepo:
    """`store.members`: member records of one data file."""

    def __init__(self, conn: Connection, settings: SettingsRepo, units: UnitsRepo) -> None:
        self._conn = conn
        self._settings = settings
        self._units = units
        self._memo: dict[Any, Any] = {}
        self._memo_version: tuple[int, int] | None = None

    # -- reading -----------------------------------------------------------

    def ids(
        self,
        query: MemberQuery = ALL,
        order: str = "name",
        descending: bool = False,
        limit: int | None = None,
    ) -> builtins.list[int]:
        """Row ids in the chosen order; by name it is Vietnamese order (an index scan).

        `limit`: only the first ones (the window shows its first screen with them
        while the whole list is read in the background)."""
        sql, params = self._ids_sql(query, order, descending, limit)
        ids = self._remembered(sql, params, lambda: [r[0] for r in self._conn.tuples(sql, params)])
        return list(ids)  # a copy: the caller may edit its list

    def id_array(
        self, query: MemberQuery = ALL, order: str = "name", descending: bool = False
    ) -> array[int]:
        """`ids` as 8-byte integers, read through the cursor: no list of 200,000 tuples
        and Python ints is ever built (the window keeps its whole list this way)."""
        sql, params = self._ids_sql(query, order, descending, None)
        with self._conn.guard():
            return array("q", map(itemgetter(0), self._conn.execute(sql, params)))

    def _ids_sql(
        self, query: MemberQuery, order: str, descending: bool, limit: int | None
    ) -> tuple[str, builtins.list[Any]]:
        where, params = query.where(fts_joined=True)
        direction = " DESC" if descending else ""
        by = ORDERS[order].replace(",", f"{direction},") + direction
        rank = query.name_rank() if order == "name" else None
        if rank is not None:  # exact names first, then the usual order
            by = f"{rank[0]}, {by}"
            params = [*params, *rank[1]]
        source = query.source(UNITS_JOIN if order == "unit" else "")
        sql = f"SELECT m.id {source} WHERE {where} ORDER BY {by}, m.id{direction}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return sql, params

    def count(self, query: MemberQuery = ALL) -> int:
        if query.only_search():
            return self._count_search(query)
        where, params = query.where(fts_joined=True)
        source = query.source() if query.search else f"FROM members m {_count_plan(query)}"
        sql = f"SELECT count(*) {source} WHERE {where}"
        return int(self._remembered(sql, params, lambda: self._conn.scalar(sql, params)))

    def id_bound(self) -> int:
        """At least as many as the members in the file (the highest row id): instant."""
        return int(self._conn.scalar("SELECT coalesce(max(id), 0) FROM members"))

    def _count_search(self, query: MemberQuery) -> int:
        """A name search over the live list: the full-text index's own count (it never
        reads a member's row) less the deleted members it matches (few; each tested)."""
        fts = fts_query(query.search)
        sql = "SELECT count(*) FROM members_fts WHERE members_fts MATCH ?"

        def compute() -> int:
            every = int(self._conn.scalar(sql, [fts]))
            deleted = self._conn.execute(
                "SELECT m.id, m.search_text FROM members m INDEXED BY members_list "
                "WHERE m.deleted_at IS NOT NULL"
            )
            return every - sum(1 for _ in self._matching(query, deleted))

        return int(self._remembered(sql + " -live", [fts], compute))

    def _matching(
        self, query: MemberQuery, rows: Iterable[tuple[int, str]]
    ) -> Iterator[tuple[int, str]]:
        """The (id, search_text) rows the full-text search of `query` matches, in order:
        tested here, or by the index for the rare text only it can judge."""
        tokens, fts = query.name_tokens(), fts_query(query.search)
        for row_id, text in rows:
            hit = matches(tokens, text)
            if hit is None:
                hit = self._conn.scalar(
                    "SELECT 1 FROM members_fts WHERE members_fts MATCH ? AND rowid = ?",
                    [fts, row_id],
                )
            if hit:
                yield row_id, text

    def first_block(
        self,
        query: MemberQuery = ALL,
        order: str = "name",
        descending: bool = False,
        limit: int | None = None,
        total: int | None = None,
    ) -> Block:
        """The first `limit` ids of `ids(query, order, descending)` and how many there are,
        without sorting every match: what the window shows while it reads the rest.

        A name search with many matches walks the name index and tests each row until
        the screen is full (the exact names, from their own index, first); a sort by
        unit reads unit after unit; anything else is one read with a LIMIT. `total`:
        the list's count when the caller knows it (the window's view counts).
        """
        limit = FIRST_BLOCK if limit is None else limit
        if query.search and not query.only_search():
            # Digits, or a search inside a view: counting costs a read of every match.
            ids = self.id_array(query, order, descending)
            return Block(ids, len(ids))
        total = self.count(query) if total is None else total
        head = None
        if order == "name" and query.only_search():
            # A walk of the name order finds `limit` matches after ~limit * everyone / total
            # rows (~3 µs each, a row read); reading and sorting every match costs about as
            # much per match: walk when it reads half of that, else read them all.
            everyone = self.id_bound()
            if 2 * limit * everyone < total * total:
                head = self._searched_head(query, descending, limit, budget=total)
            if head is None:
                ids = self.id_array(query, order, descending)
                return Block(ids, len(ids))
        elif total <= limit:
            ids = self.id_array(query, order, descending)
            return Block(ids, len(ids))
        elif order == "unit" and not query.search:
            head = self._unit_head(query, descending, limit)
        if head is None:
            sql, params = self._ids_sql(query, order, descending, limit)
            with self._conn.guard():
                head = array("q", map(itemgetter(0), self._conn.execute(sql, params)))
        return Block(head, total)

    def _searched_head(
        self, query: MemberQuery, descending: bool, limit: int, budget: int
    ) -> array[int] | None:
        """The first matches of a name search in name order (exact names first), from a
        walk of the first `budget` rows in name order; None when those did not fill the
        screen (the matches sit late in the order, as a given name's first letters do).

        Each row is tested here with the index's own rule (`matches`).
        """
        tokens = query.name_tokens()
        name = " ".join(tokens)
        d = " DESC" if descending else ""
        where, params = replace(query, search="").where()
        with self._conn.guard():
            head = array(
                "q",
                map(
                    itemgetter(0),
                    self._conn.execute(
                        "SELECT m.id FROM members m INDEXED BY members_search "
                        "WHERE (m.search_text = ? OR (m.search_text >= ? AND m.search_text < ?)) "
                        f"AND {where} ORDER BY m.name_sort{d}, m.id{d} LIMIT ?",
                        [name, f"{name} 0", f"{name} :", *params, limit],
                    ),
                ),
            )
            walk = self._conn.execute(
                f"SELECT m.id, m.search_text FROM members m WHERE {where} "
                f"ORDER BY m.name_sort{d}, m.id{d}",
                params,
            )
            for row_id, text in self._matching(query, itertools.islice(walk, budget)):
                if len(head) >= limit:
                    return head
                if not is_exact_name(name, text):
                    head.append(row_id)
        # The walk ran out (the whole list, or the budget) before the screen was full.
        return head if len(head) >= limit else None

    def _unit_head(self, query: MemberQuery, descending: bool, limit: int) -> array[int]:
        """The first ids in unit order, unit code after unit code (members of units that
        share a code, in different communes, merge in name order as `ORDERS` says)."""
        d = " DESC" if descending else ""
        where, params = query.where()
        head = array("q")
        groups = self._conn.tuples(
            f"SELECT group_concat(id) FROM units GROUP BY code ORDER BY code{d}"
        )
        for (unit_ids,) in groups:
            ids = [int(i) for i in str(unit_ids).split(",")]
            sql = (
                "SELECT m.id FROM members m INDEXED BY members_unit "
                f"WHERE m.unit_id IN ({','.join('?' * len(ids))}) AND {where} "
                f"ORDER BY m.name_sort{d}, m.id{d} LIMIT ?"
            )
            with self._conn.guard():
                rows = self._conn.execute(sql, [*ids, *params, limit - len(head)])
                head.extend(map(itemgetter(0), rows))
            if len(head) >= limit:
                break
        return head

    def _remembered(self, sql: str, params: builtins.list[Any], compute: Callable[[], Any]) -> Any:
        """The answer to a read while the data has not changed since it was computed.

        A window asks for the same 200,000-id list and the same counts several
        times while it builds itself (~0.4 s each at 200,000 members). The answer
        is kept until a write commits here (total_changes) or in another process
        (PRAGMA data_version), so it is never stale; inside a transaction nothing
        is kept, since that transaction may still roll back.
        """
        if self._conn.in_transaction:
            return compute()  # what it sees may yet be rolled back
        version = self._conn.data_version()
        if self._memo_version != version or len(self._memo) > 16:
            self._memo.clear()
            self._memo_version = version
        key = (sql, tuple(params))
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def forget(self) -> None:
        """Drop remembered answers (a benchmark measuring every query afresh)."""
        self._memo.clear()
        self._memo_version = None

    def rows(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """Display rows for the given row ids (the lazy table model's fetch)."""
        ids = list(ids)
        out: dict[int, dict[str, Any]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._conn.rows(
                f"SELECT {LIST_COLUMNS} {FROM_MEMBERS} WHERE m.id IN ({marks})", chunk
            ):
                out[row["id"]] = row
        return out

    def list(self, query: MemberQuery = ALL) -> builtins.list[dict[str, Any]]:
        """Display rows matching `query`, in Vietnamese order."""
        where, params = query.where(fts_joined=True)
        return self._conn.rows(
            f"SELECT {LIST_COLUMNS} {query.source(UNITS_JOIN)} WHERE {where} "
            "ORDER BY m.name_sort, m.id",
            params,
        )

    def get(self, uid: str) -> Member:
        row = self._conn.one(
            f"SELECT m.*, u.code AS unit_code {FROM_MEMBERS} WHERE m.uid = ?", [uid]
        )
        if row is None:
            raise NotFound(f"Không tìm thấy đoàn viên mã {uid}.")
        return member_from_row(row, row["unit_code"])

    def row_id(self, uid: str) -> int:
        row_id = self._conn.scalar("SELECT id FROM members WHERE uid = ?", [uid])
        if row_id is None:
            raise NotFound(f"Không tìm thấy đoàn viên mã {uid}.")
        return int(row_id)

    def uid_of(self, row_id: int) -> str:
        return str(self._conn.scalar("SELECT uid FROM members WHERE id = ?", [row_id]))

    def cccd_owner(self, cccd: str, uid: str) -> str | None:
        """Name of another live member of this commune holding `cccd`."""
        owner = self._conn.scalar(
            "SELECT full_name FROM members WHERE cccd = ? AND uid <> ? AND deleted_at IS NULL "
            "AND commune_code = ?",
            [cccd, uid, self._settings.get().commune_code],
        )
        return None if owner is None else str(owner)

    def probable_duplicates(self, member: Member) -> builtins.list[str]:
        """Names of live members with the same folded name and date of birth."""
        m = member.normalized()
        if m.dob is None:
            return []
        key = member_row(m)["search_text"].split(" ")
        folded = " ".join(key[: len(m.full_name.split())])
        return [
            r["full_name"]
            for r in self._conn.rows(
                "SELECT full_name, search_text FROM members WHERE dob = ? AND uid <> ? "
                "AND deleted_at IS NULL",
                [m.dob.iso(), m.uid],
            )
            if r["search_text"].startswith(folded + " ") or r["search_text"] == folded
        ]

    def validate(self, member: Member, today: date | None = None) -> Report:
        return validate_member(
            member,
            today=today or date.today(),
            unit_kinds=self._units.kinds(),
            cccd_owner=self.cccd_owner,
        )

    # -- writing -----------------------------------------------------------

    def _checked_row(self, member: Member, today: date | None) -> tuple[dict[str, Any], Report]:
        m = member.normalized()
        report = self.validate(m, today)
        if not report.is_valid:
            raise ValidationFailed(report, "; ".join(i.message for i in report.errors))
        row = member_row(m)
        row["unit_id"] = self._units.id_of(m.unit_code)
        row["issue_codes"] = " ".join(i.code for i in report.warnings)
        return row, report

    def add(self, member: Member, today: date | None = None) -> Saved:
        """Validate and insert; errors raise `ValidationFailed`, warnings are in `.report`."""
        row, report = self._checked_row(member, today)
        stamp = now_iso()
        row.update(
            commune_code=self._settings.get().commune_code, created_at=stamp, updated_at=stamp
        )
        with self._conn.transaction():
            if self._conn.scalar("SELECT 1 FROM members WHERE uid = ?", [row["uid"]]):
                raise Refused(f"Đã có đoàn viên mã {row['uid']}.")
            self._conn.insert("members", row)
            self._conn.audit("insert", "member", row["uid"], None, audit_view(row))
        return Saved(report, Changes.of(Kind.MEMBERS, uids=[row["uid"]], reorders=True))

    def update(self, member: Member, today: date | None = None) -> Saved:
        """Validate and save the changed columns; `.changes` says whether lists may move."""
        row, report = self._checked_row(member, today)
        uid = row["uid"]
        with self._conn.transaction():
            old = self._raw(uid)
            changed = {k: v for k, v in row.items() if old.get(k) != v}
            reorders = bool(set(changed) - STABLE_COLUMNS)
            if not audit_view(changed):
                # Saved unchanged: refresh derived columns (warnings age with the
                # calendar) but log no empty change and keep updated_at.
                if not changed:
                    return Saved(report, Changes())
                self._conn.update("members", old["id"], changed)
                return Saved(
                    report,
                    Changes.of(Kind.MEMBERS, uids=[uid], reorders=reorders, fields=set(changed)),
                )
            changed["updated_at"] = now_iso()
            self._conn.update("members", old["id"], changed)
            self._conn.audit(
                "update",
                "member",
                uid,
                {k: old[k] for k in audit_view(changed)},
                audit_view(changed),
            )
        fields = set(changed)  # which columns moved: a list not ordered or filtered by them stays
        return Saved(report, Changes.of(Kind.MEMBERS, uids=[uid], reorders=reorders, fields=fields))

    def delete(self, uid: str) -> Changes:
        """Soft delete: the row stays, marked, and can be restored."""
        return self._set_deleted(uid, deleted=True)

    def restore(self, uid: str) -> Changes:
        return self._set_deleted(uid, deleted=False)

    def _set_deleted(self, uid: str, deleted: bool) -> Changes:
        with self._conn.transaction():
            old = self._raw(uid)
            stamp = now_iso() if deleted else None
            if deleted == (old["deleted_at"] is not None):
                return Changes()
            # The CCCD may have been given to someone else while this record was deleted.
            other = (
                not deleted
                and old["cccd"]
                and self._conn.scalar(
                    "SELECT full_name FROM members WHERE cccd = ? AND commune_code = ? "
                    "AND deleted_at IS NULL",
                    [old["cccd"], old["commune_code"]],
                )
            )
            if other:
                raise Refused(
                    f"Không khôi phục được {old['full_name']}: số CCCD {old['cccd']} "
                    f"đã có ở đoàn viên {other}."
                )
            self._conn.update("members", old["id"], {"deleted_at": stamp})
            self._conn.audit(
                "delete" if deleted else "restore",
                "member",
                uid,
                {"deleted_at": old["deleted_at"]},
                {"deleted_at": stamp},
            )
        return Changes.of(Kind.MEMBERS, uids=[uid], reorders=True)

    def _raw(self, uid: str) -> dict[str, Any]:
        row = self._conn.one("SELECT * FROM members WHERE uid = ?", [uid])
        if row is None:
            raise NotFound(f"Không tìm thấy đoàn viên mã {uid}.")
        return row

    def add_many(
        self,
        members: Iterable[Member],
        *,
        today: date | None = None,
        progress: Progress | None = None,
        total: int = 0,
        checked: Mapping[str, Report] | None = None,
    ) -> Changes:
        """Insert many members in one transaction: all of them or none.

        Every member passes the same validation as a single entry; the first
        error aborts the whole batch with `ValidationFailed`. `.count` of the
        result is how many were added. `checked`: uid → the report of a member
        the caller already normalized and validated with the same rules (an
        import's preview), so it is not validated twice; one whose CCCD or unit
        changed meanwhile is validated again.
        """
        today = today or date.today()
        kinds = self._units.kinds()
        held = self._held_cccds()
        columns = MEMBER_ROW_COLUMNS

        def rows() -> Iterator[tuple[str, tuple[Any, ...], str]]:
            for member in members:
                report = checked.get(member.uid) if checked else None
                if (
                    report is not None
                    and report.is_valid
                    and member.unit_code in kinds
                    and not (member.cccd and member.cccd in held)
                ):
                    m = member
                else:  # validated here, refused with ValidationFailed on an error
                    m = member.normalized()
                    report = self._checked(m, today, kinds, held)
                warnings = " ".join(i.code for i in report.warnings)
                yield m.unit_code, member_row_values(m), warnings

        return self._insert_many(columns, rows(), held, progress, total)

    def add_checked(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[str, tuple[Any, ...], str]],
        *,
        today: date | None = None,
        progress: Progress | None = None,
        total: int = 0,
    ) -> Changes:
        """Insert rows an import's preview made: (unit code, the `member_row` values of a
        normalized member it validated with the same rules, in `columns` order, its
        warning codes); all or none.

        What may have changed since the preview is checked again: a row whose unit
        is not in the file or whose CCCD another member now holds is validated
        again, and refused with `ValidationFailed` (the whole batch with it).
        """
        today = today or date.today()
        kinds = self._units.kinds()
        held = self._held_cccds()
        cccd = list(columns).index("cccd")

        def rows_checked() -> Iterator[tuple[str, tuple[Any, ...], str]]:
            for unit_code, values, warnings in rows:
                if unit_code not in kinds or (values[cccd] and values[cccd] in held):
                    member = member_from_row(dict(zip(columns, values, strict=True)), unit_code)
                    self._checked(member, today, kinds, held)
                yield unit_code, values, warnings

        return self._insert_many(columns, rows_checked(), held, progress, total)

    def _held_cccds(self) -> dict[str, str]:
        """CCCD → name of the live members of this commune."""
        return {
            r[0]: r[1]
            for r in self._conn.tuples(
                "SELECT cccd, full_name FROM members WHERE cccd <> '' AND deleted_at IS NULL "
                "AND commune_code = ?",
                [self._settings.get().commune_code],
            )
        }

    @staticmethod
    def _checked(m: Member, today: date, kinds: dict[str, Any], held: Mapping[str, str]) -> Report:
        """The report of a normalized member; `ValidationFailed` when it has an error."""
        report = validate_member(
            m,
            today=today,
            unit_kinds=kinds,
            cccd_owner=lambda c, _uid: held.get(c),
            normalized=True,
        )
        if not report.is_valid:
            raise ValidationFailed(
                report,
                f"{m.full_name or '(không tên)'}: " + "; ".join(i.message for i in report.errors),
            )
        return report

    def _insert_many(
        self,
        columns: Sequence[str],
        rows: Iterable[tuple[str, tuple[Any, ...], str]],
        held: dict[str, str],
        progress: Progress | None,
        total: int,
    ) -> Changes:
        """Insert checked (unit code, member row values in `columns` order, warning codes)
        in chunks of one executemany each, audited, in one transaction, the search index
        built once at the end; `held` learns each CCCD."""
        unit_ids = {u.code: u.id for u in self._units.all()}
        commune = self._settings.get().commune_code
        stamp = now_iso()
        names = (*columns, "unit_id", "commune_code", "issue_codes", "created_at", "updated_at")
        insert = f"INSERT INTO members ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        audit_of = audit_json_rows(names)
        cccd, name, uid = (names.index(c) for c in ("cccd", "full_name", "uid"))
        actor = self._conn.actor
        count = 0
        with self._conn.transaction(), search_index_deferred(self._conn):
            batch: builtins.list[tuple[Any, ...]] = []

            def write() -> None:
                self._conn.executemany(insert, batch)
                self._conn.executemany(
                    AUDIT_INSERT,
                    [(stamp, actor, "insert", "member", r[uid], None, audit_of(r)) for r in batch],
                )

            for unit_code, values, warnings in rows:
                row = (*values, unit_ids[unit_code], commune, warnings, stamp, stamp)
                if row[cccd]:
                    held[row[cccd]] = row[name]
                batch.append(row)
                count += 1
                if len(batch) >= 2000:
                    write()
                    batch = []
                    if progress:
                        progress(count, total)
            if batch:
                write()
            if progress:
                progress(count, total)
        if not count:
            return Changes()
        return Changes.of(Kind.MEMBERS, reorders=True, count=count)
