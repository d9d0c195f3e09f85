"""Printing from the window: every document as a PDF, opened in the system viewer.

The officer chooses where to save; the document is written off the GUI
thread (a batch of checklists shows progress), then opened in the system's PDF
viewer, which previews and prints it. dvdesk/reports does the drawing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from dvdesk.domain.member import UnitKind
from dvdesk.ui.operations import Operation

if TYPE_CHECKING:
    from dvdesk.ui.main_window import MainWindow

PDF = "Tệp PDF (*.pdf)"


class PrintActions(QObject):
    """Signals:
    printed(str): the path of a PDF just written.
    """

    printed = Signal(str)

    def __init__(self, window: MainWindow, open_viewer: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = window.dialogs
        self.open_viewer = open_viewer
        self.last: Operation | None = None

    def _write(self, title: str, default: str, work) -> Operation | None:
        path = self.window.store.path
        out = self.dialogs.save_file(title, PDF, default)
        if not out or path is None:
            return None
        target = Path(out) if out.lower().endswith(".pdf") else Path(out + ".pdf")
        op = Operation(
            self.window,
            path,
            f"Đang tạo “{target.name}”…",
            lambda store, progress: work(store, target),
            self.dialogs,
        )
        op.done.connect(lambda pages: self._done(target, pages))
        self.last = op
        op.start()
        return op

    def _done(self, target: Path, pages: int) -> None:
        self.window.statusBar().showMessage(f"Đã tạo {target} ({pages} trang).", 15000)
        if self.open_viewer:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        self.printed.emit(str(target))

    @property
    def on(self) -> date:
        return self.window.model.on

    def checklist(self) -> Operation | None:
        uid = self.window.current_uid()
        if not uid:
            self.dialogs.info("In phiếu", "Hãy chọn một đoàn viên trong bảng trước.")
            return None
        from dvdesk.reports.checklist_pdf import write_checklists

        name = self.window.store.members.get(uid).full_name
        return self._write(
            "Lưu phiếu theo dõi hồ sơ",
            f"phieu-{_slug(name)}.pdf",
            lambda store, out: write_checklists(store, [uid], out, self.on),
        )

    def checklists_of_view(self) -> Operation | None:
        """One checklist per page for everyone the table shows now."""
        model = self.window.model
        count = model.rowCount()
        if not count:
            self.dialogs.info("In phiếu", "Danh sách đang xem không có ai.")
            return None
        if count > 300 and not self.dialogs.confirm(
            "In nhiều phiếu", f"Danh sách đang xem có {count} người: in {count} trang?"
        ):
            return None
        uids = [model.uid_at(r) for r in range(count)]
        from dvdesk.reports.checklist_pdf import write_checklists

        return self._write(
            "Lưu các phiếu theo dõi",
            "cac-phieu-theo-doi.pdf",
            lambda store, out: write_checklists(store, uids, out, self.on),
        )

    def eligible_list(self) -> Operation | None:
        from dvdesk.reports.member_lists import write_eligible_list

        unit = self.window.unit_filter.currentData() or ""
        return self._write(
            "Lưu danh sách đủ tuổi",
            f"danh-sach-du-tuoi-{self.on:%Y%m%d}.pdf",
            lambda store, out: write_eligible_list(store, self.on, out, unit),
        )

    def upcoming_list(self, months: int = 12) -> Operation | None:
        from dvdesk.reports.member_lists import write_upcoming_list

        unit = self.window.unit_filter.currentData() or ""
        return self._write(
            "Lưu danh sách sắp đủ tuổi",
            f"danh-sach-sap-du-tuoi-{months}-thang.pdf",
            lambda store, out: write_upcoming_list(store, months, out, self.on, unit),
        )

    def transfer_letter(self) -> Operation | None:
        uid = self.window.current_uid()
        if not uid:
            self.dialogs.info("Giấy chuyển", "Hãy chọn một học sinh trong bảng trước.")
            return None
        member = self.window.store.members.get(uid)
        kinds = self.window.store.units.kinds()
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
        from dvdesk.reports.transfer_letter import write_transfer_letter

        receiver = to.strip()

        def work(store, out: Path) -> int:
            pages = write_transfer_letter(store, uid, receiver, out)
            # The handover is part of the record: the office follows up on it later.
            store.transfers.record(uid, date.today(), receiver, f"Giấy chuyển ({out.name})")
            return pages

        return self._write("Lưu giấy chuyển", f"giay-chuyen-{_slug(member.full_name)}.pdf", work)

    def statistics(self) -> Operation | None:
        from dvdesk.reports.statistics_pdf import write_statistics

        return self._write(
            "Lưu báo cáo thống kê",
            f"bao-cao-thong-ke-{date.today():%Y}.pdf",
            lambda store, out: write_statistics(store, out),
        )


def _slug(name: str) -> str:
    from dvdesk.domain.names import fold

    return "-".join(fold(name).split()) or "doan-vien"
