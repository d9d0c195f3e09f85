"""The program-wide vocabulary of known problems (lỗi người dùng sửa được).

A `KnownError` carries a Vietnamese message that says what to do; every layer
(domain callers, store, exchange, reports, CLI, window) raises these for
problems a clerk can act on. Anything else is a bug: logged with its traceback
and shown as "lỗi chương trình". The data file's own failures (locked, full
disk, damaged, …) subclass `KnownError` in `dvdesk.store.errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the annotation only: the domain itself raises these errors
    from dvdesk.domain.validation import Report


class KnownError(Exception):
    """A problem the user can understand and fix; `str()` is Vietnamese."""


class BadInput(KnownError):
    """What was typed or chosen cannot be used (empty code, future date, …)."""


class NotFound(KnownError):
    """The thing asked for (member, file, step, holiday) does not exist."""


class Refused(KnownError):
    """The program will not do this, to protect the data (duplicate, conflict, …)."""


class OutputRefused(Refused):
    """An output file may not be written there (it would overwrite something that matters)."""


class ValidationFailed(BadInput):
    """A record broke an error rule; `report` lists every issue."""

    def __init__(self, report: Report, message: str) -> None:
        super().__init__(message)
        self.report = report
