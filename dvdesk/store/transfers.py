"""Transfers of a student's "cảm tình Đảng" introduction (chuyển nguồn), audited.

When a student on the source list graduates before being admitted, the
introduction is handed to the organisation where they will live, study or
work (DESIGN.md; Công văn 1237-CV/TU). Each handover is kept with its date,
receiver and the documents sent, so the office can follow up.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from dvdesk.store.errors import KnownError

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store


class TransfersMixin:
    """Transfer operations of `Store` (see gateway.py)."""

    def record_transfer(
        self: Store,
        uid: str,
        on: date,
        to_organisation: str,
        documents: str = "",
        note: str = "",
    ) -> None:
        from dvdesk.store.gateway import now_iso

        receiver = " ".join(to_organisation.split())
        if not receiver:
            raise KnownError("Chưa ghi nơi nhận (chi bộ, đoàn nơi cư trú, học tập, làm việc).")
        with self.transaction():
            member_id = self.member_row_id(uid)
            row = {
                "on_date": on.isoformat(),
                "to_organisation": receiver,
                "documents": documents.strip(),
                "note": note.strip(),
            }
            self.db.execute(
                "INSERT INTO transfers (member_id, on_date, to_organisation, documents, note, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (member_id, row["on_date"], receiver, row["documents"], row["note"], now_iso()),
            )
            self.audit("insert", "transfer", uid, None, row)

    def transfers_of(self: Store, uid: str) -> list[dict[str, Any]]:
        return self.query(
            "SELECT t.on_date, t.to_organisation, t.documents, t.note FROM transfers t "
            "JOIN members m ON m.id = t.member_id WHERE m.uid = ? ORDER BY t.on_date, t.id",
            [uid],
        )
