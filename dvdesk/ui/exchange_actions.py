"""Files in and out from the window: package to the level above, spreadsheets, merge.

Each action is plan → preview → apply: reading and checking run off the GUI
thread, the officer sees what would change, and only the apply step writes,
in one transaction with a backup before it (dvdesk/exchange does the work;
this module only asks, shows and reports).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from dvdesk.domain.validation import Severity
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.gateway import Store
from dvdesk.ui.host import ActionHost
from dvdesk.ui.operations import Done, Op, Progress, Work
from dvdesk.ui.preview_dialog import PreviewDialog

# What an import or a merge writes: members, their steps and units, received packages.
BULK = Changes.of(Kind.MEMBERS, Kind.STEPS, Kind.UNITS, Kind.PACKAGES, reorders=True)

ENCRYPTED = ".dvz"  # a passphrase-protected package (AES-GCM, not a zip)
PLAIN_FILTER = "Gói dữ liệu (*.zip)"
ENCRYPTED_FILTER = "Gói dữ liệu mã hóa (*.dvz)"
PACKAGES_FILTER = "Gói dữ liệu (*.zip *.dvz)"
SEVERITY_WORDS = {Severity.ERROR: "Lỗi", Severity.WARNING: "Cảnh báo"}


class ExchangeActions(QObject):
    """Signals:
    finished(str): a message for the status bar after a successful action.
    """

    finished = Signal(str)

    def __init__(self, host: ActionHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.dialogs = host.dialogs
        self.last: Op | None = None  # the running operation (tests wait on it)
        self.preview: QDialog | None = None  # the last preview shown (tests read it)

    def _run(
        self, title: str, work: Work, done: Done, writes: bool = False, stoppable: bool = True
    ) -> Op | None:
        """A read that makes no file can be stopped with Hủy; a write runs whole (one
        transaction), and so does an export (its file is written in one go)."""
        if self.host.store.path is None:
            return None
        jobs = self.host.jobs
        if writes:
            op: Op = jobs.write(title, work, done)
        else:
            op = jobs.long_read(title, work, done, cancellable=stoppable)
        self.last = op
        return op

    # -- out -------------------------------------------------------------------

    def export_package(self) -> Op | None:
        settings = self.host.store.settings.get()
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
        # An encrypted package is not a zip any more: it gets its own name.
        suffix, filters = (ENCRYPTED, ENCRYPTED_FILTER) if secret else (".zip", PLAIN_FILTER)
        number = settings.export_sequence + 1
        default = f"goi-du-lieu-{settings.commune_code or 'xa'}-{number}{suffix}"
        out = self.dialogs.save_file("Xuất gói dữ liệu gửi cấp trên", filters, default)
        if not out:
            return None
        if not out.lower().endswith(suffix):
            out = str(Path(out).with_suffix(suffix))

        def work(store: Store, progress: Progress) -> Any:
            from dvdesk.exchange.package import write_package

            # The save dialog asked before replacing an existing file.
            return write_package(store, Path(out), secret or None, overwrite=True)

        # It records the export's sequence number in the data file: a write.
        def done(manifest: Any) -> None:
            note = " (đã mã hóa)" if secret else ""
            self.finished.emit(
                f"Đã xuất gói số {manifest.sequence} vào {out}{note}. "
                f"Gửi tệp này cho {settings.receiving_level}."
            )

        return self._run("Đang xuất gói dữ liệu…", work, done, writes=True)

    def export_sheet(self) -> Op | None:
        out = self.dialogs.save_file(
            "Xuất danh sách ra bảng tính", "Excel (*.xlsx);;CSV (*.csv)", "danh-sach-doan-vien.xlsx"
        )
        if not out:
            return None
        target = Path(out)
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".xlsx")

        confirmed = target == Path(out)  # the save dialog asked before replacing this name

        def work(store: Store, progress: Progress) -> Any:
            if target.suffix.lower() == ".csv":
                from dvdesk.exchange.csv_export import export_csv

                return {"Đoàn viên": export_csv(store, target, overwrite=confirmed)}
            from dvdesk.exchange.xlsx_export import export_xlsx

            return export_xlsx(store, target, overwrite=confirmed)

        def done(counts: dict[str, int]) -> None:
            sheets = ", ".join(f"{k}: {v} dòng" for k, v in counts.items())
            self.finished.emit(f"Đã xuất “{target}” ({sheets}).")

        return self._run("Đang xuất bảng tính…", work, done, stoppable=False)

    # -- in --------------------------------------------------------------------

    def import_sheet(
        self,
        path: str = "",
        fields: dict[int, str] | None = None,
        sheet_units: dict[str, str] | None = None,
        sheets: list[str] | None = None,
    ) -> Op | None:
        path = path or self.dialogs.open_file(
            "Nhập danh sách đoàn viên", "Bảng tính (*.xlsx *.xlsm *.csv)"
        )
        if not path:
            return None
        chosen = dict(sheet_units or {})

        def work(store: Store, progress: Progress) -> Any:
            from dvdesk.exchange.sheet_import import plan_import

            return plan_import(
                store,
                Path(path),
                fields=fields,
                sheet_units=chosen or None,
                progress=progress,
                sheets=sheets,
            )

        return self._run(
            "Đang đọc và kiểm tra bảng tính…",
            work,
            lambda plan: self._preview_import(path, plan, fields, chosen, sheets),
        )

    def _preview_import(
        self,
        path: str,
        plan: Any,
        fields: dict[int, str] | None,
        chosen: dict[str, str],
        sheets: list[str] | None = None,
    ) -> None:
        from dvdesk.ui.import_preview import ImportPreviewDialog

        units = [(u.code, u.name) for u in self.host.store.units.all()]
        dialog = ImportPreviewDialog(plan, units, chosen, self.parent_widget)
        self.preview = dialog
        accepted = self.dialogs.show_modal(dialog)
        if dialog.remap_requested:
            self._remap(path, plan, chosen, sheets)
            return
        if dialog.replan_requested:
            picked = dialog.sheets()
            self.import_sheet(
                path,
                fields,
                {**chosen, **dialog.sheet_units()},
                picked if picked is not None else sheets,
            )
            return
        if not accepted:
            return
        # The officer's answers reach the plan only now, after "Nhập".
        plan.confirm(dialog.confirmed())
        summary = plan.summary()
        if not summary["new"] and not summary["update"]:
            return

        def work(store: Store, progress: Progress) -> Any:
            from dvdesk.exchange.sheet_import import apply_import

            return apply_import(store, plan, progress=progress)

        def done(result: tuple[int, Path | None]) -> None:
            count, saved = result
            self.host.jobs.announce(BULK)
            where = f" Bản sao lưu trước khi nhập: {saved}." if saved else ""
            self.finished.emit(f"Đã nhập {count} đoàn viên từ “{Path(path).name}”.{where}")

        self._run("Đang ghi dữ liệu nhập…", work, done, writes=True)

    def _remap(
        self, path: str, plan: Any, chosen: dict[str, str], sheets: list[str] | None
    ) -> None:
        from dvdesk.exchange.cell_values import text
        from dvdesk.exchange.sheet_reader import read_grids
        from dvdesk.ui.column_mapping import ColumnMappingDialog

        grid = read_grids(Path(path), sheets)[plan.main]
        row = grid.rows[plan.header.row]
        headers = {c: text(v) or f"(cột {c + 1})" for c, v in enumerate(row)}
        title = f"trang “{grid.sheet}”" if grid.sheet else ""
        dialog = ColumnMappingDialog(headers, plan.header.fields, self.parent_widget, title)
        if self.dialogs.show_modal(dialog):
            self.import_sheet(path, dialog.fields(), chosen, sheets)

    # -- templates ---------------------------------------------------------------

    def export_template(self, key: str) -> Op | None:
        """A list in the layout the level above asks for (exchange/templates.py)."""
        from dvdesk.exchange.templates import TEMPLATES

        template = TEMPLATES[key]
        out = self.dialogs.save_file(
            f"Xuất {template.label}", "Excel (*.xlsx)", f"{key}-{date.today():%Y%m%d}.xlsx"
        )
        if not out:
            return None
        target = Path(out)
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        confirmed = target == Path(out)  # the save dialog asked before replacing this name

        def work(store: Store, progress: Progress) -> Any:
            from dvdesk.exchange.templates import export_template

            return export_template(store, key, target, overwrite=confirmed, progress=progress)

        def done(count: int) -> None:
            self.finished.emit(f"Đã xuất {template.label} ({count} dòng) vào “{target}”.")

        return self._run(f"Đang xuất {template.label}…", work, done, stoppable=False)

    def merge_packages(
        self,
        paths: list[str] | None = None,
        accept_keys: tuple[str, ...] = (),
        secret: str | None = None,
    ) -> Op | None:
        """Consolidation at the receiving level (tổng hợp gói dữ liệu của các xã).

        `accept_keys`: new signing-key fingerprints the officer confirmed (by phone)
        in the key dialog, as `merge --accept-key` does.
        """
        paths = paths or self.dialogs.open_files("Chọn các gói dữ liệu của xã", PACKAGES_FILTER)
        if not paths:
            return None
        if secret is None and self._any_encrypted(paths):
            secret = self.dialogs.ask_text(
                "Mật khẩu", "Gói đã được mã hóa. Nhập mật khẩu:", secret=True
            )
            if secret is None:
                return None

        def work(store: Store, progress: Progress) -> Any:
            from dvdesk.exchange.merge import KeyChanged, plan_merge
            from dvdesk.exchange.package import read_package

            packages = [read_package(Path(p), secret) for p in paths]
            try:
                return plan_merge(store, packages, accept_keys=accept_keys)
            except KeyChanged as changed:
                return changed  # shown with its fingerprint; the officer may accept it

        def done(result: Any) -> None:
            from dvdesk.exchange.merge import KeyChanged

            if isinstance(result, KeyChanged):
                self._confirm_key(result, paths, accept_keys, secret)
            else:
                self._preview_merge(result)

        # The preview is the merge itself rolled back (exchange/merge.py): it needs a
        # connection that may write, though nothing is committed.
        return self._run("Đang kiểm tra các gói…", work, done, writes=True)

    def _confirm_key(
        self, changed: Any, paths: list[str], accepted: tuple[str, ...], secret: str | None
    ) -> None:
        """A commune's key changed: show the new fingerprint; accepted, preview again."""
        lines = [
            f"Gói “{changed.source}” của {changed.commune_name} (mã {changed.commune_code}) "
            "được ký bằng khóa khác khóa đã ghi nhận.",
            f"Mã nhận dạng đã ghi nhận: {changed.old_fingerprint}",
            f"Mã nhận dạng của khóa mới: {changed.fingerprint}",
            "",
            "Chỉ chấp nhận khi xã đã đổi máy hoặc tệp dữ liệu: hãy gọi điện cho xã và đọc "
            "đối chiếu mã nhận dạng mới. Nếu mã không khớp, đừng gộp (gói có thể bị giả mạo).",
        ]
        dialog = PreviewDialog(
            "Khóa ký của xã đã thay đổi",
            lines,
            f"Đã xác nhận mã {changed.fingerprint} — chấp nhận khóa mới",
            parent=self.parent_widget,
        )
        self.preview = dialog
        if self.dialogs.show_modal(dialog):
            self.merge_packages(paths, (*accepted, changed.fingerprint), secret)

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
        dialog = PreviewDialog("Xem trước khi tổng hợp", lines, action, parent=self.parent_widget)
        self.preview = dialog
        if not self.dialogs.show_modal(dialog):
            return

        def work(store: Store, progress: Progress) -> Any:
            from dvdesk.exchange.merge import apply_merge

            return apply_merge(store, plan)  # with the keys the preview accepted

        def done(saved: Path | None) -> None:
            self.host.jobs.announce(BULK)
            self.finished.emit(
                f"Đã gộp {len(plan.applied)} gói. Bản sao lưu trước khi gộp: {saved}."
            )

        self._run("Đang gộp dữ liệu…", work, done, writes=True)
