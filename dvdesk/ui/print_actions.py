"""Printing from the window: every document as a PDF, then dvdesk's print preview.

The officer chooses where to save (the dialog starts in Documents, then in the
last folder used for PDFs); the document is written off the GUI thread (a
batch of checklists shows "n / total" and can be stopped with Hủy), then shown
in the preview window, which prints it on A4 and saves copies.
dvdesk/reports does the drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from dvdesk.domain.member import UnitKind
from dvdesk.errors import KnownError
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.gateway import Store
from dvdesk.ui.host import ActionHost
from dvdesk.ui.operations import Op, Progress

PDF = "Tệp PDF (*.pdf)"
Writer = Callable[[Store, Path, Progress], Any]


class Recorded(NamedTuple):
    """A PDF whose making also wrote to the data file (the transfer letter)."""

    pages: int
    changes: Changes


# Of the time a checklist takes, reading its member is about an eighth and laying out
# its page the rest (measured: 0.42 s and 2.85 s per 1,000).
READ_SHARE = 8


class ChecklistCount:
    """One progress bar over a print of checklists: the report checks once per member
    it reads (the first eighth of the bar), then counts the pages it lays out (the
    rest). Each step reports, and `progress` raises `Cancelled` after Hủy, so the
    print stops at any point."""

    def __init__(self, total: int, progress: Progress) -> None:
        self.total, self.progress = total, progress
        self.read = self.shown = 0
        self.laying_out = False

    def check(self) -> bool:
        """The report's cancel question, asked after each member it reads."""
        if not self.laying_out:
            self.read += 1
            self.shown = min(self.read, self.total) // READ_SHARE
        self.progress(self.shown, self.total)
        return False

    def pages(self, done: int, total: int) -> None:
        """The report's count of pages laid out."""
        self.laying_out = True
        read = total // READ_SHARE
        self.shown = read + (done * (total - read)) // max(total, 1)
        self.progress(self.shown, total)


def write_counted(store: Store, uids: list[str], out: Path, on: date, progress: Progress) -> int:
    from dvdesk.reports.checklist_pdf import write_checklists

    count = ChecklistCount(len(uids), progress)
    return write_checklists(
        store, uids, out, on, overwrite=True, progress=count.pages, cancel=count.check
    )


def uids_of(store: Store, row_ids: list[int], progress: Progress) -> list[str]:
    """The uids of `row_ids`, in their order (read in blocks, off the GUI thread)."""
    uids: list[str] = []
    for start in range(0, len(row_ids), 2000):
        chunk = row_ids[start : start + 2000]
        rows = store.members.rows(chunk)
        uids += [str(rows[i]["uid"]) for i in chunk if i in rows]
        progress(start + len(chunk), len(row_ids))
    return uids


class PrintActions(QObject):
    """Signals:
    printed(str): the path of a PDF just written.
    """

    printed = Signal(str)

    def __init__(self, host: ActionHost, parent: QObject | None = None, open_viewer: bool = True):
        super().__init__(parent)
        self.host = host
        self.dialogs = host.dialogs
        self.open_viewer = open_viewer
        self.last: Op | None = None

    def _write(
        self,
        title: str,
        default: str,
        work: Writer,
        records: bool = False,
        counted: bool = False,
    ) -> Op | None:
        """Ask where to save, then make the PDF off the GUI thread. Hủy is offered when
        the work is `counted` (reports progress, so it can stop) and `records` nothing
        in the data file.

        The save dialog has asked before replacing an existing file, so the
        writers are called with `overwrite=True`; the output guard still
        refuses a data file or its companions.
        """
        if self.host.store.path is None:
            return None
        out = self.dialogs.save_file(title, PDF, default)
        if not out:
            return None
        target = Path(out) if out.lower().endswith(".pdf") else Path(out + ".pdf")
        label = f"Đang tạo “{target.name}”…"
        run = self.host.jobs.write if records else self.host.jobs.long_read
        op = run(
            label,
            lambda store, progress: work(store, target, progress),
            lambda pages: self._done(target, pages),
            cancellable=counted and not records,
        )
        self.last = op
        return op

    def _done(self, target: Path, result: int | Recorded) -> None:
        pages = result.pages if isinstance(result, Recorded) else result
        self.host.show_status(f"Đã tạo {target} ({pages:,} trang).".replace(",", "."))
        if self.open_viewer:
            self.show_preview(target)
        self.printed.emit(str(target))

    def show_preview(self, target: Path) -> QWidget | None:
        """dvdesk's own preview (print, save a copy); the system viewer if QtPdf is missing."""
        try:
            from dvdesk.ui.pdf_preview import PdfPreview
        except ImportError:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
                self.dialogs.warn(
                    "Không mở được tệp PDF",
                    f"Đã lưu “{target}” nhưng máy chưa có chương trình xem PDF để mở tệp này. "
                    "Hãy mở tệp bằng trình duyệt web hoặc cài một chương trình đọc PDF.",
                )
            return None
        parent = self.parent()
        preview = PdfPreview(target, self.dialogs, parent if isinstance(parent, QWidget) else None)
        preview.setWindowFlag(Qt.WindowType.Window)
        preview.show()
        self.preview = preview
        return preview

    @property
    def on(self) -> date:
        return self.host.consideration_date()

    def checklist(self) -> Op | None:
        uids = self.host.selected_uids()
        if not uids:
            self.dialogs.info("In phiếu", "Hãy chọn một đoàn viên trong bảng trước.")
            return None

        name = self.host.store.members.get(uids[0]).full_name
        default = f"phieu-{_slug(name)}.pdf" if len(uids) == 1 else "cac-phieu-theo-doi.pdf"
        on = self.on
        return self._write(
            "Lưu phiếu theo dõi hồ sơ",
            default,
            lambda store, out, progress: write_counted(store, uids, out, on, progress),
            counted=True,
        )

    def checklists_of_view(self) -> Op | None:
        """One checklist per page for everyone the table shows now."""
        row_ids = self.host.view_row_ids()
        count = len(row_ids)
        if not count:
            self.dialogs.info("In phiếu", "Danh sách đang xem không có ai.")
            return None
        pages = f"{count:,}".replace(",", ".")
        if count > 300 and not self.dialogs.confirm(
            "In nhiều phiếu",
            f"Danh sách đang xem có {pages} người: in {pages} trang? "
            "Có thể bấm “Hủy” trong lúc tạo để dừng.",
        ):
            return None
        on = self.on

        def work(store: Store, out: Path, progress: Progress) -> int:
            uids = uids_of(store, row_ids, lambda done, total: None)
            return write_counted(store, uids, out, on, progress)

        return self._write("Lưu các phiếu theo dõi", "cac-phieu-theo-doi.pdf", work, counted=True)

    def eligible_list(self) -> Op | None:
        from dvdesk.reports.member_lists import write_eligible_list

        unit, on = self.host.unit_code(), self.on
        return self._write(
            "Lưu danh sách đủ tuổi",
            f"danh-sach-du-tuoi-{on:%Y%m%d}.pdf",
            lambda store, out, progress: write_eligible_list(
                store, on, out, unit, overwrite=True, progress=progress
            ),
            counted=True,  # the list reports its rows: Hủy stops it
        )

    def upcoming_list(self, months: int = 12) -> Op | None:
        from dvdesk.reports.member_lists import write_upcoming_list

        unit, on = self.host.unit_code(), self.on
        return self._write(
            "Lưu danh sách sắp đủ tuổi",
            f"danh-sach-sap-du-tuoi-{months}-thang.pdf",
            lambda store, out, progress: write_upcoming_list(
                store, months, out, on, unit, overwrite=True, progress=progress
            ),
            counted=True,  # the list reports its rows: Hủy stops it
        )

    def transfer_letter(self) -> Op | None:
        uid = self.host.current_uid()
        if not uid:
            self.dialogs.info("Giấy chuyển", "Hãy chọn một học sinh trong bảng trước.")
            return None
        store = self.host.store
        member = store.members.get(uid)
        from dvdesk.reports.transfer_letter import transfer_of

        try:  # say "not eligible" before asking anything
            transfer_of(store, uid, "-", date.today())
        except KnownError as exc:
            self.dialogs.warn("Không lập được giấy chuyển", str(exc))
            return None
        kinds = store.units.kinds()
        if kinds.get(member.unit_code) is not UnitKind.SCHOOL and not self.dialogs.confirm(
            "Giấy chuyển", f"{member.full_name} không thuộc trường THPT. Vẫn lập giấy chuyển?"
        ):
            return None
        to = self.dialogs.ask_text(
            "Giấy chuyển giới thiệu cảm tình Đảng",
            "Gửi đến tổ chức (chi bộ, đoàn nơi cư trú / học tập / làm việc mới):",
        )
        if not to or not to.strip():
            return None

        receiver = to.strip()

        def work(store: Store, out: Path, progress: Progress) -> Recorded:
            from dvdesk.services.printing import issue_transfer_letter

            # Printing records the handover once; a reprint records nothing more.
            issued = issue_transfer_letter(store, uid, receiver, out, overwrite=True)
            changes = Changes.of(Kind.TRANSFERS, uids=[uid]) if issued.recorded else Changes()
            return Recorded(issued.pages, changes)

        name = f"giay-chuyen-{_slug(member.full_name)}.pdf"
        op = self._write("Lưu giấy chuyển", name, work, records=True)
        return op

    def view_list(self) -> Op | None:
        """The view chosen in the left column, as a printed list (the members it counts)."""
        from dvdesk.services.printing import print_view

        view = self.host.current_view()
        unit, on = self.host.unit_code(), self.on
        return self._write(
            "Lưu danh sách",
            f"danh-sach-{view.key}-{on:%Y%m%d}.pdf",
            lambda store, out, progress: print_view(
                store, view.key, on, out, unit, overwrite=True, progress=progress
            ),
            counted=True,  # the list reports its rows: Hủy stops it
        )

    def source_plan(self) -> Op | None:
        """Kế hoạch tạo nguồn: a school and its course, or a year (residential areas)."""
        answer = self.dialogs.ask_text(
            "Kế hoạch tạo nguồn",
            "Nhập mã trường và khóa học (ví dụ: THPT1 2024-2027), "
            "hoặc một năm cho các khu dân cư (ví dụ: 2027):",
        )
        if not answer or not answer.split():
            return None
        words = answer.split()
        from dvdesk.errors import KnownError
        from dvdesk.reports.source_plan import write_source_plan
        from dvdesk.services import plans

        if len(words) == 1 and words[0].isdigit():
            year = int(words[0])

            def make(store: Store) -> plans.Plan:
                return plans.year_plan(store, year)

            default = f"ke-hoach-tao-nguon-{year}.pdf"
        elif len(words) == 2:
            school, course = words

            def make(store: Store) -> plans.Plan:
                return plans.school_plan(store, school, course)

            default = f"ke-hoach-tao-nguon-{school.lower()}-{course}.pdf"
        else:
            self.dialogs.warn("Kế hoạch tạo nguồn", "Hãy nhập “THPT1 2024-2027” hoặc “2027”.")
            return None
        try:
            make(self.host.store)  # a wrong code or course is said before choosing a file
        except KnownError as exc:
            self.dialogs.warn("Kế hoạch tạo nguồn", str(exc))
            return None

        def work(store: Store, out: Path, progress: Progress) -> int:
            plan = make(store)
            return write_source_plan(
                store.settings.get(), plan.title, plan.subtitle, plan.groups(), out, overwrite=True
            )

        return self._write("Lưu kế hoạch tạo nguồn", default, work)

    def party_totals(self) -> bool:
        """The officer enters a year's đảng bộ figures for the 3–4% target (audited)."""
        from dvdesk.errors import KnownError
        from dvdesk.services.statistics import enter_year_totals

        title = "Số liệu đảng bộ theo năm"
        year_text = self.dialogs.ask_text(title, "Năm:", str(date.today().year))
        if not year_text or not year_text.strip().isdigit():
            return False
        year = int(year_text)
        entered = self.host.store.statistics.totals.get(year)

        class Cancelled(Exception):
            pass

        def ask(label: str, current: str) -> str:
            text = self.dialogs.ask_text(title, label, current)
            if text is None:
                raise Cancelled
            return text.strip()

        def number(label: str, current: int | None) -> int | None:
            text = ask(label + " (để trống nếu chưa có):", "" if current is None else str(current))
            if text and not text.isdigit():
                self.dialogs.warn(title, f"“{text}” không phải là số.")
                raise Cancelled
            return int(text) if text else None

        try:
            members = number(
                f"Số đảng viên của đảng bộ đầu năm {year}",
                entered.members_at_start if entered else None,
            )
            outside = number(
                f"Số kết nạp trong năm {year} ngoài danh sách đoàn viên theo dõi",
                entered.outside_admitted if entered else None,
            )
            source = ask(
                "Nguồn số liệu (báo cáo, sổ đảng viên…):", entered.source if entered else ""
            )
        except Cancelled:
            return False
        try:
            enter_year_totals(self.host.store, year, members, outside, source)
        except KnownError as exc:
            self.dialogs.warn(title, str(exc))
            return False
        self.host.show_status(f"Đã ghi số liệu đảng bộ năm {year}.")
        return True

    def statistics(self) -> Op | None:
        from dvdesk.reports.statistics_pdf import write_statistics

        return self._write(
            "Lưu báo cáo thống kê",
            f"bao-cao-thong-ke-{date.today():%Y}.pdf",
            lambda store, out, progress: write_statistics(store, out, overwrite=True),
        )


def _slug(name: str) -> str:
    from dvdesk.domain.names import fold

    return "-".join(fold(name).split()) or "doan-vien"
