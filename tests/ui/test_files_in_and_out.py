"""Print and exchange from the window: the same files the CLI makes, nothing blocks."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from dvdesk.ui.main_window import MainWindow
from tests.ui.conftest import TODAY


def make_window(qtbot, store, dialogs) -> MainWindow:
    window = MainWindow(store, dialogs, today=TODAY)
    window.printing.open_viewer = False
    qtbot.addWidget(window)
    return window


def finish(qtbot, op) -> object:
    with qtbot.waitSignal(op.done, timeout=60000) as blocker:
        pass
    return blocker.args[0]


def test_checklist_of_the_selected_member(qtbot, demo_store, dialogs, tmp_path: Path):
    window = make_window(qtbot, demo_store, dialogs)
    window.select_view("in_procedure")
    window.table.selectRow(0)
    name = demo_store.members.get(window.current_uid()).full_name
    dialogs.paths = [str(tmp_path / "phieu")]
    pages = finish(qtbot, window.printing.checklist())
    # One sheet; at full size it may run onto a second page (issue #17).
    text = PdfReader(tmp_path / "phieu.pdf").pages[0].extract_text()
    assert pages in (1, 2) and name in " ".join(text.split())


def test_checklists_of_the_view_one_sheet_each(qtbot, demo_store, dialogs, tmp_path: Path):
    window = make_window(qtbot, demo_store, dialogs)
    window.select_view("in_procedure")
    count = window.model.rowCount()
    dialogs.paths = [str(tmp_path / "lo.pdf")]
    finish(qtbot, window.printing.checklists_of_view())
    pages = PdfReader(tmp_path / "lo.pdf").pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert text.count("PHIẾU THEO DÕI HỒ SƠ KẾT NẠP ĐẢNG VIÊN") == count <= len(pages)


def test_export_package_and_merge_it_elsewhere(
    qtbot, demo_store, dialogs, tmp_path: Path, empty_store
):
    window = make_window(qtbot, demo_store, dialogs)
    dialogs.paths = [str(tmp_path / "goi.zip")]
    dialogs.texts = [""]  # no passphrase
    manifest = finish(qtbot, window.exchange.export_package())
    assert manifest.sequence == 1
    assert "manifest.json" in zipfile.ZipFile(tmp_path / "goi.zip").namelist()

    level = make_window(qtbot, empty_store, dialogs)
    dialogs.modal_answers = [True]  # the officer reads the preview and merges
    plan = level.exchange.merge_packages([str(tmp_path / "goi.zip")])
    finish(qtbot, plan)
    assert level.exchange.preview.apply_button is not None
    finish(qtbot, level.exchange.last)
    assert empty_store.members.count() == demo_store.members.count()
    # The consolidated file offers a commune filter.
    code = demo_store.settings.get().commune_code
    level.commune_filter.setCurrentIndex(level.commune_filter.findData(code))
    assert level.model.rowCount() == demo_store.members.count()
    assert level.commune_filter.count() == 2


def test_export_xlsx_then_import_adds_nothing_twice(qtbot, demo_store, dialogs, tmp_path: Path):
    window = make_window(qtbot, demo_store, dialogs)
    dialogs.paths = [str(tmp_path / "ds.xlsx")]
    finish(qtbot, window.exchange.export_sheet())
    assert openpyxl.load_workbook(tmp_path / "ds.xlsx").sheetnames
    before = demo_store.members.count()
    window.exchange.import_sheet(str(tmp_path / "ds.xlsx"))
    finish(qtbot, window.exchange.last)
    preview = window.exchange.preview
    assert preview.apply_button is None  # everyone is already there
    assert demo_store.members.count() == before


def test_transfer_letter_records_the_handover(qtbot, demo_store, dialogs, tmp_path: Path):
    window = make_window(qtbot, demo_store, dialogs)
    window.unit_filter.setCurrentIndex(window.unit_filter.findData("THPT1"))
    window.select_view("in_procedure")
    window.table.selectRow(0)
    uid = window.current_uid()
    dialogs.paths = [str(tmp_path / "chuyen.pdf")]
    dialogs.texts = ["Chi bộ thôn Yên Lạc, xã Hòa Bình"]
    finish(qtbot, window.printing.transfer_letter())
    assert "Yên Lạc" in PdfReader(tmp_path / "chuyen.pdf").pages[0].extract_text()
    (row,) = demo_store.transfers.of(uid)
    assert row["to_organisation"] == "Chi bộ thôn Yên Lạc, xã Hòa Bình"


def test_an_encrypted_package_is_not_named_zip_and_merges_back(
    qtbot, demo_store, dialogs, tmp_path: Path, empty_store
):
    window = make_window(qtbot, demo_store, dialogs)
    dialogs.paths = [str(tmp_path / "goi")]
    dialogs.texts = ["bi-mat-123", "bi-mat-123"]
    finish(qtbot, window.exchange.export_package())
    assert (tmp_path / "goi.dvz").exists() and not zipfile.is_zipfile(tmp_path / "goi.dvz")
    assert "(đã mã hóa)" in window.statusBar().currentMessage()

    level = make_window(qtbot, empty_store, dialogs)
    dialogs.texts = ["bi-mat-123"]
    dialogs.modal_answers = [True]
    finish(qtbot, level.exchange.merge_packages([str(tmp_path / "goi.dvz")]))
    finish(qtbot, level.exchange.last)
    assert empty_store.members.count() == demo_store.members.count()
