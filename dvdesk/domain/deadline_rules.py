"""The kinds of findings and the deadline rules of the admission procedure.

The rules themselves (text, source, the numbers behind them) are data in the
procedure definition (procedure.py, resources/procedure/*.json); the names
below are those of the definition in force, for callers and tests that need
one rule. A `Flag` is one finding of a rule for one candidate. The checks
live in deadline_checks.py and procedure_checks.py, the checklist that
gathers them in checklist.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dvdesk.domain.procedure import DEFINITION, Rule

__all__ = ["FLAG_KIND_LABELS", "SEVERITY_ORDER", "Flag", "FlagKind", "Rule"]

_P = DEFINITION.params
CERTIFICATE_MONTHS = _P["certificate_months"]
CERTIFICATE_WARN_DAYS = _P["certificate_warn_days"]
DOSSIER_MONTHS = _P["dossier_months"]
DOSSIER_WARN_DAYS = _P["dossier_warn_days"]
DOSSIER_STEPS = ("introduction", "union_resolution", "opinions")  # 3-, 4-, 5-KNĐ
CEREMONY_WORKING_DAYS = _P["ceremony_working_days"]
PARTY_BIOGRAPHY_WORKING_DAYS = _P["party_biography_working_days"]
PROBATION_MONTHS = _P["probation_months"]
RECOGNITION_WORKING_DAYS = _P["recognition_working_days"]
PROBATION_WARN_DAYS = _P["probation_warn_days"]
DEADLINE_WARN_WORKING_DAYS = _P["deadline_warn_working_days"]

CERTIFICATE = DEFINITION.rule("certificate_validity")
DOSSIER = DEFINITION.rule("dossier_stale")
CEREMONY = DEFINITION.rule("ceremony_deadline")
PARTY_BIOGRAPHY = DEFINITION.rule("party_biography_deadline")
RECOGNITION = DEFINITION.rule("recognition_deadline")
AGE = DEFINITION.rule("age_at_meeting")
AGE_OVER_60 = DEFINITION.rule("age_over_60")


class FlagKind(StrEnum):
    """Severity, most serious first."""

    VIOLATION = "violation"  # vi phạm: an admission condition broken — the Party sends it back
    OVERDUE = "overdue"  # quá hạn: act now
    EXPIRING = "expiring"  # sắp hết hạn, or lapses before the planned meeting
    WARNING = "warning"  # lưu ý: a step done late, data to complete, needs checking


FLAG_KIND_LABELS = {
    FlagKind.VIOLATION: "Vi phạm",
    FlagKind.OVERDUE: "Quá hạn",
    FlagKind.EXPIRING: "Sắp hết hạn",
    FlagKind.WARNING: "Lưu ý",
}
SEVERITY_ORDER = {k: n for n, k in enumerate(FlagKind)}


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    step: str  # the step code the flag is about
    message: str  # Vietnamese, names the dates
    rule: Rule
    due: date | None = None

    @property
    def code(self) -> str:
        return self.rule.code
