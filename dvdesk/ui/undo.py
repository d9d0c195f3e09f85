"""Undo and redo over what the officer did since the window opened.

Each command holds the before and after of one write (a member edit, an add, a
delete, a step record), taken when the write was made; undoing writes the
"before" back through the store, so the undo is itself a normal audited change
and shows in the member's history. The commands live on a `QUndoStack`, which
names the next action in the Sửa menu ("Hoàn tác: Sửa Nguyễn Văn An").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QUndoCommand

from dvdesk.domain.member import Member
from dvdesk.domain.procedure import STEP_BY_CODE, StepRecord
from dvdesk.store.changes import Changes
from dvdesk.store.gateway import Store

Announce = Callable[[Changes], None]


class _StoreCommand(QUndoCommand):
    """A write already made; `redo` is skipped the first time (push calls it)."""

    # The window's "select this member", set by the window: after an undo or redo
    # the member it brought back or changed is the one selected.
    select: Callable[[str], object] | None = None

    def __init__(self, text: str, store: Store, announce: Announce) -> None:
        super().__init__(text)
        self.store = store
        self.announce = announce
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._done(forward=True)

    def undo(self) -> None:
        self._done(forward=False)

    def _done(self, forward: bool) -> None:
        self.announce(self.apply(forward))
        uid = self.shown(forward)
        if uid and self.select is not None:
            self.select(uid)

    def apply(self, forward: bool) -> Changes:
        raise NotImplementedError

    def shown(self, forward: bool) -> str | None:
        """The member to select once `apply(forward)` is done (None: leave the selection)."""
        return None


class EditMember(_StoreCommand):
    def __init__(
        self, store: Store, announce: Announce, before: Member, after: Member, today: date
    ) -> None:
        super().__init__(f"Sửa {after.full_name}", store, announce)
        self.before, self.after, self.today = before, after, today

    def apply(self, forward: bool) -> Changes:
        member = self.after if forward else self.before
        return self.store.members.update(member, self.today).changes

    def shown(self, forward: bool) -> str | None:
        return self.after.uid


class AddMember(_StoreCommand):
    def __init__(self, store: Store, announce: Announce, member: Member) -> None:
        super().__init__(f"Thêm {member.full_name}", store, announce)
        self.uid = member.uid

    def apply(self, forward: bool) -> Changes:
        if forward:
            return self.store.members.restore(self.uid)
        return self.store.members.delete(self.uid)

    def shown(self, forward: bool) -> str | None:
        return self.uid if forward else None


class DeleteMembers(_StoreCommand):
    def __init__(self, store: Store, announce: Announce, uids: list[str], names: list[str]) -> None:
        text = f"Xóa {names[0]}" if len(names) == 1 else f"Xóa {len(names)} đoàn viên"
        super().__init__(text, store, announce)
        self.uids = uids

    def apply(self, forward: bool) -> Changes:
        changes = Changes()
        with self.store.transaction():  # all of them or none
            for uid in self.uids:
                if forward:
                    changes |= self.store.members.delete(uid)
                else:
                    changes |= self.store.members.restore(uid)
        return changes

    def shown(self, forward: bool) -> str | None:
        return None if forward else self.uids[0]  # undoing a delete brings them back


class RestoreMembers(DeleteMembers):
    def __init__(self, store: Store, announce: Announce, uids: list[str], names: list[str]) -> None:
        super().__init__(store, announce, uids, names)
        who = names[0] if len(names) == 1 else f"{len(names)} người"
        self.setText(f"Khôi phục {who}")

    def apply(self, forward: bool) -> Changes:
        return super().apply(not forward)

    def shown(self, forward: bool) -> str | None:
        return super().shown(not forward)


class RecordStep(_StoreCommand):
    def __init__(
        self,
        store: Store,
        announce: Announce,
        uid: str,
        before: StepRecord,
        after: StepRecord,
        today: date,
    ) -> None:
        step = STEP_BY_CODE.get(after.code)
        super().__init__(f"Ghi bước “{step.title if step else after.code}”", store, announce)
        self.uid, self.before, self.after, self.today = uid, before, after, today

    def apply(self, forward: bool) -> Changes:
        return self.store.steps.record(self.uid, self.after if forward else self.before, self.today)

    def shown(self, forward: bool) -> str | None:
        return self.uid
