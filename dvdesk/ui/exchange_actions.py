"""Files in and out from the window: package to the level above, spreadsheets, merge.

Each action is plan → preview → apply: reading and checking run off the GUI
thread, the officer sees what would change, and only the apply step writes,
in one transaction with a backup before it (dvdesk/exchange does the work;
this module only asks, shows and reports).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from dvdesk.domain.validation import Severity
from dvdesk.ui.operations import Operation
from dvdesk.ui.preview_dialog import PreviewDialog

if TYPE_CHECKING:
    from dvdesk.ui.main_window import MainWindow

SEVERITY_WORDS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}


class ExchangeActions(QObject):
    """Signals:
    finished(str): a message for the status bar after a successful action.
    data_changed(): members or units were written.
    """

    finished = Signal(str)
    data_changed = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = window.dialogs
        self.last: Operation | None = None  # the running operation (tests wait on it)

    def _run(self, title: str, work, done) -> Operation | None:
        path = self.window.store.path
        if path is None:
            return None
        op = Operation(self.window, path, title, work, self.dialogs)
        op.done.connect(done)
        self.last = op
        op.start()
        return op

    # -- out -------------------------------------------------------------------

    def export_package(self) -> Operation | None:
        settings = self.window.store.settings.get()
        default = f"goi-du-lieu-{settings.commune_code or 'xa'}-{settings.export_sequence + 1}.zip"
        out = self.dialogs.save_file(
            "Xuất gói dữ liệu gửi cấp trên", "Gói dữ liệu (*.zip)", default
        )
        if not out:
            return None
        secret = self.dialogs.ask_text(
            "Mật khẩu bảo vệ",
            "Gói có số CCCD và ngày sinh. Đặt mật khẩu để mã hóa (để trống nếu không mã hóa):",
            secret=True,
        )
        if secret is None:
            return None
        if (
            secret
            and self.dialogs.ask_text("Mật khẩu bảo vệ", "Nhập lại mật khẩu:", secret=True)
            != secret
        ):
            self.dialogs.warn("Mật khẩu", "Hai lần nhập mật khẩu không khớp; chưa xuất gì.")
            return None

        def work(store, progress):
            from dvdesk.exchange.package import write_package

            return write_package(store, Path(out), secret or None)

        def done(manifest: Any) -> None:
            note = " (đã mã hóa)" if secret else ""
            self.finished.emit(
                f"Đã xuất gói số {manifest.sequence} vào {out}{note}. "
                f"Gửi tệp này cho {settings.receiving_level}."
            )

        return self._run("Đang xuất gói dữ liệu…", work, done)

    def export_sheet(self) -> Operation | None:
        out = self.dialogs.save_file(
            "Xuất danh sách ra bảng tính", "Excel (*.xlsx);;CSV (*.csv)", "danh-sach-doan-vien.xlsx"
        )
        if not out:
            return None
        target = Path(out)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")

        def work(store, progress):
            if target.suffix.lower() == ".csv":
                from dvdesk.exchange.csv_export import export_csv

                return {"Đoàn viên": export_csv(store, target)}
            from dvdesk.exchange.xlsx_export import export_xlsx

            return export_xlsx(store, target)

        def done(counts: dict[str, int]) -> None:
            sheets = ", ".join(f"{k}: {v} dòng" for k, v in counts.items())
            self.finished.emit(f"Đã xuất “{target}” ({sheets}).")

        return self._run("Đang xuất bảng tính…", work, done)

    # -- in --------------------------------------------------------------------

    def import_sheet(self, path: str = "", fields: dict[int, str] | None = None):
        path = path or self.dialogs.open_file(
            "Nhập danh sách đoàn viên", "Bảng tính (*.xlsx *.xlsm *.csv)"
        )
        if not path:
            return None

        def work(store, progress):
            from dvdesk.exchange.sheet_import import plan_import

            return plan_import(store, Path(path), fields=fields, progress=progress)

        return self._run(
            "Đang đọc và kiểm tra bảng tính…", work, lambda plan: self._preview_import(path, plan)
        )

    def _preview_import(self, path: str, plan: Any) -> None:
        s = plan.summary()
        problems = [
            (str(i.row), i.column, SEVERITY_WORDS[i.severity], i.message) for i in plan.issues
        ]
        action = f"Nhập {s['new']} người hợp lệ" if s["new"] else None
        dialog = PreviewDialog("Xem trước khi nhập", plan.lines(), action, problems, self.window)
        dialog.add_remap_button()
        self.preview = dialog
        accepted = self.dialogs.show_modal(dialog)
        if dialog.remap_requested:
            self._remap(path, plan)
            return
        if not accepted:
            return

        def work(store, progress):
            from dvdesk.exchange.sheet_import import apply_import

            return apply_import(store, plan, progress=progress)

        def done(result: tuple[int, Path | None]) -> None:
            count, saved = result
            self.data_changed.emit()
            where = f" Bản sao lưu trước khi nhập: {saved}." if saved else ""
            self.finished.emit(f"Đã nhập {count} đoàn viên từ “{Path(path).name}”.{where}")

        self._run("Đang ghi dữ liệu nhập…", work, done)

    def _remap(self, path: str, plan: Any) -> None:
        from dvdesk.exchange.cell_values import text
        from dvdesk.exchange.sheet_reader import read_grid
        from dvdesk.ui.column_mapping import ColumnMappingDialog

        row = read_grid(Path(path)).rows[plan.header.row]
        headers = {c: text(v) or f"(cột {c + 1})" for c, v in enumerate(row)}
        dialog = ColumnMappingDialog(headers, plan.header.fields, self.window)
        if self.dialogs.show_modal(dialog):
            self.import_sheet(path, dialog.fields())

    def merge_packages(self, paths: list[str] | None = None) -> Operation | None:
        """Consolidation at the receiving level (tổng hợp gói dữ liệu của các xã)."""
        paths = paths or self.dialogs.open_files(
            "Chọn các gói dữ liệu của xã", "Gói dữ liệu (*.zip)"
        )
        if not paths:
            return None
        secret = None
        if self._any_encrypted(paths):
            secret = self.dialogs.ask_text(
                "Mật khẩu", "Gói đã được mã hóa. Nhập mật khẩu:", secret=True
            )
            if secret is None:
                return None

        def work(store, progress):
            from dvdesk.exchange.merge import plan_merge
            from dvdesk.exchange.package import read_package

            return plan_merge(store, [read_package(Path(p), secret) for p in paths])

        return self._run("Đang kiểm tra các gói…", work, self._preview_merge)

    @staticmethod
    def _any_encrypted(paths: list[str]) -> bool:
        from dvdesk.exchange.crypto import is_encrypted

        for p in paths:
            try:
                with open(p, "rb") as f:
                    if is_encrypted(f.read(64)):
                        return True
            except OSError:
                continue
        return False

    def _preview_merge(self, plan: Any) -> None:
        lines = plan.lines()
        if plan.conflicts:
            lines.append(f"Không gộp được: có {plan.conflicts} xung đột cần xử lý trước.")
        action = (
            None
            if plan.conflicts or not plan.applied
            else f"Gộp {len(plan.applied)} gói (tất cả hoặc không)"
        )
        dialog = PreviewDialog("Xem trước khi tổng hợp", lines, action, parent=self.window)
        self.preview = dialog
        if not self.dialogs.show_modal(dialog):
            return

        def work(store, progress):
            from dvdesk.exchange.merge import apply_merge

            return apply_merge(store, plan)

        def done(saved: Path | None) -> None:
            self.data_changed.emit()
            self.finished.emit(
                f"Đã gộp {len(plan.applied)} gói. Bản sao lưu trước khi gộp: {saved}."
            )

        self._run("Đang gộp dữ liệu…", work, done)
