"""Take the manual's screenshots from the real app (`make docs`).

Builds a demo file in a temporary folder, opens dvdesk's own windows on it
(offscreen, at 1366×690: a 1366×768 laptop less taskbar and title bar) and
saves what they draw as PNGs beside the manual, so the pictures follow the app.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget  # noqa: E402

from dvdesk import demo  # noqa: E402
from dvdesk.store.gateway import Store  # noqa: E402
from dvdesk.ui.app import make_app  # noqa: E402
from dvdesk.ui.main_window import FIRST_SIZE, MainWindow  # noqa: E402

TODAY = date(2026, 11, 26)


def settle(widget: QWidget, seconds: float = 0.3) -> None:
    """Show and let it draw (QPdfView renders its pages in a thread, so wait a little)."""
    widget.show()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, name: str, seconds: float = 0.3) -> Path:
    settle(widget, seconds)
    out = HERE / name
    widget.grab().save(str(out))
    print(f"  {out.relative_to(HERE.parents[1])} ({widget.width()}×{widget.height()})")
    return out


def main() -> int:
    app = make_app()
    app.setOrganizationName("dvdesk-docs")  # leave the user's window settings alone
    QSettings().clear()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "mau.db")
        demo.build(store, 2000, seed=7, today=TODAY)
        window = MainWindow(store, today=TODAY)
        window.resize(*FIRST_SIZE)
        window.select_view("in_procedure")
        settle(window)
        window.table.selectRow(2)
        save(window, "man-hinh-chinh.png")
        save(window.side_tabs, "quy-trinh.png")

        form = window.open_form(window.current_uid())
        save(form, "phieu-doan-vien.png")
        form.close()

        from dvdesk.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(store, window.dialogs, window)
        tabs = dialog.findChild(QTabWidget)
        tabs.setCurrentIndex(2)  # the units, with a school's classes
        schools = [i for i, u in enumerate(dialog._unit_list) if u.kind.value == "school"]
        dialog.units.setCurrentRow(schools[0] if schools else 0)
        save(dialog, "cai-dat.png")
        dialog.close()

        from dvdesk.reports.checklist_pdf import write_checklists
        from dvdesk.ui.pdf_preview import PdfPreview

        pdf = Path(folder) / "phieu.pdf"
        write_checklists(store, [window.current_uid() or ""], pdf, TODAY)
        preview = PdfPreview(pdf, window.dialogs)
        preview.resize(900, 640)
        preview.fit_page()
        save(preview, "xem-truoc.png", seconds=2.0)
        preview.close()
        window.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
