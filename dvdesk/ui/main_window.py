"""The main window: views with counts, the member table, the candidate's procedure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QFocusEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolBar,
)

from dvdesk.domain.member import Member
from dvdesk.domain.procedure import STAGE_LABELS, Stage, StepRecord
from dvdesk.errors import KnownError
from dvdesk.exchange.templates import TEMPLATES
from dvdesk.services import views as preset_views
from dvdesk.services.views import View
from dvdesk.store import backup, restoring
from dvdesk.store.changes import Changes, Kind
from dvdesk.store.gateway import Store
from dvdesk.store.member_query import MemberQuery
from dvdesk.ui import undo
from dvdesk.ui.dialogs import DialogService
from dvdesk.ui.empty_state import EmptyState
from dvdesk.ui.history_view import HistoryView
from dvdesk.ui.member_model import MemberTableModel
from dvdesk.ui.operations import Jobs, Op, Progress
from dvdesk.ui.procedure_panel import ProcedurePanel
from dvdesk.ui.recent_files import add_recent, recent_files

if TYPE_CHECKING:  # imported when first used: the first screen needs none of them
    from dvdesk.ui.exchange_actions import ExchangeActions
    from dvdesk.ui.help import HelpWindow
    from dvdesk.ui.member_form import MemberForm
    from dvdesk.ui.print_actions import PrintActions

SEARCH_DELAY_MS = 30  # a search starts after this pause in typing (a newer one stops it)
COUNTS_AFTER_IDLE_MS = 600  # the views are counted once nothing was asked for this long
SMALL_LIST = 20_000  # a file this small: its total is counted here when not known


def number(value: int) -> str:
    """120484 → "120.484" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


COLUMN_WIDTHS = (175, 82, 112, 92, 130, 50, 170, 130, 60)
# Shown second, after the name: the unit tells namesakes apart (model column 4).
UNIT_COLUMN = 4
NAME_COLUMN = 0


ELIDE_RIGHT = Qt.TextElideMode.ElideRight  # looked up once: it is read for every cell


class ElideEnd(QStyledItemDelegate):
    """A cut name keeps its start ("Tôn Nữ Hoàng Thị…"), not its two ends."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        QStyledItemDelegate.initStyleOption(self, option, index)
        option.textElideMode = ELIDE_RIGHT


# Saved window state; "-2": what the first release saved had no unit column in sight
# and a window taller than a 768-pixel screen, so it is not restored.
GEOMETRY_KEY = "main/geometry-2"
HEADER_KEY = "main/header-2"
# The window's first size: a 1366×768 laptop less the taskbar (728) and the title bar.
FIRST_SIZE = (1366, 690)


class UnitFill(QObject):
    """Widens the unit column into the table's spare width whenever the table is resized.

    Qt's stretch modes take the unit below its own width when space is short,
    and "stretch last section" gives the spare to Giới tính: neither helps to
    tell namesakes apart by their unit.
    """

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            header = self.table.horizontalHeader()
            others = sum(header.sectionSize(c) for c in range(header.count()) if c != UNIT_COLUMN)
            spare = self.table.viewport().width() - others
            header.resizeSection(UNIT_COLUMN, max(COLUMN_WIDTHS[UNIT_COLUMN], spare))
        return False


def give_mnemonics(menu: QMenu) -> None:
    """Underline a letter in every entry of `menu` (Alt+letter in the open menu).

    The first plain letter of the entry not yet taken in this menu; entries
    that already have one keep it. Letters with diacritics are skipped: Alt+Đ
    or Alt+Ư is not a key on a Vietnamese keyboard layout.
    """
    actions = [a for a in menu.actions() if not a.isSeparator() and a.text()]
    taken = {
        a.text()[a.text().index("&") + 1].lower()
        for a in actions
        if "&" in a.text() and a.text().index("&") + 1 < len(a.text())
    }
    for a in actions:
        text = a.text()
        if "&" in text:
            continue
        for i, ch in enumerate(text):
            if ch.isascii() and ch.isalnum() and ch.lower() not in taken:
                taken.add(ch.lower())
                a.setText(f"{text[:i]}&{text[i:]}")
                break


class DateBox(QDateEdit):
    """A date typed from the day on: entering the box (by mouse too) selects the day,
    so "15122026" gives 15/12/2026 wherever the click landed."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        QTimer.singleShot(0, lambda: self.setSelectedSection(QDateEdit.Section.DaySection))


class MainWindow(QMainWindow):
    """dvdesk's main window over one open store.

    Every write, whether made here or by a background op, ends in
    `apply_changes(Changes)`, which refreshes only what the change touched.
    The print and exchange action objects see the window only through the
    small `ActionHost` surface (selected members, view, date, unit, jobs,
    status line), never its widgets.

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
        self.jobs = Jobs(self, store, self.dialogs)
        self.jobs.changed.connect(self.apply_changes)
        self.undo_stack = QUndoStack(self)
        self.model = MemberTableModel(
            store,
            settings.consideration_on(self.today),
            settings.method,
            load=False,
            jobs=self.jobs,
        )
        self._counts: dict[str, int] = {}
        self._counts_fresh = False  # False from a write until the new counts arrive
        self._counts_generation = 0
        self._counts_op: Op | None = None
        self._counts_timer = QTimer(self, singleShot=True, interval=COUNTS_AFTER_IDLE_MS)
        self._counts_timer.timeout.connect(self._count_views)
        self._views: list[View] = []
        self._shown: tuple[object, ...] | None = None  # what the side panel shows now
        self._printing: PrintActions | None = None
        self._exchange: ExchangeActions | None = None
        self._build()
        self._refresh_units()
        self.refresh_views()
        self._restore_geometry()
        if self.model.rowCount():
            self.table.selectRow(0)
        # Qt adds the application's display name ("— dvdesk") itself: name only the file.
        self.setWindowTitle(str(store.path) if store.path else "dữ liệu tạm")
        if store.path is not None:  # after the first screen: QSettings is slow to start
            QTimer.singleShot(0, lambda: add_recent(store.path) if store.path else None)

    # -- layout ------------------------------------------------------------

    def _build(self) -> None:
        self._fit_to_screen()
        self._build_actions()
        self._build_toolbars()
        self._build_menus()

        self.view_list = QListWidget()
        self.view_list.setMinimumWidth(190)
        self.view_list.setWordWrap(True)
        # Long view names wrap inside the list; it never scrolls sideways.
        self.view_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.view_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        # Vertical padding only: Qt measures a wrapped item without the side padding, and the
        # last word of "Đã xóa (có thể khôi phục) (0)" was elided.
        self.view_list.setStyleSheet("QListWidget::item { padding: 5px 0px; }")
        self.view_list.currentRowChanged.connect(lambda _: self.apply_filters())

        self.table = QTableView()
        self.table.setModel(self.model)
        self.model.ids_loaded.connect(self._ids_loaded)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # "Trường T…Lê Quý Đôn": the end of a long unit name tells schools apart.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._name_delegate = ElideEnd(self.table)
        self.table.setItemDelegateForColumn(NAME_COLUMN, self._name_delegate)
        # Indicator first: enabling sorting sorts by it, and Qt's default is descending.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self._busy())
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The spare width goes to the unit (long school names), not to the last column.
        self._unit_fill = UnitFill(self.table)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.doubleClicked.connect(lambda _: self.edit_current())
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().moveSection(UNIT_COLUMN, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        open_row = QAction(self.table, shortcut=QKeySequence(Qt.Key.Key_Return))
        open_row.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_row.triggered.connect(self.edit_current)
        self.table.addAction(open_row)
        # Del deletes members only from the table, never from the procedure panel.
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.delete_action)

        self.empty = EmptyState()
        self.empty.add_button.clicked.connect(self.add_member)
        self.empty.demo_button.clicked.connect(self.load_demo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.procedure = ProcedurePanel(self.store, self.dialogs, self.today)
        self.procedure.step_recorded.connect(self._step_recorded)
        # Any save in the panel (a step, the dossier's details, an exception) may change
        # the member's stage, flags and counts: one announcement per save.
        self.procedure.step_saved.connect(
            lambda uid: self.jobs.announce(Changes.of(Kind.STEPS, Kind.MEMBERS, uids=[uid]))
        )
        self.history = HistoryView(self.store)
        self.side_tabs = QTabWidget()
        # The dossier fields are taller than a 768-pixel screen allows: scroll them
        # inside the tab rather than let the window outgrow the screen.
        procedure_scroll = QScrollArea()
        procedure_scroll.setWidgetResizable(True)
        procedure_scroll.setFrameShape(QFrame.Shape.NoFrame)
        procedure_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        procedure_scroll.setWidget(self.procedure)
        self.side_tabs.addTab(procedure_scroll, "Quy trình kết nạp")
        self.side_tabs.addTab(self.history, "Lịch sử thay đổi")
        self.side_tabs.currentChanged.connect(
            lambda _: self._show_member(self.current_uid() or self.procedure.uid)
        )

        self.splitter = QSplitter()
        self.splitter.addWidget(self.view_list)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(self.side_tabs)
        # At 1366 px the member table shows its first five columns whole (to "Đủ 18 tuổi
        # từ"); the side panel keeps enough for the steps (its step column takes the rest).
        self.splitter.setSizes([190, 672, 494])
        self.splitter.setStretchFactor(1, 1)

        self.main_tabs = QTabWidget()
        self.main_tabs.addTab(self.splitter, "Đoàn viên")
        self.statistics_page: QLabel | None = None
        self.main_tabs.addTab(QLabel(), "Thống kê")
        self.main_tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.main_tabs)

        self.count_label = QLabel()
        self.undo_button = QPushButton("Hoàn tác")
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_stack.indexChanged.connect(self._undo_state)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.undo_button)

    def _fit_to_screen(self) -> None:
        """Open at nine tenths of the screen's free area, at least FIRST_SIZE, never more
        than the free area less a title bar."""
        width, height = FIRST_SIZE
        screen = self.screen()
        if screen is not None:
            free = screen.availableGeometry()
            width = min(max(width, free.width() * 9 // 10), free.width())
            height = min(max(height, free.height() * 9 // 10), free.height() - 32)
        self.resize(width, height)

    def _build_actions(self) -> None:
        def action(
            text: str,
            slot: Callable[[], object],
            shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
        ) -> QAction:
            a = QAction(text, self)
            if shortcut is not None:
                a.setShortcut(shortcut)
            a.triggered.connect(slot)
            return a

        self.add_action = action("Thêm đoàn viên", self.add_member, QKeySequence.StandardKey.New)
        self.edit_action = action("Sửa", self.edit_current)
        self.delete_action = action("Xóa", self.delete_current, QKeySequence(Qt.Key.Key_Delete))
        self.undo_action = self.undo_stack.createUndoAction(self, "Hoàn tác")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "Làm lại")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for a in (self.undo_action, self.redo_action):
            # Inside a text box Ctrl+Z undoes the typing; elsewhere the last change.
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.restore_member_action = action("Khôi phục người đã xóa", self.restore_current)
        self.demo_action = action("Tạo dữ liệu mẫu…", self.load_demo)
        self.settings_action = action("Cài đặt…", self.open_settings)
        self.backup_action = action("Sao lưu ngay", self.backup_now)
        self.restore_action = action("Khôi phục từ bản sao lưu…", self.restore_backup)
        self.open_action = action("Mở tệp dữ liệu…", self.open_file, QKeySequence.StandardKey.Open)
        self.quit_action = action("Thoát", self.close, QKeySequence("Ctrl+Q"))
        self.find_action = action(
            "Tìm", lambda: self.search.setFocus(), QKeySequence.StandardKey.Find
        )
        self.addAction(self.find_action)
        self.help_action = action(
            "Hướng dẫn sử dụng", lambda: self.show_help(), QKeySequence.StandardKey.HelpContents
        )
        self.addAction(self.help_action)
        self.about_action = action("Giới thiệu dvdesk…", self.show_about)

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
        self.search.textChanged.connect(self._typed)
        filters.addWidget(self.search)

        filters.addWidget(QLabel("  Ngày chi bộ xét: "))
        self.date_edit = DateBox()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setToolTip(
            "Ngày chi bộ họp xét. Gõ liền ngày, tháng, năm (ví dụ 15122026) hoặc bấm mũi tên "
            "để chọn trên lịch."
        )
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        on = self.model.on
        self.date_edit.setDate(QDate(on.year, on.month, on.day))
        self.date_edit.dateChanged.connect(self._date_changed)
        self._save_date_timer = QTimer(self, singleShot=True, interval=800)
        self._save_date_timer.timeout.connect(self.save_consideration_date)
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
        edit_menu = self.menuBar().addMenu("&Sửa")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        self.edit_menu = edit_menu
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

        print_menu = self.menuBar().addMenu("&In")
        for text, name in (
            ("Phiếu theo dõi hồ sơ của người đang chọn…", "checklist"),
            ("Phiếu theo dõi của cả danh sách đang xem…", "checklists_of_view"),
            ("Danh sách đủ tuổi tại ngày xét…", "eligible_list"),
            ("Danh sách sẽ đủ 18 tuổi trong 12 tháng…", "upcoming_list"),
            ("Giấy chuyển giới thiệu cảm tình Đảng (học sinh)…", "transfer_letter"),
            ("Danh sách đang xem…", "view_list"),
            ("Kế hoạch tạo nguồn (theo khóa học hoặc theo năm)…", "source_plan"),
            ("Báo cáo thống kê…", "statistics"),
            ("Nhập số liệu đảng bộ của một năm (chỉ tiêu 3–4%)…", "party_totals"),
        ):
            print_menu.addAction(text, partial(lambda n: getattr(self.printing, n)(), name))

        exchange_menu = self.menuBar().addMenu("T&rao đổi dữ liệu")
        for text, name in (
            ("Xuất gói dữ liệu gửi cấp trên…", "export_package"),
            ("Xuất danh sách ra Excel / CSV…", "export_sheet"),
            ("Nhập danh sách từ Excel / CSV…", "import_sheet"),
            ("Tổng hợp gói dữ liệu của các xã…", "merge_packages"),
        ):
            exchange_menu.addAction(text, partial(lambda n: getattr(self.exchange, n)(), name))
        templates_menu = exchange_menu.addMenu("Xuất theo mẫu cấp trên")
        for key, template in TEMPLATES.items():
            action = templates_menu.addAction(f"{template.label}…")
            action.setObjectName(f"template-{key}")
            action.triggered.connect(lambda _=False, k=key: self.exchange.export_template(k))

        help_menu = self.menuBar().addMenu("Trợ &giúp")
        help_menu.addAction(self.help_action)
        for text, topic in (
            ("Bắt đầu", "start"),
            ("Nhập và sửa đoàn viên", "members"),
            ("Theo dõi hồ sơ kết nạp", "procedure"),
            ("In và xem trước", "print"),
            ("Gửi dữ liệu lên cấp trên", "package"),
            ("Sao lưu và khôi phục", "backup"),
            ("Phím tắt", "keys"),
        ):
            help_menu.addAction(text, partial(self.show_help, topic))
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        self.help_menu = help_menu
        for menu in self.menuBar().findChildren(QMenu):
            give_mnemonics(menu)

    @property
    def printing(self) -> PrintActions:
        """The print menu's actions (made, and their module imported, on first use)."""
        if self._printing is None:
            from dvdesk.ui.print_actions import PrintActions

            self._printing = PrintActions(self, self)
        return self._printing

    @property
    def exchange(self) -> ExchangeActions:
        """The exchange menu's actions (made, and their module imported, on first use)."""
        if self._exchange is None:
            from dvdesk.ui.exchange_actions import ExchangeActions

            self._exchange = ExchangeActions(self, self)
            self._exchange.finished.connect(lambda text: self.statusBar().showMessage(text, 20000))
            self._exchange.finished.connect(lambda text: self.dialogs.info("Hoàn tất", text))
        return self._exchange

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = [p for p in recent_files() if p != self.store.path]
        if not paths:
            self.recent_menu.addAction("(chưa có)").setEnabled(False)
        for path in paths:
            self.recent_menu.addAction(str(path), partial(self.open_requested.emit, path))

    def _refresh_communes(self) -> None:
        received = self.store.received_index.all()  # the light half: no merge code
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
        self._views = preset_views.preset_views(self.store, self.model.on)
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
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Count every view off the GUI thread, once the officer pauses; only the newest
        answer is shown.

        On a big file the counts take ~0.5 s of a core: they wait until nothing has
        been typed, sorted or filtered for COUNTS_AFTER_IDLE_MS, and stop when that
        happens while they run (`_busy`), so they never slow what is asked for.
        """
        self._counts_fresh = False
        self._counts_generation += 1
        if self.store.path is None:
            self._show_counts(preset_views.counts(self.store, self.model.on, self._views))
            return
        self._stop_counting()
        self._counts_timer.start()

    def _count_views(self) -> None:
        chosen, on, generation = list(self._views), self.model.on, self._counts_generation

        def count(store: Store) -> dict[str, int]:
            return preset_views.counts(store, on, chosen)

        self._counts_op = self.jobs.read(
            count,
            lambda counts: self._counts_ready(generation, counts),
            title="Không đếm được các danh sách",
        )

    def _busy(self) -> None:
        """The officer asked for something: counts not yet shown wait for the next pause."""
        if self._counts_fresh or self.store.path is None:
            return
        self._stop_counting()
        self._counts_timer.start()

    def _stop_counting(self) -> None:
        op, self._counts_op = self._counts_op, None
        if op is not None and shiboken6.isValid(op) and op.running:
            op.interrupt()

    def _counts_ready(self, generation: int, counts: dict[str, int]) -> None:
        if generation == self._counts_generation and not self.store.closed:
            self._counts_op = None
            self._show_counts(counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self._counts, self._counts_fresh = counts, True
        self._show_state()
        for row, view in enumerate(self._views):
            if view.key in counts:
                self.view_list.item(row).setText(f"{view.label}  ({number(counts[view.key])})")
        self.counts_ready.emit()

    def current_view(self) -> View:
        return self._views[max(0, self.view_list.currentRow())]

    def select_view(self, key: str) -> None:
        for row, view in enumerate(self._views):
            if view.key == key:
                self.view_list.setCurrentRow(row)

    def current_query(self) -> MemberQuery:
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
        self._busy()
        keep = self.current_uid()
        query, view = self.current_query(), self.current_view()
        # A view as it is (no search or filter): its count is the one beside it.
        known = self._counts.get(view.key) if self._counts_fresh and query == view.query else None
        self.model.set_query(query, known)
        deleted_view = self.current_view().key == "deleted"
        self.delete_action.setEnabled(not deleted_view)
        self.restore_member_action.setEnabled(deleted_view)
        self._show_state()
        if keep is None or not self.select_uid(keep):
            self._selection_changed()

    def _typed(self, _text: str) -> None:
        self._busy()
        self._search_timer.start()

    def search_changed(self) -> None:
        """Typing: read the matching ids off the GUI thread; the newest answer wins."""
        self.model.request(self.current_query())

    def _ids_loaded(self) -> None:
        self._show_state()
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.selectRow(0)  # the first match is ready for Enter (shows it too)
        else:
            self._selection_changed()

    def _date_changed(self, qdate: QDate) -> None:
        self.model.set_date(date(qdate.year(), qdate.month(), qdate.day()))
        self.refresh_views()
        self._save_date_timer.start()  # kept for the next start, once typing has settled

    def save_consideration_date(self) -> None:
        """The meeting date chosen here is the file's planned meeting (Cài đặt shows it)."""
        if self.store.closed:
            return
        on = self.model.on
        settings = self.store.settings.get()
        wanted = "" if on == self.today and not settings.consideration_date else on.isoformat()
        if settings.consideration_date != wanted:
            try:
                self.store.settings.save(replace(settings, consideration_date=wanted))
            except KnownError as exc:
                self.statusBar().showMessage(f"Chưa lưu được ngày xét: {exc}", 10000)

    def _show_state(self) -> None:
        shown = self.model.expected_rows()
        total = self._total()
        known_total = total if total is not None else shown
        self.stack.setCurrentWidget(self.empty if known_total == 0 else self.table)
        on = self.model.on.strftime("%d/%m/%Y")
        people = f"{number(shown)} người"
        everyone = "đang đếm" if total is None else number(total)
        text = f"{self.current_view().label}: {people} · tổng {everyone} đoàn viên · ngày xét {on}"
        if total and shown == 0:
            text += " · không có ai khớp — hãy xóa ô tìm kiếm hoặc chọn bộ lọc khác"
        self.count_label.setText(text)

    def _total(self) -> int | None:
        """Live members in the file: the views' count when current; counted here on a
        small file; None ("đang đếm") while a big file's counts are on their way."""
        last = self._counts.get("all")
        if self._counts_fresh and last is not None:
            return last
        if self.model.query.everyone():
            return self.model.expected_rows()  # the list shown is everyone
        small = (last if last is not None else self.store.members.id_bound()) < SMALL_LIST
        return self.store.members.count() if small else None

    def _selection_changed(self) -> None:
        self._show_member(self.current_uid())

    def _show_member(self, uid: str | None, force: bool = False) -> None:
        """Show `uid` in the side tab in front; skipped when it already shows exactly that."""
        panel = self.side_tabs.currentIndex()
        shown = (panel, uid, self.model.on)
        if shown == self._shown and not force:
            return
        self._shown = shown
        if panel == 0:  # the procedure tab (its panel sits in a scroll area)
            self.procedure.show_member(uid, self.model.on)
        else:
            self.history.show_member(uid)

    def _tab_changed(self, index: int) -> None:
        if index != 1:
            return
        from dvdesk.ui.statistics_view import StatisticsView  # QtCharts: only when shown

        if not isinstance(self.main_tabs.widget(1), StatisticsView):
            self.main_tabs.blockSignals(True)
            self.main_tabs.removeTab(1)
            self.main_tabs.insertTab(1, StatisticsView(self.store, self.jobs), "Thống kê")
            self.main_tabs.setCurrentIndex(1)
            self.main_tabs.blockSignals(False)
        page = self.main_tabs.widget(1)
        if isinstance(page, StatisticsView):
            page.refresh()

    # -- changes -------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what `changes` touched: rows, the id list, units, views, the side panel."""
        keep = self.current_uid()
        if changes.touches(Kind.MEMBERS, Kind.STEPS, Kind.SETTINGS):
            self._counts_fresh = False  # until refresh_counts answers
        if changes.touches(Kind.UNITS, Kind.PACKAGES):
            self._refresh_units()
        if changes.touches(Kind.SETTINGS):
            settings = self.store.settings.get()
            self.model.method = settings.method
        if changes.touches(Kind.SETTINGS, Kind.HOLIDAYS):
            self.refresh_views()  # view definitions follow the settings
        elif changes.reload_list and self.model.may_move(changes):
            self.model.reload()
            self._show_state()
        elif changes.touches(Kind.MEMBERS, Kind.STEPS, Kind.TRANSFERS):
            self.model.refresh_rows(changes.member_uids)
        if changes.touches(Kind.MEMBERS, Kind.STEPS):
            self.refresh_counts()
        if keep is not None and self.current_uid() != keep:
            self.select_uid(keep)
        shown = self.current_uid() or self.procedure.uid
        if changes.reload_list or shown in changes.member_uids or Kind.FILE in changes.kinds:
            self._show_member(shown, force=True)
        if self.main_tabs.currentIndex() == 1:
            self._tab_changed(1)
        self.data_changed.emit()

    def select_uid(self, uid: str) -> bool:
        """Select and show `uid` if the table lists it."""
        row = self.model.row_of_uid(uid)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _push_undo(self, command: undo._StoreCommand) -> None:
        """Put a write made on the undo stack; its undo and redo select their member."""
        command.select = self.select_uid
        self.undo_stack.push(command)

    def _undo_state(self, _index: int = 0) -> None:
        if not shiboken6.isValid(self.undo_stack) or not shiboken6.isValid(self.undo_button):
            return  # the window is being destroyed (the stack clears itself)
        can = self.undo_stack.canUndo()
        self.undo_button.setVisible(can)
        if can:
            self.undo_button.setText(f"Hoàn tác: {self.undo_stack.undoText()} (Ctrl+Z)")

    def _step_recorded(self, uid: str, before: StepRecord, after: StepRecord) -> None:
        self._push_undo(
            undo.RecordStep(self.store, self.jobs.announce, uid, before, after, self.today)
        )  # the panel's step_saved, which follows, announces the change

    # -- the action objects' view of the window (ActionHost) -----------------

    def selected_uids(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.current_uid():
            return [self.current_uid() or ""]
        return [self.model.uid_at(r) for r in rows]

    def consideration_date(self) -> date:
        return self.model.on

    def unit_code(self) -> str:
        return str(self.unit_filter.currentData() or "")

    def view_row_ids(self) -> list[int]:
        return self.model.row_ids()

    def show_status(self, text: str, ms: int = 15000) -> None:
        self.statusBar().showMessage(text, ms)

    # -- member actions ----------------------------------------------------

    def current_uid(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.uid_at(index.row()) if index.isValid() else None

    def open_form(self, uid: str | None = None) -> MemberForm:
        from dvdesk.ui.member_form import MemberForm

        member = self.store.members.get(uid) if uid else None
        form = MemberForm(self.store, self.dialogs, member, self.today, self)
        form.saved.connect(self._member_saved)
        return form

    def _member_saved(self, before: Member | None, after: Member, changes: Changes) -> None:
        if before is None:
            command: undo._StoreCommand = undo.AddMember(self.store, self.jobs.announce, after)
        else:
            command = undo.EditMember(self.store, self.jobs.announce, before, after, self.today)
        self._push_undo(command)
        self.jobs.announce(changes)
        if not self.select_uid(after.uid):
            self._show_member(after.uid, force=True)

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

    def delete_current(self) -> None:
        """Soft-delete the selected members (asks first when there are several)."""
        uids = self.selected_uids() if self.current_view().key != "deleted" else []
        if not uids:
            return
        names = [self.store.members.get(uid).full_name for uid in uids]
        if len(uids) > 1 and not self.dialogs.confirm(
            "Xóa đoàn viên",
            f"Xóa {number(len(uids))} đoàn viên đang chọn ({', '.join(names[:3])}"
            f"{'…' if len(names) > 3 else ''})? Có thể hoàn tác bằng Ctrl+Z.",
        ):
            return
        row = self.table.currentIndex().row()
        changes = Changes()
        with self.store.transaction():  # all of them or none
            for uid in uids:
                changes |= self.store.members.delete(uid)
        self._push_undo(undo.DeleteMembers(self.store, self.jobs.announce, uids, names))
        self.jobs.announce(changes)
        if self.model.rowCount():
            self.table.selectRow(min(max(row, 0), self.model.rowCount() - 1))
        who = names[0] if len(names) == 1 else f"{number(len(names))} đoàn viên"
        self.statusBar().showMessage(
            f"Đã xóa {who}. Bấm Ctrl+Z (Sửa → Hoàn tác) để lấy lại.", 10000
        )

    def undo_delete(self) -> None:
        """The status-bar button: undo the last change."""
        self.undo_stack.undo()

    def restore_current(self) -> None:
        uids = self.selected_uids()
        if not uids or self.current_view().key != "deleted":
            return
        names = [self.store.members.get(uid).full_name for uid in uids]
        changes = Changes()
        with self.store.transaction():
            for uid in uids:
                changes |= self.store.members.restore(uid)
        self._push_undo(undo.RestoreMembers(self.store, self.jobs.announce, uids, names))
        self.jobs.announce(changes)
        self.statusBar().showMessage("Đã khôi phục đoàn viên.", 8000)

    def load_demo(self) -> Op | None:
        if self.store.path is None:
            return None
        if self.store.members.count() and not self.dialogs.confirm(
            "Dữ liệu mẫu", "Tệp đã có đoàn viên. Vẫn thêm 2.000 đoàn viên mẫu vào tệp này?"
        ):
            return None
        from dvdesk import demo

        def work(store: Store, progress: Progress) -> Changes:
            demo.build(store, 2000, progress=progress)
            return Changes.of(Kind.MEMBERS, Kind.STEPS, Kind.UNITS, Kind.SETTINGS, reorders=True)

        return self.jobs.write("Đang tạo dữ liệu mẫu…", work, cancellable=True)

    def open_settings(self) -> None:
        from dvdesk.ui.settings_dialog import SettingsDialog

        if self.dialogs.show_modal(SettingsDialog(self.store, self.dialogs, self)):
            settings = self.store.settings.get()
            self.model.method = settings.method
            self.date_edit.setDate(QDate(*settings.consideration_on(self.today).timetuple()[:3]))
        self.jobs.announce(
            Changes.of(Kind.SETTINGS, Kind.UNITS, Kind.HOLIDAYS, Kind.MEMBERS, reorders=True)
        )

    # -- help --------------------------------------------------------------

    def show_help(self, topic: str = "") -> HelpWindow:
        """The manual at `topic`, or at the part about what is in front (the procedure
        panel, the statistics tab, the member list)."""
        from dvdesk.ui.help import show_help

        if not topic:
            if self.main_tabs.currentIndex() == 1:
                topic = "start"
            elif (focus := QApplication.focusWidget()) is not None and (
                self.procedure.isAncestorOf(focus)
            ):
                topic = "procedure"
            else:
                topic = "members"
        return show_help(topic, self)

    def show_about(self) -> None:
        from dvdesk.ui.help import AboutDialog

        path = self.store.path
        backups = backup.backup_dir(path) if path else None
        self.dialogs.show_modal(AboutDialog(path, backups, self))

    # -- file actions ------------------------------------------------------

    def backup_now(self) -> Op | None:
        """Copy the data file off the GUI thread (seconds on a big file)."""
        if self.store.path is None:
            return None
        return self.jobs.long_read(
            "Đang sao lưu…",
            lambda store, progress: backup.make_backup(store),
            lambda path: self.statusBar().showMessage(f"Đã sao lưu vào {path}", 10000),
            cancellable=False,
        )

    def open_file(self) -> None:
        path = self.dialogs.open_file("Mở tệp dữ liệu dvdesk", "Tệp dữ liệu (*.db);;Mọi tệp (*)")
        if path:
            self.open_requested.emit(Path(path))

    def restore_backup(self) -> Op | None:
        """Replace the file by a chosen backup (off the GUI thread), then reopen it."""
        if self.store.path is None:
            return None
        from dvdesk.ui.restore_dialog import RestoreDialog, describe

        dialog = RestoreDialog(self.store.path, self.dialogs, self)
        if not self.dialogs.show_modal(dialog) or dialog.chosen is None:
            return None
        chosen = dialog.chosen
        when, _why = describe(chosen)
        if not self.dialogs.confirm(
            "Khôi phục",
            f"Thay dữ liệu hiện tại bằng bản sao lưu lúc {when} (“{chosen.name}”)? Dữ liệu "
            "hiện tại được sao lưu trước, nên vẫn lấy lại được.",
        ):
            return None
        self._counts_timer.stop()  # nothing may start reading the file now
        if not self.jobs.cancel_and_wait():
            return None
        path = self.store.path
        # Nothing may read the file while it is replaced: empty the screens, then close.
        self.model.show_nothing()
        self._show_member(None, force=True)
        self.main_tabs.setEnabled(False)
        self.store.close()

        def done(safety: Path) -> None:
            self.dialogs.info(
                "Đã khôi phục",
                f"Đã khôi phục dữ liệu từ bản sao lưu lúc {when}. Dữ liệu trước khi khôi phục "
                f"được giữ trong “{safety}”. Cửa sổ mở lại với dữ liệu đã khôi phục.",
            )
            self.open_requested.emit(path)

        op = self.jobs.detached(
            "Đang khôi phục dữ liệu…", lambda progress: restoring.restore(path, chosen), done
        )
        op.failed.connect(lambda _message: self.open_requested.emit(path))  # reopen as it was
        return op

    # -- window state ------------------------------------------------------

    def _restore_geometry(self) -> None:
        qs = QSettings()
        geometry = qs.value(GEOMETRY_KEY)
        if geometry is not None:
            self.restoreGeometry(geometry)
        header = qs.value(HEADER_KEY)
        if header is not None:
            self.table.horizontalHeader().restoreState(header)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._save_date_timer.isActive():
            self._save_date_timer.stop()
            self.save_consideration_date()
        running = self.jobs.long_running()
        writing = any(not op.cancellable for op in running)
        if running and not self.dialogs.confirm(
            "Đang có việc chạy",
            "Một việc (in, xuất, nhập…) vẫn đang chạy. Dừng và thoát? "
            + (
                "Việc đang ghi dữ liệu sẽ được làm nốt rồi cửa sổ mới đóng, "
                "để dữ liệu không bị ghi dở."
                if writing
                else "Việc đó dừng lại, dữ liệu đã lưu không bị ảnh hưởng."
            ),
        ):
            event.ignore()
            return
        self._counts_timer.stop()
        self.jobs.cancel_and_wait()
        qs = QSettings()
        qs.setValue(GEOMETRY_KEY, self.saveGeometry())
        qs.setValue(HEADER_KEY, self.table.horizontalHeader().saveState())
        super().closeEvent(event)
