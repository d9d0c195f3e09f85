"""The main window: views with counts, the member table, the candidate's procedure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
)

from dvdesk.domain.procedure import STAGE_LABELS, Stage
from dvdesk.errors import KnownError
from dvdesk.store import backup, restoring
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from dvdesk.store.views import View, views
from dvdesk.ui.background import BackgroundReads
from dvdesk.ui.dialogs import DialogService
from dvdesk.ui.empty_state import EmptyState
from dvdesk.ui.exchange_actions import ExchangeActions
from dvdesk.ui.history_view import HistoryView
from dvdesk.ui.member_form import MemberForm
from dvdesk.ui.member_model import MemberTableModel
from dvdesk.ui.operations import Operation
from dvdesk.ui.print_actions import PrintActions
from dvdesk.ui.procedure_panel import ProcedurePanel
from dvdesk.ui.recent_files import add_recent, recent_files

SEARCH_DELAY_MS = 120
COLUMN_WIDTHS = (190, 85, 120, 95, 170, 50, 170, 130, 60)


class MainWindow(QMainWindow):
    """dvdesk's main window over one open store.

    Signals:
        data_changed(): members were added, edited, deleted or restored.
        open_requested(object): the user chose another data file (a Path).
        counts_ready(): the views' counts are shown.
    """

    data_changed = Signal()
    open_requested = Signal(object)
    counts_ready = Signal()

    def __init__(
        self, store: Store, dialogs: DialogService | None = None, today: date | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.dialogs = dialogs or DialogService(self)
        self.today = today or date.today()
        settings = store.settings.get()
        self.model = MemberTableModel(
            store, settings.consideration_on(self.today), settings.method, load=False
        )
        self.reads = BackgroundReads(self)
        self._counts: dict[str, int] = {}
        self._counts_generation = 0
        self._views: list[View] = []
        self._undo_uid: str | None = None
        self._build()
        self._refresh_units()
        self.refresh_views()
        self._restore_geometry()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.setWindowTitle(f"dvdesk — {store.path or 'dữ liệu tạm'}")
        if store.path is not None:
            add_recent(store.path)

    # -- layout ------------------------------------------------------------

    def _build(self) -> None:
        self.resize(1366, 760)
        self._build_actions()
        self._build_toolbars()
        self._build_menus()

        self.view_list = QListWidget()
        self.view_list.setMinimumWidth(190)
        self.view_list.setWordWrap(True)
        self.view_list.setStyleSheet("QListWidget::item { padding: 5px 2px; }")
        self.view_list.currentRowChanged.connect(lambda _: self.apply_filters())

        self.table = QTableView()
        self.table.setModel(self.model)
        self.model.ids_loaded.connect(self._ids_loaded)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Indicator first: enabling sorting sorts by it, and Qt's default is descending.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.model.async_sort = True  # from now on a click on a header never blocks
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        open_row = QAction(self.table, shortcut=QKeySequence(Qt.Key.Key_Return))
        open_row.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_row.triggered.connect(self.edit_current)
        self.table.addAction(open_row)

        self.empty = EmptyState()
        self.empty.add_button.clicked.connect(self.add_member)
        self.empty.demo_button.clicked.connect(self.load_demo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.procedure = ProcedurePanel(self.store, self.dialogs, self.today)
        self.procedure.step_saved.connect(lambda _: self._after_change(keep_selection=True))
        self.history = HistoryView(self.store)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.procedure, "Quy trình kết nạp")
        self.side_tabs.addTab(self.history, "Lịch sử thay đổi")
        self.side_tabs.currentChanged.connect(
            lambda _: self._show_member(self.current_uid() or self.procedure.uid)
        )

        self.splitter = QSplitter()
        self.splitter.addWidget(self.view_list)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.side_tabs)
        self.splitter.setSizes([200, 560, 600])
        self.splitter.setStretchFactor(1, 1)

        self.main_tabs = QTabWidget()
        self.main_tabs.addTab(self.splitter, "Đoàn viên")
        self.statistics_page: QLabel | None = None
        self.main_tabs.addTab(QLabel(), "Thống kê")
        self.main_tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.main_tabs)

        self.count_label = QLabel()
        self.undo_button = QPushButton("Hoàn tác xóa")
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self.undo_delete)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.undo_button)

    def _build_actions(self) -> None:
        def action(text: str, slot, shortcut=None) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(shortcut)
            a.triggered.connect(slot)
            return a

        self.add_action = action("Thêm đoàn viên", self.add_member, QKeySequence.StandardKey.New)
        self.edit_action = action("Sửa", self.edit_current)
        self.delete_action = action("Xóa", self.delete_current, QKeySequence.StandardKey.Delete)
        self.restore_member_action = action("Khôi phục người đã xóa", self.restore_current)
        self.demo_action = action("Tạo dữ liệu mẫu…", self.load_demo)
        self.settings_action = action("Cài đặt…", self.open_settings)
        self.backup_action = action("Sao lưu ngay", self.backup_now)
        self.restore_action = action("Khôi phục từ bản sao lưu…", self.restore_backup)
        self.open_action = action("Mở tệp dữ liệu…", self.open_file, QKeySequence.StandardKey.Open)
        self.quit_action = action("Thoát", self.close, QKeySequence.StandardKey.Quit)
        self.find_action = action(
            "Tìm", lambda: self.search.setFocus(), QKeySequence.StandardKey.Find
        )
        self.addAction(self.find_action)

    def _build_toolbars(self) -> None:
        bar = QToolBar("Công cụ")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        for a in (self.add_action, self.edit_action, self.delete_action):
            bar.addAction(a)
        bar.addSeparator()
        for a in (self.settings_action, self.backup_action):
            bar.addAction(a)
        self.addToolBar(bar)
        self.addToolBarBreak()

        filters = QToolBar("Bộ lọc")
        filters.setObjectName("filter_toolbar")
        filters.setMovable(False)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm tên (gõ không dấu được), CCCD, điện thoại… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_changed)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        filters.addWidget(self.search)

        filters.addWidget(QLabel("  Ngày chi bộ xét: "))
        self.date_edit = QDateEdit(calendarPopup=True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        on = self.model.on
        self.date_edit.setDate(QDate(on.year, on.month, on.day))
        self.date_edit.dateChanged.connect(self._date_changed)
        filters.addWidget(self.date_edit)

        filters.addWidget(QLabel("  Đơn vị: "))
        self.unit_filter = QComboBox()
        self.unit_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.unit_filter.setMinimumContentsLength(18)
        self.unit_filter.setMinimumWidth(170)
        self.unit_filter.currentIndexChanged.connect(self.apply_filters)
        filters.addWidget(self.unit_filter)

        # At the receiving level the file holds several communes: filter by one.
        self.commune_label = filters.addWidget(QLabel("  Xã: "))
        self.commune_filter = QComboBox()
        self.commune_filter.currentIndexChanged.connect(self.apply_filters)
        self.commune_action = filters.addWidget(self.commune_filter)

        filters.addWidget(QLabel("  Giai đoạn: "))
        self.stage_filter = QComboBox()
        self.stage_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.stage_filter.setMinimumContentsLength(16)
        self.stage_filter.addItem("Tất cả", "")
        for stage in Stage:
            self.stage_filter.addItem(STAGE_LABELS[stage], stage.value)
        self.stage_filter.currentIndexChanged.connect(self.apply_filters)
        filters.addWidget(self.stage_filter)
        self.addToolBar(filters)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Tệp")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Tệp gần đây")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        data_menu = self.menuBar().addMenu("&Dữ liệu")
        for a in (
            self.add_action,
            self.edit_action,
            self.delete_action,
            self.restore_member_action,
        ):
            data_menu.addAction(a)
        data_menu.addSeparator()
        data_menu.addAction(self.demo_action)
        data_menu.addAction(self.settings_action)
        self.file_menu, self.data_menu = file_menu, data_menu

        self.printing = PrintActions(self)
        print_menu = self.menuBar().addMenu("&In")
        for text, slot in (
            ("Phiếu theo dõi hồ sơ của người đang chọn…", self.printing.checklist),
            ("Phiếu theo dõi của cả danh sách đang xem…", self.printing.checklists_of_view),
            ("Danh sách đủ tuổi tại ngày xét…", self.printing.eligible_list),
            ("Danh sách sẽ đủ 18 tuổi trong 12 tháng…", self.printing.upcoming_list),
            ("Giấy chuyển giới thiệu cảm tình Đảng (học sinh)…", self.printing.transfer_letter),
            ("Báo cáo thống kê…", self.printing.statistics),
        ):
            print_menu.addAction(text, slot)

        self.exchange = ExchangeActions(self)
        self.exchange.finished.connect(lambda text: self.statusBar().showMessage(text, 20000))
        self.exchange.finished.connect(lambda text: self.dialogs.info("Hoàn tất", text))
        self.exchange.data_changed.connect(self._after_bulk_change)
        exchange_menu = self.menuBar().addMenu("&Trao đổi dữ liệu")
        for text, slot in (
            ("Xuất gói dữ liệu gửi cấp trên (.zip)…", self.exchange.export_package),
            ("Xuất danh sách ra Excel / CSV…", self.exchange.export_sheet),
            ("Nhập danh sách từ Excel / CSV…", self.exchange.import_sheet),
            ("Tổng hợp gói dữ liệu của các xã…", self.exchange.merge_packages),
        ):
            exchange_menu.addAction(text, slot)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = [p for p in recent_files() if p != self.store.path]
        if not paths:
            self.recent_menu.addAction("(chưa có)").setEnabled(False)
        for path in paths:
            self.recent_menu.addAction(str(path), lambda p=path: self.open_requested.emit(p))

    def _refresh_communes(self) -> None:
        received = self.store.received.all()
        current = self.commune_filter.currentData()
        self.commune_filter.blockSignals(True)
        self.commune_filter.clear()
        self.commune_filter.addItem("Tất cả các xã", None)
        for p in received:
            self.commune_filter.addItem(
                f"{p['commune_name']} ({p['commune_code']})", p["commune_code"]
            )
        self.commune_filter.setCurrentIndex(max(0, self.commune_filter.findData(current)))
        self.commune_filter.blockSignals(False)
        for action in (self.commune_label, self.commune_action):
            action.setVisible(bool(received))

    def _refresh_units(self) -> None:
        self._refresh_communes()
        current = self.unit_filter.currentData()
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem("Tất cả đơn vị", "")
        for u in self.store.units.all():
            self.unit_filter.addItem(u.name, u.code)
        self.unit_filter.setCurrentIndex(max(0, self.unit_filter.findData(current)))
        self.unit_filter.blockSignals(False)

    # -- views and filters -------------------------------------------------

    def refresh_views(self) -> None:
        """Rebuild the view list, keeping the chosen one; counts follow off the GUI thread."""
        row = max(0, self.view_list.currentRow())
        self._views = views(self.store.settings.get(), self.model.on)
        self.view_list.blockSignals(True)
        self.view_list.clear()
        for view in self._views:
            item = QListWidgetItem(view.label)
            item.setToolTip(view.hint)
            item.setData(Qt.ItemDataRole.UserRole, view.key)
            self.view_list.addItem(item)
        self.view_list.setCurrentRow(row)
        self.view_list.blockSignals(False)
        self.apply_filters()
        queries = {v.key: v.query for v in self._views}

        def count(store: Store) -> dict[str, int]:
            return {key: store.members.count(q) for key, q in queries.items()}

        if self.store.path is None:
            self._show_counts(count(self.store))
            return
        self._counts_generation += 1
        generation = self._counts_generation
        self.reads.start(
            self.store.path, count, lambda counts: self._counts_ready(generation, counts)
        )

    def _counts_ready(self, generation: int, counts: dict[str, int]) -> None:
        if generation == self._counts_generation and not self.store.closed:
            self._show_counts(counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self._counts = counts
        for row, view in enumerate(self._views):
            if view.key in counts:
                text = f"{view.label}  ({counts[view.key]:,})".replace(",", ".")
                self.view_list.item(row).setText(text)
        self.counts_ready.emit()

    def current_view(self) -> View:
        return self._views[max(0, self.view_list.currentRow())]

    def select_view(self, key: str) -> None:
        for row, view in enumerate(self._views):
            if view.key == key:
                self.view_list.setCurrentRow(row)

    def current_query(self) -> MemberQuery:
        from dataclasses import replace

        query = self.current_view().query
        stage = self.stage_filter.currentData()
        return replace(
            query,
            search=self.search.text(),
            unit_code=self.unit_filter.currentData() or "",
            commune_code=self.commune_filter.currentData(),
            stages=(stage,) if stage else query.stages,
        )

    def apply_filters(self) -> None:
        self.model.set_query(self.current_query())
        deleted_view = self.current_view().key == "deleted"
        self.delete_action.setEnabled(not deleted_view)
        self.restore_member_action.setEnabled(deleted_view)
        self._show_state()
        self._selection_changed()

    def search_changed(self) -> None:
        """Typing: read the matching ids off the GUI thread; the newest answer wins."""
        self.model.request(self.current_query())

    def _ids_loaded(self) -> None:
        self._show_state()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)  # the first match is ready for Enter
        self._selection_changed()

    def _date_changed(self, qdate: QDate) -> None:
        self.model.set_date(date(qdate.year(), qdate.month(), qdate.day()))
        self.refresh_views()

    def _show_state(self) -> None:
        shown = self.model.rowCount()
        total = self.store.members.count()
        self.stack.setCurrentWidget(self.empty if total == 0 else self.table)
        on = self.model.on.strftime("%d/%m/%Y")
        text = (
            f"{self.current_view().label}: {shown:,} người · tổng {total:,} đoàn viên · "
            f"ngày xét {on}"
        ).replace(",", ".")
        if total and not shown:
            text += " · không có ai khớp — hãy xóa ô tìm kiếm hoặc chọn bộ lọc khác"
        self.count_label.setText(text)

    def _selection_changed(self) -> None:
        self._show_member(self.current_uid())

    def _show_member(self, uid: str | None) -> None:
        if self.side_tabs.currentWidget() is self.procedure:
            self.procedure.show_member(uid, self.model.on)
        else:
            self.history.show_member(uid)

    def _tab_changed(self, index: int) -> None:
        if index != 1:
            return
        from dvdesk.ui.statistics_view import StatisticsView

        if not isinstance(self.main_tabs.widget(1), StatisticsView):
            self.main_tabs.blockSignals(True)
            self.main_tabs.removeTab(1)
            self.main_tabs.insertTab(1, StatisticsView(self.store), "Thống kê")
            self.main_tabs.setCurrentIndex(1)
            self.main_tabs.blockSignals(False)
        self.main_tabs.widget(1).refresh()

    # -- member actions ----------------------------------------------------

    def current_uid(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.uid_at(index.row()) if index.isValid() else None

    def open_form(self, uid: str | None = None) -> MemberForm:
        member = self.store.members.get(uid) if uid else None
        form = MemberForm(self.store, self.dialogs, member, self.today, self)
        form.member_saved.connect(lambda saved: self._after_change(saved))
        return form

    def add_member(self) -> None:
        if not self.store.units.all():
            self.dialogs.warn(
                "Chưa có đơn vị",
                "Chưa có chi đoàn / đơn vị nào. Hãy thêm đơn vị trong Cài đặt "
                "(thẻ “Chi đoàn / đơn vị”) hoặc tạo dữ liệu mẫu.",
            )
            return
        self.dialogs.show_modal(self.open_form())

    def edit_current(self) -> None:
        uid = self.current_uid()
        if uid:
            self.dialogs.show_modal(self.open_form(uid))

    def _after_change(self, uid: str | None = None, keep_selection: bool = False) -> None:
        uid = uid or (self.current_uid() if keep_selection else None)
        self.refresh_views()
        if uid:
            row = self.model.row_of_uid(uid)
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
            elif keep_selection:
                # The change moved the member out of this view; keep showing them.
                self._show_member(uid)
        self.data_changed.emit()

    def delete_current(self) -> None:
        uid = self.current_uid()
        if not uid:
            return
        name = self.store.members.get(uid).full_name
        self.store.members.delete(uid)
        self._undo_uid = uid
        self.undo_button.setText(f"Hoàn tác xóa “{name}”")
        self.undo_button.setVisible(True)
        self._after_change()
        self.statusBar().showMessage(f"Đã xóa {name}. Bấm “Hoàn tác xóa” để lấy lại.", 10000)

    def undo_delete(self) -> None:
        if self._undo_uid:
            self.store.members.restore(self._undo_uid)
            self._after_change(self._undo_uid)
            self._undo_uid = None
        self.undo_button.setVisible(False)

    def restore_current(self) -> None:
        uid = self.current_uid()
        if uid and self.current_view().key == "deleted":
            self.store.members.restore(uid)
            self._after_change()
            self.statusBar().showMessage("Đã khôi phục đoàn viên.", 8000)

    def load_demo(self) -> Operation | None:
        if self.store.path is None:
            return None
        if self.store.members.count() and not self.dialogs.confirm(
            "Dữ liệu mẫu", "Tệp đã có đoàn viên. Vẫn thêm 2.000 đoàn viên mẫu vào tệp này?"
        ):
            return None
        from dvdesk import demo

        op = Operation(
            self,
            self.store.path,
            "Đang tạo dữ liệu mẫu…",
            lambda store, progress: demo.build(store, 2000, progress=progress),
            self.dialogs,
        )
        op.done.connect(lambda _: self._after_bulk_change())
        op.start()
        return op

    def _after_bulk_change(self) -> None:
        self._refresh_units()
        self.refresh_views()
        self.data_changed.emit()

    def open_settings(self) -> None:
        from dvdesk.ui.settings_dialog import SettingsDialog

        if self.dialogs.show_modal(SettingsDialog(self.store, self.dialogs, self)):
            settings = self.store.settings.get()
            self.model.method = settings.method
            self.date_edit.setDate(QDate(*settings.consideration_on(self.today).timetuple()[:3]))
        self._after_bulk_change()

    # -- file actions ------------------------------------------------------

    def backup_now(self) -> Path | None:
        try:
            path = backup.make_backup(self.store)
        except KnownError as exc:
            self.dialogs.error("Không sao lưu được", str(exc))
            return None
        self.statusBar().showMessage(f"Đã sao lưu vào {path}", 10000)
        return path

    def open_file(self) -> None:
        path = self.dialogs.open_file("Mở tệp dữ liệu dvdesk", "Tệp dữ liệu (*.db);;Mọi tệp (*)")
        if path:
            self.open_requested.emit(Path(path))

    def restore_backup(self) -> None:
        if self.store.path is None:
            return
        start = str(backup.backup_dir(self.store.path))
        chosen = self.dialogs.open_file("Chọn bản sao lưu", "Bản sao lưu (*.db)", start)
        if not chosen or not self.dialogs.confirm(
            "Khôi phục",
            "Thay dữ liệu hiện tại bằng bản sao lưu đã chọn? Dữ liệu hiện tại "
            "được sao lưu trước, nên vẫn lấy lại được.",
        ):
            return
        path = self.store.path
        self.store.close()
        try:
            restoring.restore(path, Path(chosen))
        except KnownError as exc:
            self.dialogs.error("Không khôi phục được", str(exc))
        self.open_requested.emit(path)

    # -- window state ------------------------------------------------------

    def _restore_geometry(self) -> None:
        qs = QSettings()
        geometry = qs.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        header = qs.value("main/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def closeEvent(self, event) -> None:
        qs = QSettings()
        qs.setValue("main/geometry", self.saveGeometry())
        qs.setValue("main/header", self.table.horizontalHeader().saveState())
        super().closeEvent(event)
