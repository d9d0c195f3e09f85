"""Spreadsheet imports in the store (nhập danh sách từ Excel): what is there, one write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from dvdesk.domain.member import Member, Unit

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


class ImportsMixin:
    """Import operations of `Store` (see gateway.py)."""

    def commune_identities(self: Store) -> list[dict[str, Any]]:
        """uid, CCCD, name, date of birth and unit code of every live member.

        What a re-import matches against, so the same sheet never adds anyone twice.
        Not filtered by commune code: rows entered before the code was set carry
        an older one, and a commune file holds one commune anyway.
        """
        return self.query(
            "SELECT m.uid, m.cccd, m.full_name, m.dob, u.code AS unit_code FROM members m "
            "JOIN units u ON u.id = m.unit_id WHERE m.deleted_at IS NULL"
        )

    def add_units_and_members(
        self: Store,
        units: list[Unit],
        members: list[Member],
        *,
        today: date | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """New units and members in ONE transaction, audited; all of them or none."""
        with self.transaction():
            for unit in units:
                self.add_unit(unit)
            return self.add_members(members, today=today, progress=progress, total=len(members))
