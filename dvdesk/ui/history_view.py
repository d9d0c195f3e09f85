"""A member's change history (lịch sử thay đổi) from the audit log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvdesk.domain.procedure import STEP_BY_CODE, STEP_STATE_LABELS, StepState
from dvdesk.store.gateway import Store

ACTIONS = {"insert": "Thêm mới", "update": "Sửa", "delete": "Xóa", "restore": "Khôi phục"}
FIELD_LABELS = {
    "full_name": "Họ tên",
    "dob": "Ngày sinh",
    "gender": "Giới tính",
    "cccd": "CCCD",
    "unit_id": "Đơn vị",
    "school_class": "Lớp",
    "school_year": "Niên khóa",
    "graduation_year": "Năm tốt nghiệp",
    "presence": "Tình trạng",
    "phone": "Điện thoại",
    "address": "Nơi ở",
    "hometown": "Quê quán",
    "notes": "Ghi chú",
    "deleted_at": "Đã xóa",
    "union_joined": "Ngày vào Đoàn",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "union_officer": "Cán bộ Đoàn",
    "union_extended": "Kéo dài sinh hoạt Đoàn",
}


def describe(entry: dict[str, Any]) -> str:
    """One audit entry as a clerk reads it: what changed from what to what."""
    old = json.loads(entry["old"]) if entry["old"] else {}
    new = json.loads(entry["new"]) if entry["new"] else {}
    if entry["entity"] == "step":
        step = STEP_BY_CODE.get(new.get("code", ""))
        state = STEP_STATE_LABELS.get(StepState(new["state"])) if new.get("state") else ""
        when = f" ngày {new['done_on']}" if new.get("done_on") else ""
        number = f", số {new['doc_number']}" if new.get("doc_number") else ""
        return f"{step.title if step else new.get('code')}: {state}{when}{number}"
    if entry["entity"] == "transfer":
        return f"Chuyển giới thiệu cảm tình Đảng đến {new.get('to_organisation', '')}"
    if entry["action"] == "insert":
        return f"Thêm {new.get('full_name', '')}"
    parts = []
    for key, value in new.items():
        if key in FIELD_LABELS and old.get(key) != value:
            parts.append(f"{FIELD_LABELS[key]}: “{old.get(key) or ''}” → “{value or ''}”")
    return "; ".join(parts) or ACTIONS.get(entry["action"], entry["action"])


class HistoryView(QWidget):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(("Thời gian", "Người sửa", "Việc", "Nội dung"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_member(self, uid: str | None) -> None:
        entries = list(reversed(self.store.audit.history(uid))) if uid else []
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            at = datetime.fromisoformat(e["at"])
            when = f"{at:%d/%m/%Y %H:%M}"
            cells = (when, e["actor"], ACTIONS.get(e["action"], e["action"]), describe(e))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
