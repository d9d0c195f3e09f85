"""Spreadsheet imports in the store (nhập danh sách từ Excel): what is there, one write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from dvdesk.domain.member import Member, Unit
from dvdesk.domain.validation import Report
from dvdesk.store.changes import Changes
from dvdesk.store.connection import Connection
from dvdesk.store.members import MembersRepo
from dvdesk.store.rows import MEMBER_ROW_COLUMNS
from dvdesk.store.units import UnitsRepo


class ImportsRepo:
    """`store.imports`: what a re-import matches against, and the one import write."""

    def __init__(self, conn: Connection, units: UnitsRepo, members: MembersRepo) -> None:
        self._conn = conn
        self._units = units
        self._members = members

    def commune_identities(self) -> list[dict[str, Any]]:
        """uid, CCCD, name, date of birth and unit code of every live member.

        What a re-import matches against, so the same sheet never adds anyone twice.
        Not filtered by commune code: rows entered before the code was set carry
        an older one, and a commune file holds one commune anyway.
        """
        return self._conn.rows(
            "SELECT m.uid, m.cccd, m.full_name, m.dob, u.code AS unit_code FROM members m "
            "JOIN units u ON u.id = m.unit_id WHERE m.deleted_at IS NULL"
        )

    def add_units_and_members(
        self,
        units: list[Unit],
        members: list[Member],
        *,
        today: date | None = None,
        progress: Callable[[int, int], None] | None = None,
        checked: Mapping[str, Report] | None = None,
    ) -> Changes:
        """New units and members in ONE transaction, audited; all of them or none.

        `.count` of the result is how many members were added.
        """
        changes = Changes()
        with self._conn.transaction():
            for unit in units:
                changes |= self._units.add(unit)
            changes |= self._members.add_many(
                members, today=today, progress=progress, total=len(members), checked=checked
            )
        return changes

    def add_units_and_rows(
        self,
        units: list[Unit],
        rows: Iterable[tuple[str, tuple[Any, ...], str]],
        *,
        today: date | None = None,
        progress: Callable[[int, int], None] | None = None,
        total: int = 0,
    ) -> Changes:
        """New units and the rows an import's preview made (`MembersRepo.add_checked`,
        columns as MEMBER_ROW_COLUMNS orders them) in ONE transaction, audited; all or none."""
        changes = Changes()
        with self._conn.transaction():
            for unit in units:
                changes |= self._units.add(unit)
            changes |= self._members.add_checked(
                MEMBER_ROW_COLUMNS, rows, today=today, progress=progress, total=total
            )
        return changes
