"""Transfers of a student's "cảm tình Đảng" introduction (chuyển nguồn), audited.

When a student on the source list graduates before being admitted, the
introduction is handed to the organisation where they will live, study or
work (DESIGN.md; Công văn 1237-CV/TU). Each handover is kept with its date,
receiver and the documents sent, so the office can follow up.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Any

from dvdesk.domain.member import Member
from dvdesk.domain.names import fold
from dvdesk.domain.procedure import StepRecord, StepState, stage_of
from dvdesk.errors import BadInput, NotFound
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.connection import Connection, now_iso
from dvdesk.store.members import MembersRepo
from dvdesk.store.rows import step_values


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

    # -- transfer files (exchange/transfer_file.py) --------------------------------

    def outgoing(
        self, uid: str, on: date, to_organisation: str, letter_number: str
    ) -> dict[str, Any]:
        """The handover a transfer file carries: the one already recorded for this
        receiver (a reprinted letter records nothing new) or a new one; with its id.
        """
        receiver = " ".join(to_organisation.split())
        with self._conn.transaction():
            member_id = self._members.row_id(uid)
            row = self._conn.one(
                "SELECT id, on_date, transfer_id, letter_number FROM transfers "
                "WHERE member_id = ? AND to_organisation = ? ORDER BY id LIMIT 1",
                [member_id, receiver],
            )
            if row is None:
                self.record(uid, on, receiver, "Tệp chuyển nguồn")
                row = self._conn.one(
                    "SELECT id, on_date, transfer_id, letter_number FROM transfers "
                    "WHERE member_id = ? ORDER BY id DESC LIMIT 1",
                    [member_id],
                )
                assert row is not None
            new = {
                "transfer_id": row["transfer_id"] or str(uuid.uuid4()),
                "letter_number": letter_number or row["letter_number"],
            }
            old = {"transfer_id": row["transfer_id"], "letter_number": row["letter_number"]}
            if new != old:
                self._conn.execute(
                    "UPDATE transfers SET transfer_id = ?, letter_number = ? WHERE id = ?",
                    (new["transfer_id"], new["letter_number"], row["id"]),
                )
                self._conn.audit("update", "transfer", uid, old, new)
        return {**new, "on_date": row["on_date"]}

    def outgoing_by_id(self, transfer_id: str) -> dict[str, Any] | None:
        return self._conn.one(
            "SELECT m.uid, m.full_name, t.on_date, t.to_organisation, t.letter_number, "
            "t.confirmed_at FROM transfers t JOIN members m ON m.id = t.member_id "
            "WHERE t.transfer_id = ?",
            [transfer_id],
        )

    def pending(self) -> list[dict[str, Any]]:
        """ "Đã chuyển đi — chờ nơi nhận xác nhận": transfer files sent, not yet confirmed."""
        return self._conn.rows(
            "SELECT m.uid, m.full_name, t.on_date, t.to_organisation, t.letter_number, "
            "t.transfer_id FROM transfers t JOIN members m ON m.id = t.member_id "
            "WHERE t.transfer_id IS NOT NULL AND t.confirmed_at IS NULL "
            "ORDER BY t.on_date, m.name_sort"
        )

    def confirm(self, transfer_id: str, by: str, fingerprint: str) -> Changes:
        """The receiver's receipt arrived: the transfer is confirmed (once)."""
        with self._conn.transaction():
            sent = self.outgoing_by_id(transfer_id)
            if sent is None:
                raise NotFound(f"Không có lần chuyển mã {transfer_id} trong tệp dữ liệu này.")
            stamp = now_iso()
            self._conn.execute(
                "UPDATE transfers SET confirmed_at = ? WHERE transfer_id = ? "
                "AND confirmed_at IS NULL",
                (stamp, transfer_id),
            )
            self._conn.audit(
                "update",
                "transfer",
                sent["uid"],
                {"confirmed_at": None},
                {"confirmed_at": stamp, "confirmed_by": by, "fingerprint": fingerprint},
            )
        return Changes.of(Kind.TRANSFERS, uids=[sent["uid"]])

    def arrival_or_none(self, transfer_id: str) -> dict[str, Any] | None:
        return self._conn.one(
            "SELECT m.uid, m.full_name, i.* FROM transfers_in i JOIN members m "
            "ON m.id = i.member_id WHERE i.transfer_id = ?",
            [transfer_id],
        )

    def arrival(self, transfer_id: str) -> dict[str, Any]:
        found = self.arrival_or_none(transfer_id)
        if found is None:
            raise NotFound(f"Tệp dữ liệu này chưa nhận tệp chuyển mã {transfer_id}.")
        return found

    def arrivals(self) -> list[dict[str, Any]]:
        """People "được chuyển đến": who, from where, with which letter."""
        return self._conn.rows(
            "SELECT m.uid, m.full_name, i.from_name, i.from_code, i.letter_number, i.on_date, "
            "i.received_at, i.transfer_id FROM transfers_in i JOIN members m "
            "ON m.id = i.member_id ORDER BY i.received_at, m.name_sort"
        )

    def same_person(self, member: Member) -> str:
        """How `member` is already in this file with another dossier ('' when not)."""
        row = self._conn.one(
            "SELECT full_name, deleted_at FROM members WHERE uid = ?", [member.uid]
        )
        if row is not None:
            where = "trong danh sách đã xóa" if row["deleted_at"] else "đang có"
            return f"cùng mã đoàn viên {member.uid[:8]}…, {where}"
        if member.cccd:
            other = self._conn.one(
                "SELECT uid, full_name FROM members WHERE cccd = ? AND deleted_at IS NULL",
                [member.cccd],
            )
            if other is not None:
                return f"cùng số CCCD {member.cccd}: {other['full_name']}"
        if member.dob is not None and member.dob.is_full:
            for r in self._conn.rows(
                "SELECT full_name FROM members WHERE dob = ? AND deleted_at IS NULL",
                [member.dob.iso()],
            ):
                if fold(r["full_name"]) == fold(member.full_name):
                    return f"cùng họ tên và ngày sinh {member.dob.vi()}"
        return ""

    def arrive(
        self,
        member: Member,
        unit_code: str,
        steps: list[StepRecord],
        info: dict[str, str],
        today: date,
    ) -> Changes:
        """The person of a transfer file joins this file with their steps, marked
        "được chuyển đến"; one transaction, audited.
        """
        stamp = now_iso()
        with self._conn.transaction():
            self._members.add(replace(member, unit_code=unit_code), today)
            member_id = self._members.row_id(member.uid)
            self._conn.executemany(
                "INSERT INTO steps (member_id, code, state, done_on, doc_number, note, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [step_values(member_id, r, stamp) for r in steps],
            )
            done = {r.code for r in steps if r.state is StepState.DONE}
            self._conn.execute(
                "UPDATE members SET stage = ? WHERE id = ?", (stage_of(done).value, member_id)
            )
            self._conn.execute(
                "INSERT INTO transfers_in (transfer_id, member_id, from_name, from_code, "
                "fingerprint, letter_number, on_date, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    info["transfer_id"],
                    member_id,
                    info["from_name"],
                    info["from_code"],
                    info["fingerprint"],
                    info["letter_number"],
                    info["on_date"],
                    stamp,
                ),
            )
            self._conn.audit("insert", "transfer_in", member.uid, None, info)
        return Changes.of(
            Kind.MEMBERS, Kind.STEPS, Kind.TRANSFERS, uids=[member.uid], reorders=True
        )
