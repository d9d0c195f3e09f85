"""The procedure panel: refusals with the rule, violations first, a legend, dossier fields."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from dvdesk.domain.checklist import FlagKind
from dvdesk.domain.dates import PartialDate
from dvdesk.domain.member import Member
from dvdesk.domain.procedure import StepRecord, StepState
from dvdesk.domain.procedure_dossier import PartyStatus
from dvdesk.store.gateway import Store
from dvdesk.ui.procedure_panel import LEGEND, ProcedurePanel
from tests import sql

TODAY = date(2026, 6, 1)
STEPS = [
    ("source", "2025-09-01"),
    ("course", "2025-09-20"),
    ("application", "2025-10-01"),
    ("biography", "2025-10-05"),
    ("verification", "2025-11-01"),
    ("introduction", "2025-11-05"),
    ("union_resolution", "2025-11-06"),
    ("opinions", "2025-11-10"),
]


class Dialogs:
    def __getattr__(self, name: str):
        raise AssertionError(f"no dialog expected ({name})")


@pytest.fixture
def panel(qtbot, fresh_store: Store):
    m = Member("Trần Thị Mai", "KDC01", dob=PartialDate(2001, 4, 2))
    fresh_store.members.add(m, TODAY)
    for code, on in STEPS:
        fresh_store.steps.record(
            m.uid, StepRecord(code, StepState.DONE, date.fromisoformat(on)), TODAY
        )
    widget = ProcedurePanel(fresh_store, Dialogs(), TODAY)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    widget.show_member(m.uid, None)
    return widget


def row_of(panel: ProcedurePanel, code: str) -> int:
    assert panel.checklist is not None
    return [line.step.code for line in panel.checklist.lines].index(code)


def record(panel: ProcedurePanel, code: str, on: str, state: StepState = StepState.DONE) -> None:
    panel.table.setCurrentCell(row_of(panel, code), 0)
    panel.state.setCurrentIndex(panel.state.findData(state.value))
    panel.done_on.setText(on)
    panel.save_step()


def test_a_step_out_of_order_is_refused_with_its_rule_and_source(
    panel: ProcedurePanel, fresh_store
):
    uid = panel.uid
    before = sql.scalar(fresh_store, "SELECT count(*) FROM steps")
    record(panel, "ceremony", "01/03/2026")
    text = panel.editor_message.text()
    assert "Không ghi được" in text and "9-KNĐ" in text and "294-QĐ/TW" in text
    assert sql.scalar(fresh_store, "SELECT count(*) FROM steps") == before
    assert fresh_store.steps.of(uid)["ceremony"].state is StepState.NOT_STARTED


def test_forms_that_do_not_apply_are_not_shown(panel: ProcedurePanel):
    assert panel.checklist is not None
    forms = {line.step.form for line in panel.checklist.lines}
    assert not forms & {"7-KNĐ", "8-KNĐ", "14-KNĐ", "15-KNĐ"}
    assert panel.table.rowCount() == len(panel.checklist.lines)


def test_the_legend_explains_every_colour_and_mark(panel: ProcedurePanel):
    text = panel.legend.text()
    for kind in (
        "Vi phạm",
        "Quá hạn",
        "Sắp hết hạn",
        "Lưu ý",
        "Còn thiếu",
        "Không áp dụng",
        "Đã xong",
    ):
        assert kind in text
    assert len(LEGEND) == 7


def test_short_vote_and_bad_introducer_are_violations_listed_first(
    panel: ProcedurePanel, fresh_store
):
    name, status, since = panel.introducers[0]
    name.setText("Lê Văn Tám")
    status.setCurrentIndex(status.findData(PartyStatus.PROBATIONARY.value))
    since.setText("01/01/2020")
    panel.education.setText("12/12")
    panel.helper.setText("Lê Văn Tám")
    panel.save_dossier()
    assert "Đã ghi hồ sơ" in panel.dossier_message.text()
    # 6-KNĐ with 7 of 12 in favour, recorded with its vote
    panel.table.setCurrentCell(row_of(panel, "branch_resolution"), 0)
    assert panel.vote_total.isVisibleTo(panel) and panel.vote_present.isVisibleTo(panel)
    panel.state.setCurrentIndex(panel.state.findData(StepState.DONE.value))
    panel.done_on.setText("01/12/2025")
    panel.vote_for.setValue(7)
    panel.vote_total.setValue(12)
    panel.vote_present.setValue(12)
    panel.save_step()
    assert "Đã ghi" in panel.editor_message.text()
    cl = panel.checklist
    assert cl is not None
    assert [f.rule.code for f in cl.violations] == ["introducers", "branch_vote"]
    assert cl.flags[0].kind is FlagKind.VIOLATION
    assert panel.flags.text().startswith("<span style='color:#b00020'><b>● Vi phạm")
    assert "Hồ sơ cần kiểm tra" in panel.summary.text() and "2 vi phạm" in panel.summary.text()
    assert "2025.1" in panel.version.text()
    row = panel.table.item(row_of(panel, "branch_resolution"), 0)
    assert row.foreground().color().name() == "#b00020"


def test_position_changes_the_forms(panel: ProcedurePanel, fresh_store):
    panel.position.setCurrentIndex(panel.position.findData("dang_uy_co_so"))
    panel.save_dossier()
    assert panel.checklist is not None
    assert "8-KNĐ" in {line.step.form for line in panel.checklist.lines}
    assert fresh_store.dossier.unit_position("KDC01") == "dang_uy_co_so"


def test_difficult_area_setting_lowers_the_education_minimum(panel: ProcedurePanel, fresh_store):
    panel.education.setText("6/12")
    panel.save_dossier()
    assert panel.checklist is not None
    assert "education" in {f.rule.code for f in panel.checklist.flags}
    panel.difficult_area.setChecked(True)
    panel.save_dossier()
    assert "education" not in {f.rule.code for f in panel.checklist.flags}
    assert fresh_store.dossier.difficult_area


def test_the_member_list_marks_a_dossier_to_check_with_its_reason(qtbot, fresh_store: Store):
    from dvdesk.domain.procedure_dossier import Introducer, Vote
    from dvdesk.ui.member_model import COLUMNS, MemberTableModel

    m = Member("Trần Thị Mai", "KDC01", dob=PartialDate(2001, 4, 2))
    fresh_store.members.add(m, TODAY)
    fresh_store.dossier.set_introducers(
        m.uid, [Introducer("Lê Văn Tám", PartyStatus.OFFICIAL, date(2020, 1, 1))]
    )
    for code, on in [*STEPS, ("branch_resolution", "2025-12-01")]:
        record = StepRecord(code, StepState.DONE, date.fromisoformat(on))
        fresh_store.steps.record(m.uid, record, TODAY)
    fresh_store.dossier.set_vote(m.uid, "branch_resolution", Vote("branch_resolution", 6, 12))
    model = MemberTableModel(fresh_store, TODAY)
    column = [c[0] for c in COLUMNS].index("stage")
    index = model.index(0, column)
    assert model.data(index).endswith("⛔")
    assert "biểu quyết chưa đủ 2/3" in model.data(index, Qt.ItemDataRole.ToolTipRole)


@pytest.mark.parametrize(
    ("dob", "course", "rule"),
    [
        (PartialDate(2008, 3, 1), "2025-09-20", "age_at_meeting"),  # 17 at the meeting
        (PartialDate(2001, 4, 2), "2020-09-20", "certificate_validity"),  # expired
    ],
)
def test_held_out_dossiers_entered_through_the_panel(
    qtbot, fresh_store: Store, dob: PartialDate, course: str, rule: str
):
    m = Member("Lò Văn Pá", "KDC01", dob=dob)
    fresh_store.members.add(m, TODAY)
    widget = ProcedurePanel(fresh_store, Dialogs(), TODAY)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    widget.show_member(m.uid, None)
    name, _, since = widget.introducers[0]
    name.setText("Lê Văn Tám")
    since.setText("01/01/2020")
    widget.education.setText("12/12")
    widget.helper.setText("Lê Văn Tám")
    widget.save_dossier()
    for code, on in [*STEPS, ("branch_resolution", "2025-12-01")]:
        on = course if code == "course" else on
        record(widget, code, date.fromisoformat(on).strftime("%d/%m/%Y"))
        assert "Đã ghi" in widget.editor_message.text(), (code, widget.editor_message.text())
    cl = widget.checklist
    assert cl is not None
    assert rule in {f.rule.code for f in cl.violations}
    assert widget.flags.text().startswith("<span style='color:#b00020'><b>● Vi phạm")
    assert cl.violations[0].rule.source in widget.flags.text()
