"""The preset views as the window, the CLI and the printed lists use them.

One definition (store/views.py); this module is what callers above the store
call: the window's view list and counts (`counts`), `dvdesk list --view KEY`
and the printed list of a view (`printing.print_view`) all go through
`view_of` and the same query, so their numbers agree (tests/services).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from dvdesk.domain.listing import VIEW_KEYS, ListRow
from dvdesk.errors import KnownError
from dvdesk.store import views as preset
from dvdesk.store.views import View

if TYPE_CHECKING:
    from dvdesk.store.gateway import Store

__all__ = ["View", "counts", "preset_views", "rows", "view_of"]


def preset_views(store: Store, on: date) -> list[View]:
    """Every preset view for the consideration date `on`, from the file's settings."""
    return preset.preset_views(store.settings.get(), on)


def view_of(store: Store, key: str, on: date) -> View:
    for view in preset_views(store, on):
        if view.key == key:
            return view
    raise KnownError(f"Không có danh sách “{key}”; các danh sách: {', '.join(VIEW_KEYS)}.")


def counts(store: Store, on: date, views: list[View] | None = None) -> dict[str, int]:
    """How many members each view shows on `on` (the window's view list)."""
    chosen = views if views is not None else preset_views(store, on)
    return {v.key: preset.count(store, v.query) for v in chosen}


def rows(store: Store, view: View, on: date) -> Iterator[ListRow]:
    """The view's members as list rows, in roster order, streamed."""
    return preset.view_rows(store, view.query, on, view.graduation)
