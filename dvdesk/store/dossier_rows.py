"""Dossier data as rows that travel (hồ sơ kết nạp trong gói dữ liệu và tệp chuyển).

`store.dossier_rows` reads the dossier tables of store/dossier.py —
`dossiers`, `introducers`, `votes`, `dossier_exceptions` per member, and
`unit_positions` per unit — keyed by member uid and unit code instead of row
ids, and writes them back the same way: a merge replaces one commune's rows
with a package's (inside the merge's transaction), a transfer file brings one
person's. Row values are the columns' own (text, integers, ISO dates, None);
the exchange layer converts them to and from CSV and checks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dvdesk.store.connection import AUDIT_INSERT, Connection, now_iso

# table → its columns besides the member (in the order a package writes them)
MEMBER_TABLES: dict[str, tuple[str, ...]] = {
    "dossiers": ("helper", "helper_since", "education", "union_member"),
    "introducers": ("seq", "name", "status", "together_since", "introduced_on", "note"),
    "votes": ("step_code", "in_favour", "total", "present"),
    "dossier_exceptions": ("rule_code", "step_code", "note", "document", "created_at"),
}
UNIT_TABLE = "unit_positions"
_ORDER = {
    "dossiers": "m.uid",
    "introducers": "m.uid, t.seq",
    "votes": "m.uid, t.step_code",
    "dossier_exceptions": "m.uid, t.rule_code, t.step_code",
}
Tables = Mapping[str, Sequence[Mapping[str, Any]]]


class DossierRows:
    """`store.dossier_rows`: the dossier tables keyed by uid and unit code."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def read(
        self, commune_code: str | None = None, uid: str | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """Every live member's dossier rows (of one commune, or one member), by table.

        Member tables carry `member_uid`; `unit_positions` carries `unit_code`
        (live units of the commune; none for one member).
        """
        where, params = ["m.deleted_at IS NULL"], []
        if commune_code is not None:
            where.append("m.commune_code = ?")
            params.append(commune_code)
        if uid is not None:
            where.append("m.uid = ?")
            params.append(uid)
        out: dict[str, list[dict[str, Any]]] = {}
        for table, columns in MEMBER_TABLES.items():
            cols = ", ".join(f"t.{c}" for c in columns)
            out[table] = self._conn.rows(
                f"SELECT m.uid AS member_uid, {cols} FROM {table} t JOIN members m "
                f"ON m.id = t.member_id WHERE {' AND '.join(where)} ORDER BY {_ORDER[table]}",
                params,
            )
        if uid is not None:
            out[UNIT_TABLE] = []
        else:
            unit_where, unit_params = "u.deleted_at IS NULL", []
            if commune_code is not None:
                unit_where += " AND u.commune_code = ?"
                unit_params.append(commune_code)
            out[UNIT_TABLE] = self._conn.rows(
                "SELECT u.code AS unit_code, p.position FROM unit_positions p JOIN units u "
                f"ON u.id = p.unit_id WHERE {unit_where} ORDER BY u.code",
                unit_params,
            )
        return out

    def replace_commune(self, commune_code: str, tables: Tables) -> set[str]:
        """Make one commune's dossier rows equal to `tables`; the uids whose rows changed.

        Call inside the merge's transaction, after its members and units were
        written. Rows of a member not live in the commune are an error of the
        caller (the package was checked before). Audited per member changed.
        """
        ids = {
            r[0]: r[1]
            for r in self._conn.tuples(
                "SELECT uid, id FROM members WHERE commune_code = ? AND deleted_at IS NULL",
                [commune_code],
            )
        }
        before = self.read(commune_code)
        changed = _changed_uids(before, tables)
        self._write_members({u: ids[u] for u in changed}, tables, before)
        units = {
            r[0]: r[1]
            for r in self._conn.tuples(
                "SELECT code, id FROM units WHERE commune_code = ? AND deleted_at IS NULL",
                [commune_code],
            )
        }
        old_positions = {r["unit_code"]: r["position"] for r in before[UNIT_TABLE]}
        new_positions = {r["unit_code"]: r["position"] for r in tables.get(UNIT_TABLE, [])}
        if old_positions != new_positions:
            self._conn.executemany(
                "DELETE FROM unit_positions WHERE unit_id = ?", [(i,) for i in units.values()]
            )
            self._conn.executemany(
                "INSERT INTO unit_positions (unit_id, position) VALUES (?, ?)",
                [(units[code], pos) for code, pos in new_positions.items()],
            )
            self._conn.audit("update", "unit_positions", commune_code, old_positions, new_positions)
        return changed

    def replace_member(self, uid: str, tables: Tables) -> bool:
        """Make one member's dossier rows equal to `tables` (a transfer file); changed?"""
        member_id = self._conn.scalar("SELECT id FROM members WHERE uid = ?", [uid])
        before = self.read(uid=uid)
        mine = {t: [r for r in tables.get(t, []) if r["member_uid"] == uid] for t in MEMBER_TABLES}
        if not _changed_uids(before, mine):
            return False
        self._write_members({uid: int(member_id)}, mine, before)
        return True

    def _write_members(self, ids: Mapping[str, int], tables: Tables, before: Tables) -> None:
        if not ids:
            return
        stamp = now_iso()
        for table, columns in MEMBER_TABLES.items():
            self._conn.executemany(
                f"DELETE FROM {table} WHERE member_id = ?", [(i,) for i in ids.values()]
            )
            extra = ("updated_at",) if table == "dossiers" else ()
            names = ("member_id", *columns, *extra)
            self._conn.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [
                    (ids[r["member_uid"]], *(r[c] for c in columns), *([stamp] if extra else []))
                    for r in tables.get(table, [])
                    if r["member_uid"] in ids
                ],
            )
        old, new = _by_uid(before), _by_uid(tables)
        self._conn.executemany(
            AUDIT_INSERT,
            [
                self._conn.audit_row(
                    "update", "dossier", uid, old.get(uid) or None, new.get(uid) or None, stamp
                )
                for uid in ids
            ],
        )


def _by_uid(tables: Tables) -> dict[str, dict[str, list[dict[str, Any]]]]:
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table in MEMBER_TABLES:
        for r in tables.get(table, []):
            row = {k: v for k, v in r.items() if k != "member_uid"}
            out.setdefault(r["member_uid"], {}).setdefault(table, []).append(row)
    return out


def _changed_uids(before: Tables, after: Tables) -> set[str]:
    old, new = _by_uid(before), _by_uid(after)
    return {u for u in set(old) | set(new) if _comparable(old.get(u)) != _comparable(new.get(u))}


def _comparable(data: Mapping[str, Iterable[Mapping[str, Any]]] | None) -> Any:
    if not data:
        return {}
    return {t: sorted(repr(sorted(r.items())) for r in rows) for t, rows in data.items() if rows}
