"""Which communes a consolidated file holds: the light half of `store.received`.

A list or the statistics only ask whether the file is a consolidated one and
for its communes; this module answers without loading the merge's code
(store/received.py: members, dossiers, checks), which would cost each such
command's start-up (issue #11).
"""

from __future__ import annotations

from typing import Any

from dvdesk.store.connection import Connection


class ReceivedIndex:
    """`store.received_index` (and `store.received.all`, `.commune_codes`)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def all(self) -> list[dict[str, Any]]:
        """One row per commune whose package was merged here, in code order."""
        return self._conn.rows("SELECT * FROM received_packages ORDER BY commune_code")

    def commune_codes(self) -> list[str]:
        """Every commune with a package merged or live members here, in code order."""
        return [
            r[0]
            for r in self._conn.tuples(
                "SELECT commune_code FROM received_packages UNION "
                "SELECT DISTINCT commune_code FROM members WHERE deleted_at IS NULL ORDER BY 1"
            )
        ]
