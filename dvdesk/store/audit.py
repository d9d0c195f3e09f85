"""The audit log read back (nhật ký thay đổi); the connection writes it."""

from __future__ import annotations

from typing import Any

from dvdesk.store.connection import Connection


class AuditRepo:
    """`store.audit`: who changed what, per member."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def history(self, uid: str) -> list[dict[str, Any]]:
        """Audit entries for one member and their procedure steps, oldest first."""
        return self._conn.rows(
            "SELECT at, actor, action, entity, old, new FROM audit WHERE entity_uid = ? "
            "ORDER BY id",
            [uid],
        )
