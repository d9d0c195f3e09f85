"""Order and prerequisites of the procedure steps (thứ tự, điều kiện trước).

The definition says what each step needs (procedure.py, from the JSON data):
another step done and dated on or before it, or a named condition (the
introducers). `problems` lists every breach in a set of records; recording a
step is refused when it would add a breach (`refusals`), so a file that
already holds out-of-order steps (older versions accepted them) keeps them,
flagged, and can still be corrected step by step. `effective_steps` is what
the stage is derived from: a step counts only with everything it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dvdesk.domain.dates import fmt
from dvdesk.domain.procedure import (
    Definition,
    Requirement,
    Rule,
    StepDef,
    StepRecord,
    StepState,
    default_record,
)
from dvdesk.domain.procedure_dossier import Dossier


@dataclass(frozen=True)
class Problem:
    """One breach of an order or prerequisite rule by a recorded step."""

    step: str
    rule: Rule
    message: str
    about: str = ""  # the other step (or condition) involved
    severe: bool = True  # False: data to complete, or a step where it does not apply (lưu ý)
    kind: str = ""  # "missing", "date": a step missing is not the same breach as one misdated

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.step, self.rule.code, self.about, self.kind)


def position_of(definition: Definition, dossier: Dossier | None) -> str:
    if dossier is not None and dossier.position and dossier.position in definition.positions:
        return dossier.position
    return definition.default_position


def _done(records: Mapping[str, StepRecord], code: str) -> StepRecord | None:
    r = records.get(code)
    return r if r is not None and r.state is StepState.DONE else None


def introducers_needed(records: Mapping[str, StepRecord]) -> int:
    """Đoàn route (4-KNĐ done): one Party member; otherwise two (294-QĐ/TW 3.2)."""
    return 1 if _done(records, "union_resolution") else 2


def _condition_met(
    name: str, records: Mapping[str, StepRecord], dossier: Dossier | None
) -> tuple[bool, str]:
    if dossier is None:
        return True, ""  # only step codes known (stage from a sheet): not judged
    if name == "introducers":
        need, have = introducers_needed(records), len(dossier.introducers)
        route = (
            "nghị quyết của Đoàn (4-KNĐ) và một đảng viên chính thức giới thiệu"
            if need == 1
            else "hai đảng viên chính thức giới thiệu (hoặc 4-KNĐ của Đoàn và một đảng viên)"
        )
        return have >= need, f"cần {route}; đã ghi {have} người giới thiệu"
    raise ValueError(f"unknown condition {name!r}")


def _waived(definition: Definition, req: Requirement, step: str, dossier: Dossier | None) -> bool:
    rule = definition.rule(req.rule)
    return (
        bool(rule.exception)
        and dossier is not None
        and (dossier.exception_for(rule.code, step) is not None)
    )


def _requirement_problem(
    definition: Definition,
    s: StepDef,
    r: StepRecord,
    req: Requirement,
    records: Mapping[str, StepRecord],
    dossier: Dossier | None,
    position: str | None,
) -> Problem | None:
    if _waived(definition, req, s.code, dossier):
        return None
    rule = definition.rule(req.rule)
    if req.condition:
        met, detail = _condition_met(req.condition, records, dossier)
        if met:
            return None
        # Refused when recording; on a step already there (an older file that had
        # no place for introducers) it is data to complete, a "lưu ý".
        return Problem(s.code, rule, f"“{s.label}”: {detail}.", req.condition, severe=False)
    need = definition.step(req.step)
    if need.applies is not None and (position is None or position not in need.applies):
        return None  # does not apply where this chi bộ stands
    other = _done(records, need.code)
    if other is None:
        return Problem(
            s.code,
            rule,
            f"“{s.label}” cần “{need.label}” đã xong trước.",
            need.code,
            kind="missing",
        )
    if r.done_on and other.done_on and r.done_on < other.done_on:
        return Problem(
            s.code,
            rule,
            f"“{s.label}” ngày {fmt(r.done_on)} sớm hơn “{need.label}” ngày {fmt(other.done_on)}.",
            need.code,
            kind="date",
        )
    return None


def problems(
    definition: Definition,
    records: Mapping[str, StepRecord],
    dossier: Dossier | None,
    position: str | None,
) -> list[Problem]:
    """Every breach of order, prerequisites, exclusions and applicability."""
    out: list[Problem] = []
    for s in definition.steps:
        r = records.get(s.code) or default_record(s.code)
        if r.state is StepState.NOT_STARTED:
            continue
        applies = s.applies is None or position is None or position in s.applies
        if r.state is StepState.NOT_APPLICABLE:
            if applies and not s.optional and not s.outcome:
                out.append(
                    Problem(
                        s.code,
                        definition.rule("step_required"),
                        f"“{s.label}” là bước bắt buộc, không ghi “Không áp dụng” được.",
                    )
                )
            continue
        if not applies:
            where = definition.positions.get(position or "", position or "")
            out.append(
                Problem(
                    s.code,
                    definition.rule("step_not_applicable"),
                    f"“{s.label}” không áp dụng với {where[:1].lower()}{where[1:]}.",
                    severe=False,
                )
            )
            continue
        for req in s.requires:
            p = _requirement_problem(definition, s, r, req, records, dossier, position)
            if p is not None:
                out.append(p)
        for ex in s.excludes:
            other = _done(records, ex.step)
            if other is not None and s.code < ex.step:  # report the pair once
                out.append(
                    Problem(
                        s.code,
                        definition.rule(ex.rule),
                        f"“{s.label}” và “{definition.step(ex.step).label}” không thể cùng có.",
                        ex.step,
                    )
                )
    return out


def refusals(
    definition: Definition,
    records: Mapping[str, StepRecord],
    new: StepRecord,
    dossier: Dossier | None,
    position: str | None,
) -> list[Problem]:
    """The breaches recording `new` would add (the ones already there stay flagged)."""
    before = {p.key for p in problems(definition, records, dossier, position)}
    after = problems(definition, {**records, new.code: new}, dossier, position)
    return [p for p in after if p.key not in before and (p.step == new.code or p.about == new.code)]


def effective_steps(
    definition: Definition,
    records: Mapping[str, StepRecord],
    position: str | None = None,
) -> set[str]:
    """Steps that move the stage: done, where they apply, after the milestones they follow.

    Which milestones a step follows is data (`stage_needs`): the ceremony follows
    the admission decision, everything of the probation follows the ceremony. A
    dossier with gaps before the decision still has its decision (a legal fact);
    the gaps are flagged as violations by `problems`, not hidden in the stage.
    """
    counted: set[str] = set()
    for s in definition.steps:
        r = records.get(s.code)
        if r is None or r.state is not StepState.DONE:
            continue
        if s.applies is not None and position is not None and position not in s.applies:
            continue
        ok = True
        for need in s.stage_needs:
            other = records.get(need)
            if need not in counted or (
                r.done_on and other and other.done_on and r.done_on < other.done_on
            ):
                ok = False
                break
        if ok:
            counted.add(s.code)
    return counted


def refusal_text(problem: Problem) -> str:
    """The message shown when a step is refused: what, the rule and its source."""
    return f"{problem.message} Căn cứ: {problem.rule.text} ({problem.rule.source})"
