"""Documents as the command line and the window issue them (reports draws them).

Which members a list shows comes from the preset views (store/views.py), so
a printed list has the members the window counts and `dvdesk list` prints.
Issuing a transfer letter is one act: the letter is written, then the
handover (chuyển nguồn) is recorded in the member's record — once: printing
the same letter again (same member, same receiver) writes the paper with the
date of the recorded handover and records nothing more.

Long prints (a 200,000-member list is ~2,500 pages) take `progress(done,
total)` and `cancel()`: the window passes its progress bar and Hủy button,
the CLI `stderr_progress()`, one updating line on stderr.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dvdesk.domain.procedure import Stage
from dvdesk.errors import KnownError
from dvdesk.store import views as preset
from dvdesk.store.member_query import MemberQuery

if TYPE_CHECKING:
    from dvdesk.reports.progress import Cancel, Progress
    from dvdesk.store.gateway import Store

__all__ = [
    "CANDIDATE_STAGES",
    "IssuedLetter",
    "issue_transfer_letter",
    "print_checklists",
    "print_eligible",
    "print_statistics",
    "print_upcoming",
    "print_view",
    "select_candidates",
    "stderr_progress",
]

CANDIDATE_STAGES = tuple(s.value for s in Stage if s is not Stage.MEMBER)


def select_candidates(
    store: Store, uids: Sequence[str], unit: str, stages: Sequence[str], eligible_on: date | None
) -> list[str]:
    """Member uids for a checklist batch, in roster order for filters.

    Without stages, a filter selects candidates only (at least one step
    done): a checklist of someone who has not started says nothing.
    """
    filtered = bool(unit or stages or eligible_on)
    if uids and filtered:
        raise KnownError(
            "Chọn đoàn viên bằng --uid hoặc bằng bộ lọc (--unit, --stage, "
            "--eligible-on), không dùng cả hai."
        )
    if uids:
        for uid in uids:
            store.members.row_id(uid)  # NotFound with a Vietnamese message
        return list(dict.fromkeys(uids))
    if not filtered:
        raise KnownError("Chưa chọn đoàn viên: dùng --uid, --unit, --stage hoặc --eligible-on.")
    if unit and store.units.id_of(unit) is None:
        raise KnownError(f"Không có đơn vị mã “{unit}”.")
    settings = store.settings.get()
    query = MemberQuery(
        unit_code=unit,
        stages=tuple(stages) or CANDIDATE_STAGES,
        eligible_on=eligible_on,
        method=settings.method,
    )
    if eligible_on is not None:
        # The same people as the "eligible" view: not Party members, not moved away.
        query = replace(
            query,
            not_stages=preset.PARTY_MEMBERS,
            not_presences=preset.GONE,
        )
    found = [row.uid for row in preset.view_rows(store, query, eligible_on or date.today())]
    if not found:
        raise KnownError("Không có đoàn viên nào phù hợp; không tạo tệp PDF.")
    return found


def print_checklists(
    store: Store,
    uids: Sequence[str],
    out: Path,
    meeting: date | None,
    today: date | None = None,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    from dvdesk.reports.checklist_pdf import write_checklists

    return write_checklists(
        store,
        list(uids),
        out,
        meeting,
        today,
        overwrite=overwrite,
        progress=progress,
        cancel=cancel,
    )


def print_eligible(
    store: Store,
    on: date,
    out: Path,
    unit: str = "",
    today: date | None = None,
    *,
    overwrite: bool = False,
    commune_code: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    from dvdesk.reports.member_lists import write_eligible_list

    return write_eligible_list(
        store,
        on,
        out,
        unit,
        today,
        overwrite=overwrite,
        commune_code=commune_code,
        progress=progress,
        cancel=cancel,
    )


def print_upcoming(
    store: Store,
    months: int,
    out: Path,
    on: date | None = None,
    unit: str = "",
    today: date | None = None,
    *,
    overwrite: bool = False,
    commune_code: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    from dvdesk.reports.member_lists import write_upcoming_list

    if not 1 <= months <= 60:
        raise KnownError("Số tháng phải từ 1 đến 60.")
    return write_upcoming_list(
        store,
        months,
        out,
        on,
        unit,
        today,
        overwrite=overwrite,
        commune_code=commune_code,
        progress=progress,
        cancel=cancel,
    )


def print_view(
    store: Store,
    key: str,
    on: date,
    out: Path,
    unit: str = "",
    today: date | None = None,
    *,
    overwrite: bool = False,
    commune_code: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> int:
    """The printed list of a preset view: the members the window shows for it."""
    from dvdesk.reports.member_lists import write_view_list
    from dvdesk.services.views import view_of

    view = view_of(store, key, on)
    return write_view_list(
        store,
        view,
        on,
        out,
        unit,
        today,
        overwrite=overwrite,
        commune_code=commune_code,
        progress=progress,
        cancel=cancel,
    )


def print_statistics(
    store: Store,
    out: Path,
    year: int | None = None,
    today: date | None = None,
    *,
    overwrite: bool = False,
) -> int:
    from dvdesk.reports.statistics_pdf import write_statistics

    if year is not None and not 1900 <= year <= 2200:
        raise KnownError(f"Năm {year} không hợp lệ.")
    return write_statistics(store, out, year, today, overwrite=overwrite)


@dataclass(frozen=True)
class IssuedLetter:
    pages: int
    recorded: bool  # False: a reprint of a handover already recorded
    on: date  # the handover's date, printed on the letter
    transfer_file: dict[str, Any] | None = None  # the transfer file's manifest, when written


def issue_transfer_letter(
    store: Store,
    uid: str,
    to: str,
    out: Path,
    today: date | None = None,
    *,
    overwrite: bool = False,
    transfer_file: Path | None = None,
    letter_number: str = "",
    passphrase: str | None = None,
) -> IssuedLetter:
    """Print the transfer letter and record the handover, unless it is already recorded.

    The handover is part of the member's record (chuyển nguồn), not only a
    paper: the office follows up on it. A second print to the same receiver
    is a copy of the same letter (same date) and records nothing.

    With `transfer_file`, the one-person signed transfer package for the
    receiver's dvdesk is written too (exchange/transfer_file.py), carrying
    `letter_number`; it belongs to the same handover, never a second one.
    """
    from dvdesk.reports.transfer_letter import write_transfer_letter

    today = today or date.today()
    receiver = " ".join(to.split())
    earlier = [t for t in store.transfers.of(uid) if t["to_organisation"] == receiver]
    if earlier:
        on = date.fromisoformat(earlier[0]["on_date"])
        # A copy carries the number the letter was given (typed now or before).
        number = letter_number or earlier[0].get("letter_number") or ""
        pages = write_transfer_letter(
            store, uid, receiver, out, on, number=number, overwrite=overwrite
        )
        sent = _transfer_file(
            store, uid, receiver, transfer_file, letter_number, passphrase, on, overwrite
        )
        return IssuedLetter(pages, False, on, sent)
    # Record and print together: a letter that cannot be written records nothing.
    with store.transaction():
        store.transfers.record(uid, today, receiver, f"Giấy chuyển ({out.name})")
        pages = write_transfer_letter(
            store, uid, receiver, out, today, number=letter_number, overwrite=overwrite
        )
        sent = _transfer_file(
            store, uid, receiver, transfer_file, letter_number, passphrase, today, overwrite
        )
    return IssuedLetter(pages, True, today, sent)


def _transfer_file(
    store: Store,
    uid: str,
    receiver: str,
    out: Path | None,
    letter_number: str,
    passphrase: str | None,
    on: date,
    overwrite: bool,
) -> dict[str, Any] | None:
    if out is None:
        return None
    from dvdesk.exchange.transfer_file import write_transfer_file

    return write_transfer_file(
        store, uid, receiver, out, letter_number, passphrase, on, overwrite=overwrite
    )


def stderr_progress() -> Progress | None:
    """The command line's progress: one updating line on stderr ("Đang in: 1.200/20.000 (6%)").

    Only when stderr is a terminal: a script or a log reading stderr gets the
    one-line error contract (tests/safety), not carriage returns.
    """
    import sys

    from dvdesk.reports.progress import stderr_progress as line

    stream = sys.stderr
    return line(stream) if stream is not None and stream.isatty() else None
