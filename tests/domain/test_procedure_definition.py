"""The procedure definition is versioned data: sources, a second version, forms by position."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from dvdesk.domain.checklist import FlagKind, build_checklist
from dvdesk.domain.procedure import (
    DEFINITION,
    DefinitionError,
    StepRecord,
    StepState,
    in_force,
    load_definition,
    load_definitions,
)
from dvdesk.domain.procedure_dossier import Dossier
from dvdesk.resources import resource

SHIPPED = resource("procedure", "2025.1.json")


def test_the_shipped_definition_names_its_sources():
    assert DEFINITION.version == "2025.1"
    assert DEFINITION.in_force_from == date(2025, 7, 1)
    assert any("294-QĐ/TW ngày 26/5/2025" in s and "01/7/2025" in s for s in DEFINITION.sources)
    assert any("06-HD/TW" in s for s in DEFINITION.sources)
    assert any("38-HD/BTCTW" in s for s in DEFINITION.sources)
    for rule in DEFINITION.rules.values():
        assert rule.text and rule.source, rule.code
    for step in DEFINITION.steps:
        for req in step.requires:
            assert req.rule in DEFINITION.rules


def test_every_form_and_named_step_is_reachable_from_the_command_line():
    for form in ["CN-NTVĐ", *(f"{n}-KNĐ" for n in range(1, 17)), "le-ket-nap", "xoa-ten"]:
        step = DEFINITION.by_cli_code(form)
        assert step is not None, form
        assert DEFINITION.by_cli_code(form.replace("Đ", "D").lower()) is step
    assert DEFINITION.by_cli_code("17-KNĐ") is None


def _second(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data.update(version="2026.test", in_force_from="2026-03-01")
    data["params"]["certificate_months"] = 48
    data.update(changes)
    path = tmp_path / "2026.test.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_later_definition_replaces_the_first_without_code(tmp_path: Path):
    (tmp_path / "2025.1.json").write_bytes(SHIPPED.read_bytes())
    _second(tmp_path)
    defs = load_definitions(tmp_path)
    assert [d.version for d in defs] == ["2025.1", "2026.test"]
    assert in_force(defs, date(2026, 2, 28)).version == "2025.1"
    later = in_force(defs, date(2026, 3, 1))
    assert later.version == "2026.test"
    # The same certificate is valid under one and expired under the other.
    records = {
        "course": StepRecord("course", StepState.DONE, date(2021, 1, 10)),
    }
    today = date(2025, 6, 1)
    old = build_checklist(records, None, None, today, dossier=Dossier(), definition=defs[0])
    new = build_checklist(records, None, None, today, dossier=Dossier(), definition=later)
    assert [f.kind for f in old.flags if f.step == "course"] == []
    assert [f.kind for f in new.flags if f.step == "course"] == [FlagKind.OVERDUE]
    assert new.definition.version == "2026.test"


def test_a_broken_definition_is_refused_with_its_reason(tmp_path: Path):
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["steps"][3]["requires"] = [{"step": "application", "rule": "no_such_rule"}]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DefinitionError, match="no_such_rule"):
        load_definition(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"bad\.json"):
        load_definition(path)


@pytest.mark.parametrize(
    ("position", "present", "absent"),
    [
        ("chi_bo_co_so", set(), {"7-KNĐ", "8-KNĐ", "14-KNĐ", "15-KNĐ"}),
        ("dang_uy_co_so", {"8-KNĐ", "15-KNĐ"}, {"7-KNĐ", "14-KNĐ"}),
        # a đảng ủy bộ phận sits inside a đảng ủy cơ sở: its appraisal, then the resolution
        ("dang_uy_bo_phan", {"7-KNĐ", "8-KNĐ", "14-KNĐ", "15-KNĐ"}, set()),
    ],
)
def test_forms_by_where_the_chi_bo_stands(position: str, present: set[str], absent: set[str]):
    cl = build_checklist({}, None, None, date(2026, 1, 1), dossier=Dossier(position=position))
    forms = {line.step.form for line in cl.lines}
    assert present <= forms and not absent & forms
    assert cl.position == position
