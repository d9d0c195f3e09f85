"""The admission procedure as versioned data (quy trình kết nạp đảng viên).

The definition — steps, their order and prerequisites, applicability by where
the chi bộ stands, every rule's text and source, the numbers behind the
deadlines — is a JSON file under resources/procedure/ (one per version). A
later guidance is a new file with a later `in_force_from`; no code changes.
Steps follow notes/domain.md §2: Điều lệ Đảng Điều 4–5; Quy định 294-QĐ/TW
(2025) Điều 4–5; Hướng dẫn 06-HD/TW (2025) mục 3 and 5.4; form codes per
Hướng dẫn 38-HD/BTCTW (numbering as 12-HD/BTCTW 2022, believed unchanged — MED).

The module constants (STEPS, STEP_CODES, …) are those of the definition in
force today, for callers that only need the list of steps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from dvdesk.domain.kinds import STAGE_LABELS as STAGE_LABELS  # re-exported
from dvdesk.domain.kinds import Stage as Stage
from dvdesk.resources import resource


class StepState(StrEnum):
    """A step's state for one candidate."""

    NOT_STARTED = "not_started"  # chưa làm
    DONE = "done"  # đã xong (ngày, số văn bản)
    NOT_APPLICABLE = "not_applicable"  # không áp dụng


STEP_STATE_LABELS = {
    StepState.NOT_STARTED: "Chưa làm",
    StepState.DONE: "Đã xong",
    StepState.NOT_APPLICABLE: "Không áp dụng",
}


_STAGE_ORDER = list(Stage)


class DefinitionError(ValueError):
    """A procedure definition file that cannot be used (names what is wrong)."""


@dataclass(frozen=True)
class Rule:
    """A rule as shown to the officer: what it says and where it comes from.

    `exception` names the document that allows a documented exception
    (ngoại lệ có văn bản); "" when the rule allows none.
    """

    code: str
    text: str
    source: str
    exception: str = ""
    label: str = ""  # a few words, for a list's column

    @property
    def short(self) -> str:
        return self.label or self.code


@dataclass(frozen=True)
class Requirement:
    """What a step needs done first: a step (dated on or before) or a named condition."""

    rule: str
    step: str = ""
    condition: str = ""  # e.g. "introducers", evaluated in procedure_order.py


@dataclass(frozen=True)
class StepDef:
    code: str
    title: str  # Vietnamese, as printed on the checklist
    form: str  # form code (mẫu), "" when none
    actor: str  # who acts
    stage: Stage  # the stage reached once this step is done (with what it needs)
    optional: bool = False  # may be recorded "không áp dụng" wherever it applies (source, 4-KNĐ)
    note: str = ""  # rule and source shown beside the step
    name: str = ""  # the command-line name of a step without a form (e.g. "le-ket-nap")
    applies: frozenset[str] | None = None  # chi bộ positions where it applies; None = all
    requires: tuple[Requirement, ...] = ()
    excludes: tuple[Requirement, ...] = ()
    vote: str = ""  # "branch" (chi bộ) or "committee" (cấp ủy): votes recorded
    outcome: bool = False  # an alternative outcome, never "missing"
    # The milestones that must count for this step to move the stage (the
    # ceremony makes a probationary member only after the admission decision).
    stage_needs: tuple[str, ...] = ()

    @property
    def cli_code(self) -> str:
        return self.form or self.name or self.code

    @property
    def label(self) -> str:
        return f"{self.title} ({self.form})" if self.form else self.title

    def applies_to(self, position: str | None) -> bool:
        return self.applies is None or position is None or position in self.applies


@dataclass(frozen=True)
class Definition:
    """One version of the procedure, with its sources."""

    version: str
    title: str
    in_force_from: date
    sources: tuple[str, ...]
    params: Mapping[str, int]
    positions: Mapping[str, str]  # chi bộ position code → label
    default_position: str
    rules: Mapping[str, Rule]
    steps: tuple[StepDef, ...]
    _by_code: dict[str, StepDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code.update({s.code: s for s in self.steps})

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.steps)

    def step(self, code: str) -> StepDef:
        return self._by_code[code]

    def has_step(self, code: str) -> bool:
        return code in self._by_code

    def rule(self, code: str) -> Rule:
        return self.rules[code]

    def param(self, name: str) -> int:
        return int(self.params[name])

    def steps_for(self, position: str | None) -> tuple[StepDef, ...]:
        """The steps that apply where the chi bộ stands (all when unknown)."""
        return tuple(s for s in self.steps if s.applies_to(position))

    def by_cli_code(self, text: str) -> StepDef | None:
        """A step by its form code ("6-KNĐ", "6-KND", "CN-NTVĐ"), name or code."""
        wanted = _fold(text)
        for s in self.steps:
            if wanted in {_fold(s.form), _fold(s.name), _fold(s.code)} - {""}:
                return s
        return None

    @property
    def label(self) -> str:
        return f"Quy trình phiên bản {self.version} (áp dụng từ {self.in_force_from:%d/%m/%Y})"


def _fold(text: str) -> str:
    return text.strip().upper().replace("Đ", "D").replace("_", "-")


def _requirements(
    items: Iterable[Mapping[str, str]], rules: Mapping[str, Rule]
) -> tuple[Requirement, ...]:
    out = []
    for item in items:
        req = Requirement(item["rule"], item.get("step", ""), item.get("condition", ""))
        if req.rule not in rules:
            raise DefinitionError(f"thiếu quy tắc “{req.rule}”")
        out.append(req)
    return tuple(out)


def parse_definition(data: Mapping[str, Any]) -> Definition:
    """A definition from its JSON data; raises DefinitionError naming what is wrong."""
    try:
        if data.get("format") != 1:
            raise DefinitionError(f"định dạng {data.get('format')!r} không hỗ trợ")
        rules = {
            r["code"]: Rule(
                r["code"], r["text"], r["source"], r.get("exception", ""), r.get("label", "")
            )
            for r in data["rules"]
        }
        steps = []
        for s in data["steps"]:
            applies = s.get("applies")
            steps.append(
                StepDef(
                    s["code"],
                    s["title"],
                    s.get("form", ""),
                    s.get("actor", ""),
                    Stage(s["stage"]),
                    bool(s.get("can_skip", False)),
                    s.get("note", ""),
                    s.get("name", ""),
                    frozenset(applies) if applies is not None else None,
                    _requirements(s.get("requires", ()), rules),
                    _requirements(s.get("excludes", ()), rules),
                    s.get("vote", ""),
                    bool(s.get("outcome", False)),
                    tuple(s.get("stage_needs", ())),
                )
            )
        codes = {s.code for s in steps}
        for s in steps:
            for req in (*s.requires, *s.excludes):
                if req.step and req.step not in codes:
                    raise DefinitionError(f"bước “{s.code}” cần bước không có “{req.step}”")
        positions = dict(data["positions"])
        if data["default_position"] not in positions:
            raise DefinitionError("vị trí chi bộ mặc định không có trong danh sách")
        return Definition(
            str(data["version"]),
            data["title"],
            date.fromisoformat(data["in_force_from"]),
            tuple(data["sources"]),
            {k: int(v) for k, v in data["params"].items()},
            positions,
            data["default_position"],
            rules,
            tuple(steps),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, DefinitionError):
            raise
        raise DefinitionError(f"dữ liệu không hợp lệ ({exc!r})") from exc


def load_definition(path: Path) -> Definition:
    try:
        return parse_definition(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, DefinitionError) as exc:
        raise DefinitionError(f"Không đọc được định nghĩa quy trình “{path.name}”: {exc}") from exc


def load_definitions(folder: Path | None = None) -> tuple[Definition, ...]:
    """Every definition in `folder` (default resources/procedure), oldest first."""
    folder = folder or resource("procedure")
    found = [load_definition(p) for p in sorted(folder.glob("*.json"))]
    return tuple(sorted(found, key=lambda d: d.in_force_from))


def in_force(definitions: Iterable[Definition], on: date) -> Definition:
    """The definition in force on a day: the latest one that started by then."""
    ordered = sorted(definitions, key=lambda d: d.in_force_from)
    started = [d for d in ordered if d.in_force_from <= on]
    if not ordered:
        raise DefinitionError("Không có định nghĩa quy trình nào.")
    return started[-1] if started else ordered[0]


DEFINITIONS = load_definitions(resource("procedure"))
DEFINITION = in_force(DEFINITIONS, date.today())

PROCEDURE_VERSION = DEFINITION.version
PROCEDURE_SOURCES = DEFINITION.sources
STEPS: tuple[StepDef, ...] = DEFINITION.steps
STEP_BY_CODE = {s.code: s for s in STEPS}
STEP_CODES = DEFINITION.codes


def issue_labels(codes: str, definition: Definition = DEFINITION) -> list[str]:
    """What the violation codes kept on a member row (members.dossier_issues) mean."""
    return [definition.rules[c].short if c in definition.rules else c for c in codes.split() if c]


def stage_of(
    done: Iterable[str] | Mapping[str, StepRecord],
    definition: Definition = DEFINITION,
    position: str | None = None,
) -> Stage:
    """The furthest stage reached by a step that counts (procedure_order.effective_steps).

    A ceremony recorded without the admission decision does not make a
    probationary member: a step counts only once the milestones it follows
    (`stage_needs` in the definition) count, and is not dated before them.
    Given only codes, dates are not compared.
    """
    from dvdesk.domain.procedure_order import effective_steps

    if isinstance(done, Mapping):
        records = dict(done)
    else:
        records = {c: StepRecord(c, StepState.DONE) for c in done}
    counted = effective_steps(definition, records, position)
    reached = [definition.step(c).stage for c in counted]
    removed = Stage.REMOVED in reached
    if removed:
        return Stage.REMOVED
    return max(reached, key=_STAGE_ORDER.index, default=Stage.MEMBER)


@dataclass(frozen=True)
class StepRecord:
    """One candidate's record of one step."""

    code: str
    state: StepState = StepState.NOT_STARTED
    done_on: date | None = None
    doc_number: str = ""  # số văn bản
    note: str = ""


def default_record(code: str) -> StepRecord:
    return StepRecord(code, StepState.NOT_STARTED)
