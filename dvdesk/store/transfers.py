"""Transfers of a student's "cảm tình Đảng" introduction (chuyển nguồn), audited.

When a student on the source list graduates before being admitted, the
introduction is handed to the organisation where they will live, study or
work (DESIGN.md; Công văn 1237-CV/TU). Each handover is kept with its date,
receiver and the documents sent, so the office can follow up.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dvdesk.errors import BadInput
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection, now_iso
from dvdesk.store.members import MembersRepo


class TransfersRepo:
    """`store.transfers`: handovers of an introduction, per member."""

    def __init__(self, conn: Connection, members: MembersRepo) -> None:
        self._conn = conn
        self._members = members

    def record(
        self,
        uid: str,
        on: date,
        to_organisation: str,
        documents: str = "",
        note: str = "",
    ) -> Changes:
        receiver = " ".join(to_organisation.split())
        if not receiver:
            raise BadInput("Chưa ghi nơi nhận (chi bộ, đoàn nơi cư trú, học tập, làm việc).")
        with self._conn.transaction():
            member_id = self._members.row_id(uid)
            row = {
                "on_date": on.isoformat(),
                "to_organisation": receiver,
                "documents": documents.strip(),
                "note": note.strip(),
            }
            self._conn.execute(
                "INSERT INTO transfers (member_id, on_date, to_organisation, documents, note, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (member_id, row["on_date"], receiver, row["documents"], row["note"], now_iso()),
            )
            self._conn.audit("insert", "transfer", uid, None, row)
        return Changes.of(Kind.TRANSFERS, uids=[uid])

    def of(self, uid: str) -> list[dict[str, Any]]:
        return self._conn.rows(
            "SELECT t.on_date, t.to_organisation, t.documents, t.note FROM transfers t "
            "JOIN members m ON m.id = t.member_id WHERE m.uid = ? ORDER BY t.on_date, t.id",
            [uid],
        )
