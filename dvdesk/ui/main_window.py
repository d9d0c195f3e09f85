"""The main window: the member table, search, the consideration date, filters."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from dvdesk.ui.dialogs import DialogService
from dvdesk.ui.member_form import MemberForm
from dvdesk.ui.member_model import MemberTableModel
from dvdesk.ui.operations import Operation

SEARCH_DELAY_MS = 120


class EmptyState(QWidget):
    """What a new, empty file shows: what to do next."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("<h2>Chưa có đoàn viên nào</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "Bấm <b>Thêm đoàn viên</b> (Ctrl+N) để nhập người đầu tiên,<br>"
            "hoặc tạo <b>dữ liệu mẫu</b> của một xã để xem thử chương trình."
        )
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.add_button = QPushButton("Thêm đoàn viên")
        self.demo_button = QPushButton("Tạo dữ liệu mẫu (2.000 đoàn viên)")
        for w in (title, text, self.add_button, self.demo_button):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    """dvdesk's main window over one open store.

    Signals:
        data_changed(): members were added, edited, deleted or restored.
    """

    data_changed = Signal()

    def __init__(
        self, store: Store, dialogs: DialogService | None = None, today: date | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.dialogs = dialogs or DialogService(self)
        self.today = today or date.today()
        settings = store.settings()
        self.model = MemberTableModel(store, settings.consideration_on(self.today), settings.method)
        self._undo_uid: str | None = None
        self._build()
        self._refresh_units()
        self._show_state()
        self._restore_geometry()
        self.setWindowTitle(f"dvdesk — {store.path or 'dữ liệu tạm'}")

    # -- layout ------------------------------------------------------------

    def _build(self) -> None:
        self.resize(1200, 720)
        bar = QToolBar("Công cụ")
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.add_action = QAction("Thêm đoàn viên", self, shortcut=QKeySequence.StandardKey.New)
        self.edit_action = QAction("Sửa", self)
        self.delete_action = QAction("Xóa", self, shortcut=QKeySequence.StandardKey.Delete)
        self.add_action.triggered.connect(self.add_member)
        self.edit_action.triggered.connect(self.edit_current)
        self.delete_action.triggered.connect(self.delete_current)
        for a in (self.add_action, self.edit_action, self.delete_action):
            bar.addAction(a)
        bar.addSeparator()

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm tên (gõ không dấu được), CCCD, điện thoại…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        bar.addWidget(self.search)
        focus_search = QAction(self, shortcut=QKeySequence.StandardKey.Find)
        focus_search.triggered.connect(self.search.setFocus)
        self.addAction(focus_search)

        bar.addWidget(QLabel("  Ngày chi bộ xét: "))
        self.date_edit = QDateEdit(calendarPopup=True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        on = self.model.on
        self.date_edit.setDate(QDate(on.year, on.month, on.day))
        self.date_edit.dateChanged.connect(self._date_changed)
        bar.addWidget(self.date_edit)

        bar.addWidget(QLabel("  Đơn vị: "))
        self.unit_filter = QComboBox()
        self.unit_filter.setMinimumWidth(200)
        self.unit_filter.currentIndexChanged.connect(self.apply_filters)
        bar.addWidget(self.unit_filter)

        bar.addWidget(QLabel("  Xem: "))
        self.view_filter = QComboBox()
        for label, key in (
            ("Tất cả đoàn viên", "all"),
            ("Đủ tuổi vào Đảng tại ngày xét", "eligible"),
            ("Sẽ đủ 18 tuổi trong 12 tháng", "upcoming"),
        ):
            self.view_filter.addItem(label, key)
        self.view_filter.currentIndexChanged.connect(self.apply_filters)
        bar.addWidget(self.view_filter)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        self.table.activated.connect(lambda _: self.edit_current())
        for column, width in enumerate((220, 90, 70, 200, 60, 130, 190, 130, 100)):
            self.table.setColumnWidth(column, width)

        self.empty = EmptyState()
        self.empty.add_button.clicked.connect(self.add_member)
        self.empty.demo_button.clicked.connect(self.load_demo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.setCentralWidget(self.stack)

        self.count_label = QLabel()
        self.undo_button = QPushButton("Hoàn tác xóa")
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self.undo_delete)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.undo_button)

        file_menu = self.menuBar().addMenu("&Tệp")
        quit_action = QAction("Thoát", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        data_menu = self.menuBar().addMenu("&Dữ liệu")
        demo_action = QAction("Tạo dữ liệu mẫu…", self)
        demo_action.triggered.connect(self.load_demo)
        data_menu.addAction(self.add_action)
        data_menu.addAction(demo_action)
        self.file_menu, self.data_menu = file_menu, data_menu

    def _refresh_units(self) -> None:
        current = self.unit_filter.currentData()
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem("Tất cả đơn vị", "")
        for u in self.store.units():
            self.unit_filter.addItem(u.name, u.code)
        index = self.unit_filter.findData(current)
        self.unit_filter.setCurrentIndex(max(0, index))
        self.unit_filter.blockSignals(False)

    # -- filters -----------------------------------------------------------

    def current_query(self) -> MemberQuery:
        view = self.view_filter.currentData()
        return MemberQuery(
            search=self.search.text(),
            unit_code=self.unit_filter.currentData() or "",
            eligible_on=self.model.on if view == "eligible" else None,
            upcoming_months=12 if view == "upcoming" else None,
            reference=self.model.on,
            method=self.model.method,
        )

    def apply_filters(self) -> None:
        self.model.set_query(self.current_query())
        self._show_state()

    def _date_changed(self, qdate: QDate) -> None:
        self.model.set_date(date(qdate.year(), qdate.month(), qdate.day()))
        if self.view_filter.currentData() != "all":
            self.apply_filters()
        self._show_state()

    def _show_state(self) -> None:
        shown = self.model.rowCount()
        total = self.store.member_count()
        self.stack.setCurrentWidget(self.empty if total == 0 else self.table)
        on = self.model.on.strftime("%d/%m/%Y")
        text = f"Đang hiện {shown:,} / {total:,} đoàn viên · ngày xét {on}".replace(",", ".")
        if total and not shown:
            text += " · không có ai khớp bộ lọc — hãy xóa ô tìm kiếm hoặc chọn “Tất cả”"
        self.count_label.setText(text)

    # -- actions -----------------------------------------------------------

    def current_uid(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.uid_at(index.row()) if index.isValid() else None

    def open_form(self, uid: str | None = None) -> MemberForm:
        member = self.store.get_member(uid) if uid else None
        form = MemberForm(self.store, self.dialogs, member, self.today, self)
        form.member_saved.connect(self._member_saved)
        return form

    def add_member(self) -> None:
        if not self.store.units():
            self.dialogs.warn(
                "Chưa có đơn vị",
                "Chưa có chi đoàn / đơn vị nào. Hãy tạo dữ liệu mẫu hoặc "
                "thêm đơn vị trong phần Cài đặt trước.",
            )
            return
        self.open_form().exec()

    def edit_current(self) -> None:
        uid = self.current_uid()
        if uid:
            self.open_form(uid).exec()

    def _member_saved(self, uid: str) -> None:
        self.model.reload()
        self._show_state()
        row = self.model.row_of_uid(uid)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self.data_changed.emit()

    def delete_current(self) -> None:
        uid = self.current_uid()
        if not uid:
            return
        name = self.store.get_member(uid).full_name
        self.store.delete_member(uid)
        self._undo_uid = uid
        self.undo_button.setText(f"Hoàn tác xóa “{name}”")
        self.undo_button.setVisible(True)
        self.model.reload()
        self._show_state()
        self.statusBar().showMessage(f"Đã xóa {name} (có thể hoàn tác).", 8000)
        self.data_changed.emit()

    def undo_delete(self) -> None:
        if self._undo_uid:
            self.store.restore_member(self._undo_uid)
            self._member_saved(self._undo_uid)
            self._undo_uid = None
        self.undo_button.setVisible(False)

    def load_demo(self) -> Operation | None:
        if self.store.path is None:
            return None
        if self.store.member_count() and not self.dialogs.confirm(
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
        self.model.reload()
        self._show_state()
        self.data_changed.emit()

    # -- window state ------------------------------------------------------

    def _restore_geometry(self) -> None:
        qs = QSettings("dvdesk", "dvdesk")
        geometry = qs.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        header = qs.value("main/header")
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def closeEvent(self, event) -> None:
        qs = QSettings("dvdesk", "dvdesk")
        qs.setValue("main/geometry", self.saveGeometry())
        qs.setValue("main/header", self.table.horizontalHeader().saveState())
        super().closeEvent(event)
