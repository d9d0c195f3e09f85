"""The manual inside the app: F1, the Trợ giúp menu, context help, Giới thiệu."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from dvdesk import __version__
from dvdesk.store import backup
from dvdesk.ui import help as help_module
from dvdesk.ui.help import TOPICS, AboutDialog, manual_path
from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY


def test_the_manual_has_every_topic_and_its_pictures():
    html = manual_path().read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a name="([^"]+)"', html))
    assert set(TOPICS.values()) <= anchors
    for picture in re.findall(r'<img src="([^"]+)"', html):
        assert (manual_path().parent / picture).stat().st_size > 5_000, picture
    for words in ("Bắt đầu", "Nhập", "hồ sơ kết nạp", "In và xem trước", "cấp trên", "Sao lưu"):
        assert words in html


def test_f1_opens_the_manual_at_the_part_in_front(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.table.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(window.table, Qt.Key.Key_F1)
    shown = help_module._open
    assert shown is not None and shown.isVisible() and shown.topic == "members"
    assert "Hướng dẫn sử dụng dvdesk" in shown.browser.toPlainText()
    shown.close()
    titles = [a.text().replace("&", "") for a in window.help_menu.actions()]
    assert "Hướng dẫn sử dụng" in titles and "Giới thiệu dvdesk…" in titles


def test_a_dialog_opens_its_own_part(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    form = window.open_form()
    form.show()
    qtbot.waitExposed(form)
    form.name.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(form.name, Qt.Key.Key_F1)
    assert help_module._open is not None and help_module._open.topic == "form"
    help_module._open.close()


def test_about_shows_version_data_file_and_backup_folder(qtbot, demo_store, dialogs):
    window = MainWindow(demo_store, dialogs, today=TODAY)
    qtbot.addWidget(window)
    window.about_action.trigger()
    (about,) = [d for d in dialogs.modals if isinstance(d, AboutDialog)]
    text = about.text.text()
    assert __version__ in text and str(demo_store.path) in text
    assert str(backup.backup_dir(demo_store.path)) in text
