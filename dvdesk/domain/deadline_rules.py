"""The kinds of findings and the deadline rules of the admission procedure.

The rules themselves (text, source, the numbers behind them) are data in the
procedure definition (procedure.py, resources/procedure/*.json); the names
below are rules of the definition in force, for callers and tests that need
one rule. A `Flag` is one finding of a rule for one candidate. The checks live
in deadline_checks.py and procedure_checks.py, the checklist that gathers them
in checklist.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dvdesk.domain.procedure import DEFINITION, Rule

__all__ = ["FLAG_KIND_LABELS", "SEVERITY_ORDER", "Flag", "FlagKind", "Rule"]

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
