"""What an action object (printing, files in and out) may ask of the window.

The action objects never touch the main window's widgets: they see the
selection, the current view and date, the unit filter, the jobs runner (ops
and the `Changes` broadcast) and the status line through this small surface.
The main window implements it; a test can pass any object that does.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from dvdesk.services.views import View
from dvdesk.store.gateway import Store
from dvdesk.ui.dialogs import DialogService
from dvdesk.ui.operations import Jobs


class ActionHost(Protocol):
    store: Store  # the window's own connection (GUI thread, quick reads only)
    dialogs: DialogService
    jobs: Jobs

    def current_uid(self) -> str | None:
        """The member the cursor is on."""
        ...

    def selected_uids(self) -> list[str]:
        """Every selected member (at least the current one when there is one)."""
        ...

    def view_row_ids(self) -> list[int]:
        """Row ids of everyone the table lists now, in its order."""
        ...

    def consideration_date(self) -> date: ...

    def current_view(self) -> View:
        """The preset view chosen in the left column."""
        ...

    def unit_code(self) -> str:
        """The unit filter's code ("" for every unit)."""
        ...

    def show_status(self, text: str, ms: int = 15000) -> None: ...
